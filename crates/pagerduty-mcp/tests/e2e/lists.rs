//! The list tools' first page, for each domain, is the simulator's own list: the same ids in
//! the same order (the domain modules check what each item carries).

use serde_json::json;

use crate::harness::Harness;

#[tokio::test]
async fn default_pages_of_the_list_tools_are_the_apis() {
    let h = Harness::read_only().await;
    for (tool, raw_path) in [
        (
            "list_escalation_policies",
            "/escalation_policies?limit=100&sort_by=name",
        ),
        ("list_extension_schemas", "/extension_schemas?limit=100"),
        ("list_incident_workflows", "/incident_workflows?limit=100"),
        (
            "list_webhook_subscriptions",
            "/webhook_subscriptions?limit=100",
        ),
        ("list_business_services", "/business_services"),
        ("list_teams", "/teams?limit=100"),
        ("list_users", "/users?limit=100"),
    ] {
        h.list_matches(tool, json!({}), raw_path).await;
    }
}
