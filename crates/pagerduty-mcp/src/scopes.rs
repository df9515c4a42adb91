//! PagerDuty's OAuth scopes (`x-pd-requires-scope` in its OpenAPI spec) each tool's requests
//! need. The protected-resource metadata advertises the union over the tools a server loads, so
//! a client that follows it gets a token that works for every tool it sees; a 403 names them.
//! `tests/e2e/scopes.rs` derives them from the spec and the client's requests.

use crate::registry::{Access, Domain};

/// (read scopes, extra scopes for writes) of a domain's tools. Reads include the lookups its
/// tools make by name (services, users, teams, …) and `users.read` for "me".
fn domain_scopes(domain: Domain) -> (&'static [&'static str], &'static [&'static str]) {
    match domain {
        Domain::Incidents => (
            &[
                "incidents.read",
                "services.read",
                "users.read",
                "escalation_policies.read",
                "priorities.read",
                "teams.read",
            ],
            &["incidents.write"],
        ),
        Domain::Alerts | Domain::LogEntries => (&["incidents.read"], &["incidents.write"]),
        Domain::AlertGrouping | Domain::BusinessServices => {
            (&["services.read"], &["services.write"])
        }
        Domain::ChangeEvents => (
            &[
                "change_events.read",
                "incidents.read",
                "services.read",
                "teams.read",
            ],
            &["change_events.write"],
        ),
        // get_service_health counts incidents too.
        Domain::Services => (
            &[
                "services.read",
                "teams.read",
                "escalation_policies.read",
                "incidents.read",
            ],
            &["services.write"],
        ),
        // Windows are listed by service and team ids; no name lookups.
        Domain::MaintenanceWindows => (&["services.read"], &["services.write"]),
        // get_oncall_handoff reads the incidents of a shift.
        Domain::Oncall => (
            &[
                "incidents.read",
                "oncalls.read",
                "schedules.read",
                "escalation_policies.read",
                "users.read",
                "teams.read",
            ],
            &[],
        ),
        Domain::Schedules => (&["schedules.read", "users.read"], &["schedules.write"]),
        Domain::EscalationPolicies => (
            &["escalation_policies.read", "users.read", "schedules.read"],
            &["escalation_policies.write"],
        ),
        Domain::Teams => (&["teams.read", "users.read"], &["teams.write"]),
        // Notification rules and contact methods have a scope of their own.
        Domain::Users => (
            &["users.read", "users:contact_methods.read"],
            &["users.write"],
        ),
        // Resources are named by id or name, so each kind's lookup reads too.
        Domain::Audit => (
            &[
                "audit_records.read",
                "users.read",
                "teams.read",
                "schedules.read",
                "escalation_policies.read",
                "services.read",
            ],
            &[],
        ),
        Domain::Priorities => (&["priorities.read"], &[]),
        Domain::IncidentWorkflows => (
            &["incident_workflows.read"],
            &[
                "incident_workflows.write",
                "incident_workflows:instances.write",
            ],
        ),
        Domain::EventOrchestrations => (
            &["event_orchestrations.read", "services.read"],
            &["event_orchestrations.write", "services.write"],
        ),
        Domain::StatusPages => (&["status_pages.read"], &["status_pages.write"]),
        Domain::Analytics => (&["analytics.read", "users.read"], &[]),
        Domain::Webhooks => (
            &["webhook_subscriptions.read"],
            &["webhook_subscriptions.write"],
        ),
        Domain::ExtensionSchemas => (&["extension_schemas.read"], &[]),
        Domain::Find => (
            &[
                "services.read",
                "users.read",
                "teams.read",
                "schedules.read",
                "escalation_policies.read",
            ],
            &[],
        ),
    }
}

/// The scopes a tool of `domain` with `access` needs, sorted.
pub fn for_tool(domain: Domain, access: Access) -> Vec<&'static str> {
    let (read, write) = domain_scopes(domain);
    let mut out = read.to_vec();
    if access.is_write() {
        out.extend_from_slice(write);
    }
    out.sort_unstable();
    out.dedup();
    out
}
