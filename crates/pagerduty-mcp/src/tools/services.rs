//! Services: what incidents are opened against.

use pagerduty::api::services::{ServiceFields, ServiceQuery};
use pagerduty::ids::{EscalationPolicyId, ServiceId, TeamId};
use pagerduty::models::Service;
use schemars::JsonSchema;
use serde::Deserialize;

use super::refs::IdRef;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Domain, ToolDef, Tools};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListServicesArgs {
    /// Name contains this text.
    query: Option<String>,
    /// Only these teams' services (`teams_ids` is accepted too).
    #[serde(alias = "teams_ids")]
    team_ids: Option<Vec<TeamId>>,
    /// Default 100.
    limit: Option<u32>,
    offset: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetServiceArgs {
    service_id: ServiceId,
}

const SERVICES: Tools = Tools(Domain::Services);

pub fn tools() -> Vec<ToolDef> {
    vec![
        SERVICES.read(
            "list_services",
            "Find services by name or team, sorted by name, with their status and escalation \
             policy.",
            |ctx: Ctx, a: ListServicesArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                let q = ServiceQuery {
                    query: a.query,
                    team_ids: a.team_ids.unwrap_or_default(),
                };
                Ok(Listing::<Service>::from(ctx.pd.list(&q, w).await?))
            },
        ),
        SERVICES.get(
            "get_service",
            "One service by id: status, escalation policy, teams, time-outs, last incident.",
            |a: GetServiceArgs| a.service_id,
        ),
        SERVICES.create(
            "create_service",
            "Create a service (unique name) on an escalation policy, with its teams, time-outs \
             and incident urgency.",
            |ctx: Ctx, a: CreateServiceArgs| async move {
                let fields = service_fields(a.service_data.service, true)?;
                Ok::<Service, _>(ctx.pd.create(&fields).await?)
            },
        ),
        SERVICES.update(
            "update_service",
            "Change a service's name, description, escalation policy, teams, time-outs, urgency, \
             or disable/enable it; unset fields are kept.",
            |ctx: Ctx, a: UpdateServiceArgs| async move {
                let fields = service_fields(a.service_data.service, false)?;
                Ok::<Service, _>(ctx.pd.update(&a.service_id, &fields).await?)
            },
        ),
    ]
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum ServiceStatus {
    Active,
    Disabled,
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum UrgencyRuleType {
    Constant,
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum RuleUrgency {
    High,
    Low,
    SeverityBased,
}

/// The urgency of every new incident.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UrgencyRule {
    #[serde(rename = "type")]
    kind: UrgencyRuleType,
    urgency: RuleUrgency,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ServiceModel {
    /// Required to create; unique.
    name: Option<String>,
    description: Option<String>,
    /// Required to create.
    escalation_policy: Option<IdRef<EscalationPolicyId>>,
    teams: Option<Vec<IdRef<TeamId>>>,
    /// Seconds before an acknowledged incident re-triggers; 0 = never.
    acknowledgement_timeout: Option<u64>,
    /// Seconds before an open incident resolves itself; 0 = never.
    auto_resolve_timeout: Option<u64>,
    /// Update only: disabled stops new incidents.
    status: Option<ServiceStatus>,
    incident_urgency_rule: Option<UrgencyRule>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ServiceData {
    service: ServiceModel,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateServiceArgs {
    service_data: ServiceData,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateServiceArgs {
    service_id: ServiceId,
    service_data: ServiceData,
}

fn service_fields(s: ServiceModel, create: bool) -> Result<ServiceFields, ToolError> {
    const AT: &str = "service_data.service";
    let name = s.name.map(|n| n.trim().to_owned());
    if name.as_deref() == Some("") || (create && name.is_none()) {
        return Err(ToolError::invalid(
            &format!("{AT}.name"),
            "give the service a name",
        ));
    }
    if create && s.escalation_policy.is_none() {
        return Err(ToolError::invalid(
            &format!("{AT}.escalation_policy"),
            "a service needs an escalation policy: {\"id\": …} from list_escalation_policies",
        ));
    }
    if create && matches!(s.status, Some(ServiceStatus::Disabled)) {
        return Err(ToolError::invalid(
            &format!("{AT}.status"),
            "a service is created active; disable it afterwards with update_service",
        ));
    }
    let fields = ServiceFields {
        name,
        description: s.description,
        escalation_policy_id: s.escalation_policy.map(|e| e.id),
        team_ids: s.teams.map(|ts| ts.into_iter().map(|t| t.id).collect()),
        acknowledgement_timeout: s.acknowledgement_timeout.map(Some),
        auto_resolve_timeout: s.auto_resolve_timeout.map(Some),
        status: s.status.map(|st| {
            match st {
                ServiceStatus::Active => "active",
                ServiceStatus::Disabled => "disabled",
            }
            .to_owned()
        }),
        urgency: s.incident_urgency_rule.map(|r| {
            let UrgencyRuleType::Constant = r.kind;
            match r.urgency {
                RuleUrgency::High => "high",
                RuleUrgency::Low => "low",
                RuleUrgency::SeverityBased => "severity_based",
            }
            .to_owned()
        }),
    };
    let empty = fields.name.is_none()
        && fields.description.is_none()
        && fields.escalation_policy_id.is_none()
        && fields.team_ids.is_none()
        && fields.acknowledgement_timeout.is_none()
        && fields.auto_resolve_timeout.is_none()
        && fields.status.is_none()
        && fields.urgency.is_none();
    if empty {
        return Err(ToolError::invalid(
            AT,
            "nothing to change: set at least one field",
        ));
    }
    Ok(fields)
}
