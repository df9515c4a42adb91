use serde_json::json;

use crate::harness::{Harness, array};

#[tokio::test]
async fn incident_workflows_list_and_get() {
    let h = Harness::read_only().await;
    let all = h.ok("list_incident_workflows", json!({})).await;
    assert!(all["items"][0].get("steps").is_none());

    let major = h
        .ok(
            "list_incident_workflows",
            json!({"query": "major", "include": ["steps", "team"]}),
        )
        .await;
    assert_eq!(array(&major["items"]).len(), 1);
    let w = &major["items"][0];
    assert_eq!(w["name"], "Major Incident Response");
    assert_eq!(w["is_enabled"], true);
    assert_eq!(w["team"]["summary"], "Platform");
    assert!(array(&w["steps"]).len() >= 2);

    let one = h
        .ok("get_incident_workflow", json!({"workflow_id": w["id"]}))
        .await;
    let raw_one = h
        .raw(&format!(
            "/incident_workflows/{}",
            w["id"].as_str().unwrap()
        ))
        .await["incident_workflow"]
        .clone();
    assert_eq!(array(&one["steps"]).len(), array(&raw_one["steps"]).len());
    assert_eq!(
        one["steps"][0]["action_configuration"]["action_id"],
        raw_one["steps"][0]["action_configuration"]["action_id"]
    );
}

#[tokio::test]
async fn start_incident_workflow_runs_on_an_incident() {
    let h = Harness::with_writes().await;
    let wfs = h.raw_list("/incident_workflows").await;
    let enabled = wfs.iter().find(|w| w["is_enabled"] == true).unwrap();
    let disabled = wfs.iter().find(|w| w["is_enabled"] == false).unwrap();
    let inc = h.raw("/incidents?statuses[]=triggered&limit=1").await["incidents"][0].clone();
    let iid = inc["id"].as_str().unwrap();

    let run = h
        .ok(
            "start_incident_workflow",
            json!({"workflow_id": enabled["id"], "instance_request": {"incident_workflow_instance": {"id": "bridge-1", "incident": {"id": iid}}}}),
        )
        .await;
    assert_eq!(run["id"], "bridge-1");
    assert_eq!(run["incident"]["id"], iid);
    // The run is on the incident's timeline.
    let log = h
        .raw(&format!("/incidents/{iid}/log_entries?limit=100"))
        .await;
    let name = enabled["name"].as_str().unwrap();
    assert!(
        array(&log["log_entries"])
            .iter()
            .any(|e| e["summary"].as_str().unwrap().contains(name)),
        "no log entry for the run"
    );

    h.err_table(&[
        (
            "start_incident_workflow",
            json!({"workflow_id": disabled["id"], "instance_request": {"incident_workflow_instance": {"incident": {"id": iid}}}}),
            &["disabled"],
        ),
        (
            "start_incident_workflow",
            json!({"workflow_id": enabled["id"], "instance_request": {"incident_workflow_instance": {"incident": {"id": "QNOPE00"}}}}),
            &["Incident QNOPE00 not found"],
        ),
        (
            "start_incident_workflow",
            json!({"workflow_id": enabled["id"], "instance_request": {"incident_workflow_instance": {}}}),
            &["incident"],
        ),
    ])
    .await;
}
