//! Business services and the dependency graph.

use serde_json::{Value, json};

use crate::harness::{Harness, array, named};

/// The (dependent, supporting) names of the relationships, sorted.
fn pairs(v: &Value) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = array(&v["relationships"])
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
        .collect();
    pairs.sort();
    pairs
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test]
async fn business_services_and_their_dependencies() {
    let h = Harness::read_only().await;
    let raw = h.raw_list("/business_services").await;
    let got = h.ok("list_business_services", json!({})).await;
    assert_eq!(raw.len(), 3);
    let store = named(&got["items"], "Online Store");
    assert_eq!(store["point_of_contact"], "Priya Shah");

    let deps = h
        .ok(
            "get_business_service_dependencies",
            json!({"business_service_id": store["id"]}),
        )
        .await;
    assert_eq!(
        pairs(&deps),
        owned(&[
            ("Online Store", "Checkout API"),
            ("Online Store", "Customer Login"),
            ("Online Store", "Payments Gateway"),
            ("Online Store", "Search"),
        ])
    );
    assert_eq!(
        array(&deps["relationships"]).len(),
        h.raw(&format!(
            "/service_dependencies/business_services/{}",
            store["id"].as_str().unwrap()
        ))
        .await["relationships"]
            .as_array()
            .unwrap()
            .len()
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
    assert_eq!(
        pairs(&deps),
        owned(&[
            ("Checkout API", "Auth Service"),
            ("Checkout API", "Payments Gateway"),
            ("Data Pipeline", "Checkout API"),
            ("Mobile Backend", "Checkout API"),
            ("Online Store", "Checkout API"),
        ])
    );
    let types: Vec<&str> = array(&deps["relationships"])
        .iter()
        .map(|r| r["dependent_service"]["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"business_service_reference"));
}
