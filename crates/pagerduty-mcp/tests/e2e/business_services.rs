//! Business services and the dependency graph.

use serde_json::{Value, json};

use crate::harness::{Harness, ids};

fn pairs(v: &Value) -> Vec<(String, String)> {
    v["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["dependent_service"]["summary"]
                    .as_str()
                    .unwrap_or("?")
                    .to_owned(),
                r["supporting_service"]["summary"]
                    .as_str()
                    .unwrap_or("?")
                    .to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn business_services_and_their_dependencies() {
    let h = Harness::read_only().await;
    let got = h.ok("list_business_services", json!({})).await;
    let raw = h.raw("/business_services").await;
    let raw_ids: Vec<String> = raw["business_services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&got), raw_ids);
    assert_eq!(raw_ids.len(), 3);
    let store = got["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "Online Store")
        .unwrap();
    assert_eq!(store["point_of_contact"], "Priya Shah");

    let deps = h
        .ok(
            "get_business_service_dependencies",
            json!({"business_service_id": store["id"]}),
        )
        .await;
    let mut p = pairs(&deps);
    p.sort();
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        p,
        vec![
            s("Online Store", "Checkout API"),
            s("Online Store", "Customer Login"),
            s("Online Store", "Payments Gateway"),
            s("Online Store", "Search"),
        ]
    );
    assert_eq!(
        deps["relationships"].as_array().unwrap().len(),
        h.raw(&format!(
            "/service_dependencies/business_services/{}",
            store["id"].as_str().unwrap()
        ))
        .await["relationships"]
            .as_array()
            .unwrap()
            .len()
    );
    let msg = h
        .err(
            "get_business_service_dependencies",
            json!({"business_service_id": "PNOPE00"}),
        )
        .await;
    assert!(
        msg.contains("Business service PNOPE00 was not found"),
        "{msg}"
    );
}

#[tokio::test]
async fn technical_service_dependencies_both_directions() {
    let h = Harness::read_only().await;
    let checkout = h.sim.state().service_by_name("Checkout API").unwrap();
    let deps = h
        .ok(
            "get_technical_service_dependencies",
            json!({"service_id": checkout.id}),
        )
        .await;
    let mut p = pairs(&deps);
    p.sort();
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        p,
        vec![
            s("Checkout API", "Auth Service"),
            s("Checkout API", "Payments Gateway"),
            s("Data Pipeline", "Checkout API"),
            s("Mobile Backend", "Checkout API"),
            s("Online Store", "Checkout API"),
        ]
    );
    let types: Vec<&str> = deps["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["dependent_service"]["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"business_service_reference"));
    let msg = h
        .err(
            "get_technical_service_dependencies",
            json!({"service_id": "PNOPE00"}),
        )
        .await;
    assert!(msg.contains("Service PNOPE00 was not found"), "{msg}");
}
