//! Store structs → PagerDuty API JSON.

use std::collections::BTreeSet;

use jiff::{Timestamp, tz::TimeZone};
use serde_json::{Value, json};

use crate::schedule::{self, Entry};
use crate::store::*;

/// Links use the real API host so output does not depend on the port the
/// simulator happens to listen on (keeps seeded JSON byte-identical).
pub const API_BASE: &str = "https://api.pagerduty.com";

pub struct Render<'a> {
    pub acct: &'a Account,
    pub tz: TimeZone,
    pub include: BTreeSet<String>,
}

impl<'a> Render<'a> {
    pub fn new(acct: &'a Account) -> Self {
        Self {
            acct,
            tz: TimeZone::UTC,
            include: BTreeSet::new(),
        }
    }
    pub fn tz(mut self, tz: Option<TimeZone>) -> Self {
        if let Some(tz) = tz {
            self.tz = tz;
        }
        self
    }
    pub fn include(mut self, include: BTreeSet<String>) -> Self {
        self.include = include;
        self
    }
    fn has(&self, what: &str) -> bool {
        self.include.contains(what)
    }

    /// RFC 3339 in the requested zone (`Z` for UTC).
    pub fn time(&self, t: Timestamp) -> String {
        if self.tz == TimeZone::UTC {
            return t.to_string();
        }
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
    pub fn opt_time(&self, t: Option<Timestamp>) -> Value {
        t.map(|t| json!(self.time(t))).unwrap_or(Value::Null)
    }

    fn html(&self, path: &str) -> String {
        format!("https://{}.pagerduty.com{path}", self.acct.subdomain)
    }

    /// The head every PagerDuty object starts with, `{id, type, summary, self,
    /// html_url}` (`self` and `html_url` at `{collection}/{id}`), followed by `fields` in order.
    fn object(
        &self,
        kind: &str,
        collection: &str,
        id: &str,
        summary: &str,
        fields: Value,
    ) -> Value {
        let mut v = json!({
            "id": id,
            "type": kind,
            "summary": summary,
            "self": format!("{API_BASE}/{collection}/{id}"),
            "html_url": self.html(&format!("/{collection}/{id}")),
        });
        if let (Some(head), Value::Object(rest)) = (v.as_object_mut(), fields) {
            head.extend(rest);
        }
        v
    }

    /// `{id, type: "<kind>_reference", summary, self, html_url}`.
    pub fn reference(&self, kind: &str, collection: &str, id: &str, summary: &str) -> Value {
        let kind = format!("{kind}_reference");
        self.object(&kind, collection, id, summary, json!({}))
    }
    pub fn user_ref(&self, id: &str) -> Value {
        let name = self
            .acct
            .user(id)
            .map_or("Unknown user", |u| u.name.as_str());
        self.reference("user", "users", id, name)
    }
    pub fn team_ref(&self, id: &str) -> Value {
        let name = self.acct.team(id).map_or("", |t| t.name.as_str());
        self.reference("team", "teams", id, name)
    }
    pub fn service_ref(&self, id: &str) -> Value {
        let name = self.acct.service(id).map_or("", |t| t.name.as_str());
        self.reference("service", "services", id, name)
    }
    pub fn ep_ref(&self, id: &str) -> Value {
        let name = self
            .acct
            .escalation_policy(id)
            .map_or("", |t| t.name.as_str());
        self.reference("escalation_policy", "escalation_policies", id, name)
    }
    /// A schedule of either kind (escalation targets and on-calls name both the same way).
    pub fn schedule_ref(&self, id: &str) -> Value {
        let name = match (self.acct.schedule(id), self.acct.schedule_v3(id)) {
            (Some(s), _) => s.name.as_str(),
            (None, Some(s)) => s.name.as_str(),
            (None, None) => "",
        };
        self.reference("schedule", "schedules", id, name)
    }
    pub fn incident_ref(&self, inc: &Incident) -> Value {
        self.reference(
            "incident",
            "incidents",
            &inc.id,
            &format!("[#{}] {}", inc.number, inc.title),
        )
    }
    pub fn agent_ref(&self, a: &Agent) -> Value {
        match a {
            Agent::User(u) => self.user_ref(u),
            Agent::Service(s) => self.service_ref(s),
        }
    }
    fn teams_or_refs(&self, ids: &[String], full: bool) -> Vec<Value> {
        ids.iter()
            .map(|id| match (full, self.acct.team(id)) {
                (true, Some(t)) => self.team(t),
                _ => self.team_ref(id),
            })
            .collect()
    }

    pub fn user(&self, u: &User) -> Value {
        let teams = self.teams_or_refs(&self.acct.team_ids_of_user(&u.id), self.has("teams"));
        let cms: Vec<Value> = u
            .contact_methods
            .iter()
            .map(|c| {
                if self.has("contact_methods") {
                    json!({
                        "id": c.id, "type": c.kind, "summary": c.label, "label": c.label, "address": c.address,
                        "self": format!("{API_BASE}/users/{}/contact_methods/{}", u.id, c.id), "html_url": null,
                    })
                } else {
                    json!({
                        "id": c.id, "type": format!("{}_reference", c.kind), "summary": c.label,
                        "self": format!("{API_BASE}/users/{}/contact_methods/{}", u.id, c.id), "html_url": null,
                    })
                }
            })
            .collect();
        self.object(
            "user",
            "users",
            &u.id,
            &u.name,
            json!({
                "name": u.name,
                "email": u.email,
                "time_zone": u.time_zone,
                "color": u.color,
                "role": u.role,
                "avatar_url": format!("https://secure.gravatar.com/avatar/{}.png?d=mm&r=PG", u.id.to_lowercase()),
                "description": u.description,
                "invitation_sent": false,
                "job_title": u.job_title,
                "created_via_sso": false,
                "teams": teams,
                "contact_methods": cms,
                "notification_rules": self.acct.notification_rules.iter().filter(|n| n.user_id == u.id).map(|n| json!({
                    "id": n.id, "type": "assignment_notification_rule_reference",
                    "summary": format!("{} minutes: channel {}", n.start_delay_in_minutes, n.contact_method_id),
                    "self": format!("{API_BASE}/users/{}/notification_rules/{}", u.id, n.id), "html_url": null,
                })).collect::<Vec<_>>(),
                "coordinated_incidents": [],
            }),
        )
    }

    pub fn team(&self, t: &Team) -> Value {
        self.object(
            "team",
            "teams",
            &t.id,
            &t.name,
            json!({
                "name": t.name,
                "description": t.description,
                "default_role": t.default_role,
                "parent": null,
            }),
        )
    }

    /// "critical" with a triggered high-urgency incident, "warning" with a
    /// triggered low-urgency one, else "active".
    fn service_status(&self, s: &Service) -> &'static str {
        if s.disabled {
            return "disabled";
        }
        let triggered = self
            .acct
            .incidents
            .iter()
            .filter(|i| i.service_id == s.id && i.status == IncidentStatus::Triggered);
        let mut status = "active";
        for i in triggered {
            if i.urgency == Urgency::High {
                return "critical";
            }
            status = "warning";
        }
        status
    }

    pub fn integration(&self, s: &Service, i: &Integration) -> Value {
        self.object(
            "events_api_v2_inbound_integration",
            &format!("services/{}/integrations", s.id),
            &i.id,
            &i.name,
            json!({
                "name": i.name,
                "service": self.service_ref(&s.id),
                "created_at": self.time(i.created_at),
                "integration_key": i.integration_key,
            }),
        )
    }

    pub fn service(&self, s: &Service) -> Value {
        let last = self
            .acct
            .incidents
            .iter()
            .filter(|i| i.service_id == s.id)
            .map(|i| i.created_at)
            .max();
        let integrations: Vec<Value> = s
            .integrations
            .iter()
            .map(|i| {
                if self.has("integrations") {
                    self.integration(s, i)
                } else {
                    let mut r = self.reference(
                        "events_api_v2_inbound_integration",
                        "integrations",
                        &i.id,
                        &i.name,
                    );
                    r["self"] = json!(format!(
                        "{API_BASE}/services/{}/integrations/{}",
                        s.id, i.id
                    ));
                    r
                }
            })
            .collect();
        let ep = match (
            self.has("escalation_policies"),
            self.acct.escalation_policy(&s.escalation_policy_id),
        ) {
            (true, Some(ep)) => self.escalation_policy(ep),
            _ => self.ep_ref(&s.escalation_policy_id),
        };
        let mut v = self.object(
            "service",
            "services",
            &s.id,
            &s.name,
            json!({
                "name": s.name,
                "description": s.description,
                "auto_resolve_timeout": s.auto_resolve_timeout,
                "acknowledgement_timeout": s.acknowledgement_timeout,
                "created_at": self.time(s.created_at),
                "status": self.service_status(s),
                "last_incident_timestamp": self.opt_time(last),
                "escalation_policy": ep,
                "teams": self.teams_or_refs(&s.team_ids, self.has("teams")),
                "integrations": integrations,
                "incident_urgency_rule": {"type": "constant", "urgency": s.incident_urgency.as_deref().unwrap_or("high")},
                "support_hours": null,
                "scheduled_actions": [],
                "addons": [],
                "alert_creation": "create_alerts_and_incidents",
                "alert_grouping_parameters": {"type": null},
                "alert_grouping": null,
                "alert_grouping_timeout": null,
            }),
        );
        // The web UI shows services in the service directory, not at `/services`.
        v["html_url"] = json!(self.html(&format!("/service-directory/{}", s.id)));
        v
    }

    pub fn target(&self, t: &Target) -> Value {
        match t {
            Target::User(u) => self.user_ref(u),
            Target::Schedule(s) => self.schedule_ref(s),
        }
    }

    pub fn escalation_policy(&self, ep: &EscalationPolicy) -> Value {
        let rules: Vec<Value> = ep
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "escalation_delay_in_minutes": r.delay_minutes,
                    "targets": r.targets.iter().map(|t| self.target(t)).collect::<Vec<_>>(),
                    "escalation_rule_assignment_strategy":
                        if r.round_robin { "round_robin" } else { "assign_to_everyone" },
                })
            })
            .collect();
        let services: Vec<Value> = self
            .acct
            .services
            .iter()
            .filter(|s| s.escalation_policy_id == ep.id)
            .map(|s| {
                if self.has("services") {
                    self.service(s)
                } else {
                    self.service_ref(&s.id)
                }
            })
            .collect();
        self.object(
            "escalation_policy",
            "escalation_policies",
            &ep.id,
            &ep.name,
            json!({
                "name": ep.name,
                "description": ep.description,
                "num_loops": ep.num_loops,
                "on_call_handoff_notifications": "if_has_services",
                "escalation_rules": rules,
                "services": services,
                "teams": self.teams_or_refs(&ep.team_ids, self.has("teams")),
            }),
        )
    }

    pub fn entries(&self, entries: &[Entry]) -> Vec<Value> {
        entries
            .iter()
            .map(|e| json!({"user": self.user_ref(&e.user_id), "start": self.time(e.start), "end": self.time(e.end)}))
            .collect()
    }

    /// A schedule; with a window, the layers, final schedule and overrides
    /// sub-schedule carry rendered entries.
    pub fn schedule(&self, s: &Schedule, window: Option<(Timestamp, Timestamp, bool)>) -> Value {
        // Restriction times of day are local to the schedule.
        let layers: Vec<Value> = s
            .layers
            .iter()
            .rev() // PagerDuty lists the highest-precedence layer first.
            .map(|l| {
                let mut v = json!({
                    "id": l.id,
                    "name": l.name,
                    "start": self.time(l.start),
                    "end": self.opt_time(l.end),
                    "users": l.user_ids.iter().map(|u| json!({"user": self.user_ref(u)})).collect::<Vec<_>>(),
                    "restrictions": l.restrictions.iter().map(|r| {
                        let mut o = json!({
                            "type": match r.kind { RestrictionKind::Daily => "daily_restriction", RestrictionKind::Weekly => "weekly_restriction" },
                            "duration_seconds": r.duration_seconds,
                            "start_time_of_day": format!("{:02}:{:02}:{:02}", r.start_time_of_day / 3600, (r.start_time_of_day / 60) % 60, r.start_time_of_day % 60),
                        });
                        if let Some(d) = r.start_day_of_week { o["start_day_of_week"] = json!(d); }
                        o
                    }).collect::<Vec<_>>(),
                    "rotation_virtual_start": self.time(l.rotation_virtual_start),
                    "rotation_turn_length_seconds": l.rotation_turn_length_seconds,
                });
                if let Some((since, until, _)) = window {
                    let e = schedule::render_layer(s, l, since, until);
                    v["rendered_schedule_entries"] = json!(self.entries(&e));
                    v["rendered_coverage_percentage"] = json!(schedule::coverage_percentage(&e, since, until));
                }
                v
            })
            .collect();
        let sub =
            |name: &str, entries: Option<Vec<Entry>>, range: Option<(Timestamp, Timestamp)>| {
                let mut v = json!({"name": name, "rendered_schedule_entries": []});
                if let (Some(e), Some((since, until))) = (entries, range) {
                    v["rendered_coverage_percentage"] =
                        json!(schedule::coverage_percentage(&e, since, until));
                    v["rendered_schedule_entries"] = json!(self.entries(&e));
                }
                v
            };
        let (fin, ovr, range) = match window {
            Some((since, until, overflow)) => {
                let fin = if overflow {
                    schedule::render_final_overflow(s, since, until)
                } else {
                    schedule::render_final(s, since, until)
                };
                (
                    Some(fin),
                    Some(schedule::render_overrides(s, since, until)),
                    Some((since, until)),
                )
            }
            None => (None, None, None),
        };
        let eps: Vec<Value> = self
            .acct
            .escalation_policies
            .iter()
            .filter(|ep| {
                ep.rules
                    .iter()
                    .any(|r| r.targets.contains(&Target::Schedule(s.id.clone())))
            })
            .map(|ep| self.ep_ref(&ep.id))
            .collect();
        let mut users: Vec<&String> = s.layers.iter().flat_map(|l| l.user_ids.iter()).collect();
        users.sort();
        users.dedup();
        self.object(
            "schedule",
            "schedules",
            &s.id,
            &s.name,
            json!({
                "name": s.name,
                "description": s.description,
                "time_zone": s.time_zone,
                "schedule_layers": layers,
                "final_schedule": sub("Final Schedule", fin, range),
                "overrides_subschedule": sub("Overrides", ovr, range),
                "escalation_policies": eps,
                "users": users.into_iter().map(|u| self.user_ref(u)).collect::<Vec<_>>(),
                "teams": s.team_ids.iter().map(|t| self.team_ref(t)).collect::<Vec<_>>(),
            }),
        )
    }

    pub fn override_(&self, o: &Override) -> Value {
        json!({"id": o.id, "start": self.time(o.start), "end": self.time(o.end), "user": self.user_ref(&o.user_id)})
    }

    pub fn priority(&self, p: &Priority) -> Value {
        let mut v = self.object(
            "priority",
            "priorities",
            &p.id,
            &p.name,
            json!({
                "name": p.name,
                "description": p.description,
                "color": p.color,
            }),
        );
        // Priorities have no page of their own in the web UI.
        v["html_url"] = Value::Null;
        v
    }

    pub fn log_entry_ref(&self, id: &str) -> Value {
        let kind = self
            .acct
            .log_entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.kind.as_str())
            .unwrap_or("trigger_log_entry");
        self.reference(kind, "log_entries", id, kind)
    }

    pub fn incident(&self, inc: &Incident) -> Value {
        let svc = match (self.has("services"), self.acct.service(&inc.service_id)) {
            (true, Some(s)) => self.service(s),
            _ => self.service_ref(&inc.service_id),
        };
        let ep = match (
            self.has("escalation_policies"),
            self.acct.escalation_policy(&inc.escalation_policy_id),
        ) {
            (true, Some(e)) => self.escalation_policy(e),
            _ => self.ep_ref(&inc.escalation_policy_id),
        };
        let full_user = |id: &str, flag: &str| match (
            self.has(flag) || self.has("users"),
            self.acct.user(id),
        ) {
            (true, Some(u)) => self.user(u),
            _ => self.user_ref(id),
        };
        let priority = inc
            .priority_id
            .as_deref()
            .and_then(|p| self.acct.priority(p))
            .map(|p| self.priority(p));
        let triggered = inc
            .alerts
            .iter()
            .filter(|a| a.status == AlertStatus::Triggered)
            .count();
        let first_trigger = match self
            .has("first_trigger_log_entries")
            .then(|| self.acct.first_trigger_log_entry(inc))
            .flatten()
        {
            Some(e) => self.log_entry(e),
            None => self.log_entry_ref(&inc.first_trigger_log_entry_id),
        };
        let responders: Vec<Value> = inc
            .responders
            .iter()
            .map(|r| {
                json!({
                    "state": r.state,
                    "user": self.user_ref(&r.user_id),
                    "incident": self.incident_ref(inc),
                    "updated_at": self.time(r.requested_at),
                    "message": r.message,
                    "requester": self.user_ref(&r.requester_id),
                    "requested_at": self.time(r.requested_at),
                })
            })
            .collect();
        let mut v = self.object(
            "incident",
            "incidents",
            &inc.id,
            &format!("[#{}] {}", inc.number, inc.title),
            json!({
                "incident_number": inc.number,
                "title": inc.title,
                "description": inc.title,
                "created_at": self.time(inc.created_at),
                "updated_at": self.time(inc.updated_at),
                "status": inc.status,
                "incident_key": inc.incident_key,
                "service": svc,
                "assignments": inc.assignments.iter().map(|(u, at)| json!({"at": self.time(*at), "assignee": full_user(u, "assignees")})).collect::<Vec<_>>(),
                "assigned_via": inc.assigned_via,
                "last_status_change_at": self.time(inc.last_status_change_at),
                "last_status_change_by": self.agent_ref(&inc.last_status_change_by),
                "resolved_at": self.opt_time(inc.resolved_at),
                "first_trigger_log_entry": first_trigger,
                "alert_counts": {"all": inc.alerts.len(), "triggered": triggered, "resolved": inc.alerts.len() - triggered},
                "is_mergeable": true,
                "incident_type": {"name": "incident_default"},
                "escalation_policy": ep,
                "teams": self.teams_or_refs(&inc.team_ids, self.has("teams")),
                "pending_actions": [],
                "acknowledgements": inc.acknowledgements.iter().map(|(u, at)| json!({"at": self.time(*at), "acknowledger": full_user(u, "acknowledgers")})).collect::<Vec<_>>(),
                "alert_grouping": null,
                "priority": priority,
                "resolve_reason": null,
                "incidents_responders": responders,
                "responder_requests": inc.responder_requests.iter().map(|r| self.responder_request(inc, r)).collect::<Vec<_>>(),
                "urgency": inc.urgency,
            }),
        );
        // `body` and `conference_bridge` appear only when included.
        if self.has("body") {
            v["body"] = json!({"type": "incident_body", "details": inc.body_details.clone().unwrap_or(json!(""))});
        }
        if self.has("conference_bridge") {
            v["conference_bridge"] = json!({"conference_number": null, "conference_url": null});
        }
        v
    }

    pub fn responder_request(&self, inc: &Incident, r: &ResponderRequest) -> Value {
        let targets: Vec<Value> = r
            .targets
            .iter()
            .map(|(kind, id)| {
                let summary = if kind.starts_with("user") {
                    self.acct.user(id).map(|u| u.name.clone())
                } else {
                    self.acct.escalation_policy(id).map(|e| e.name.clone())
                };
                let responders: Vec<Value> = inc
                    .responders
                    .iter()
                    .filter(|x| x.requested_at == r.requested_at && x.requester_id == r.requester_id)
                    .filter(|x| kind.starts_with("escalation_policy") || &x.user_id == id)
                    .map(|x| {
                        json!({
                            "state": x.state, "user": self.user_ref(&x.user_id), "incident": self.incident_ref(inc),
                            "updated_at": self.time(x.requested_at), "message": x.message,
                            "requester": self.user_ref(&x.requester_id), "requested_at": self.time(x.requested_at),
                        })
                    })
                    .collect();
                json!({"responder_request_target": {"type": kind, "id": id, "summary": summary, "incident_responders": responders}})
            })
            .collect();
        json!({
            "id": r.id,
            "incident": self.incident_ref(inc),
            "requester": self.user_ref(&r.requester_id),
            "requested_at": self.time(r.requested_at),
            "message": r.message,
            "responder_request_targets": targets,
        })
    }

    pub fn alert(&self, inc: &Incident, a: &Alert) -> Value {
        let integration = a.integration_id.as_deref().map(|id| {
            let mut r = self.reference(
                "events_api_v2_inbound_integration",
                "integrations",
                id,
                "Events API V2",
            );
            r["self"] = json!(format!(
                "{API_BASE}/services/{}/integrations/{id}",
                inc.service_id
            ));
            r
        });
        self.object(
            "alert",
            "alerts",
            &a.id,
            &a.summary,
            json!({
                "created_at": self.time(a.created_at),
                "status": a.status,
                "alert_key": a.alert_key,
                "service": if self.has("services") { self.acct.service(&inc.service_id).map(|s| self.service(s)).unwrap_or(Value::Null) } else { self.service_ref(&inc.service_id) },
                "first_trigger_log_entry": self.log_entry_ref(&inc.first_trigger_log_entry_id),
                "incident": self.incident_ref(inc),
                "suppressed": false,
                "severity": a.severity,
                "integration": integration,
                "body": {"type": "alert_body", "contexts": [], "details": a.details},
            }),
        )
    }

    pub fn note(&self, n: &Note) -> Value {
        json!({
            "id": n.id,
            "user": self.user_ref(&n.user_id),
            "channel": {"summary": "The PagerDuty website or APIs"},
            "content": n.content,
            "created_at": self.time(n.created_at),
            "updated_at": self.time(n.created_at),
        })
    }

    pub fn log_entry(&self, e: &LogEntry) -> Value {
        let inc = self.acct.incident(&e.incident_id);
        let incident = match (self.has("incidents"), inc) {
            (true, Some(i)) => Render::new(self.acct).tz(Some(self.tz.clone())).incident(i),
            (_, Some(i)) => self.incident_ref(i),
            _ => self.reference("incident", "incidents", &e.incident_id, ""),
        };
        let service = match (self.has("services"), self.acct.service(&e.service_id)) {
            (true, Some(s)) => self.service(s),
            _ => self.service_ref(&e.service_id),
        };
        let mut channel = json!({"type": e.channel});
        if e.channel == "note" || e.note.is_some() {
            channel["summary"] = json!(e.note.clone().unwrap_or_default());
        }
        let mut v = self.object(
            &e.kind,
            "log_entries",
            &e.id,
            &e.summary,
            json!({
                "created_at": self.time(e.created_at),
                "agent": self.agent_ref(&e.agent),
                "channel": channel,
                "service": service,
                "incident": incident,
                "teams": self.teams_or_refs(&e.team_ids, self.has("teams")),
                "contexts": [],
                "event_details": {"description": e.summary},
            }),
        );
        // A log entry's page is under its incident; without one there is none.
        v["html_url"] =
            json!(inc.map(|i| self.html(&format!("/incidents/{}/log_entries/{}", i.id, e.id))));
        if let Some(n) = &e.note {
            v["note"] = json!(n);
        }
        if matches!(
            e.kind.as_str(),
            "assign_log_entry" | "escalate_log_entry" | "delegate_log_entry"
        ) {
            v["assignees"] = json!(
                e.assignees
                    .iter()
                    .map(|u| self.user_ref(u))
                    .collect::<Vec<_>>()
            );
        }
        if let Some(u) = &e.user_id {
            v["user"] = self.user_ref(u);
        }
        if e.kind == "acknowledge_log_entry" {
            let timeout = self
                .acct
                .service(&e.service_id)
                .and_then(|s| s.acknowledgement_timeout);
            v["acknowledgement_timeout"] = json!(timeout);
        }
        v
    }
}
