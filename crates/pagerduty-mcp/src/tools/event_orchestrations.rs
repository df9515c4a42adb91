//! Event orchestrations: how events are routed to services and what rules apply to them.

use pagerduty::ids::{EventOrchestrationId, ServiceId};
use pagerduty::models::{
    EventOrchestration, OrchestrationCondition, OrchestrationPath, OrchestrationRule,
    OrchestrationRuleSet,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, window};
use crate::registry::{Access, Domain, ToolDef, Tools};

const EVENT_ORCHESTRATIONS: Tools = Tools(Domain::EventOrchestrations);

pub fn tools() -> Vec<ToolDef> {
    vec![
        EVENT_ORCHESTRATIONS.read(
            "list_event_orchestrations",
            "Global event orchestrations: name, team, number of routes.",
            |ctx: Ctx, a: ListArgs| async move {
                let w = window(a.limit, a.offset, 100)?;
                let sort = a.sort_by.unwrap_or(SortBy::NameAsc);
                Ok(Listing::<EventOrchestration>::from(
                    ctx.pd
                        .list_event_orchestrations(Some(sort.as_str()), w)
                        .await?,
                ))
            },
        ),
        EVENT_ORCHESTRATIONS.get(
            "get_event_orchestration",
            "One event orchestration: team, routing keys (integrations), route count.",
            |a: OrchestrationArg| a.orchestration_id,
        ),
        EVENT_ORCHESTRATIONS.read(
            "get_event_orchestration_router",
            "The routing rules of an orchestration: which conditions send events to which service.",
            |ctx: Ctx, a: OrchestrationArg| async move {
                Ok::<OrchestrationPath, _>(
                    ctx.pd
                        .get_event_orchestration_router(&a.orchestration_id)
                        .await?,
                )
            },
        ),
        EVENT_ORCHESTRATIONS
            .read(
                "get_event_orchestration_service",
                "The event rules of one service (severity, priority, suppression…).",
                |ctx: Ctx, a: ServiceArg| async move {
                    Ok::<OrchestrationPath, _>(
                        ctx.pd.get_service_orchestration(&a.service_id).await?,
                    )
                },
            )
            .titled("Get service orchestration"),
        EVENT_ORCHESTRATIONS
            .read(
                "get_event_orchestration_global",
                "The rules an orchestration applies to every event before routing.",
                |ctx: Ctx, a: OrchestrationArg| async move {
                    Ok::<OrchestrationPath, _>(
                        ctx.pd
                            .get_event_orchestration_global(&a.orchestration_id)
                            .await?,
                    )
                },
            )
            .titled("Get global orchestration rules"),
        EVENT_ORCHESTRATIONS
            .write(
                Access::Write {
                    destructive: true, // it replaces every routing rule
                    idempotent: true,
                },
                "update_event_orchestration_router",
                "Replace ALL routing rules and the catch-all of an orchestration's router. Read \
                 it first with get_event_orchestration_router; to add one rule use \
                 append_event_orchestration_router_rule.",
                update_router,
            )
            .titled("Replace event orchestration router"),
        EVENT_ORCHESTRATIONS
            .create(
                "append_event_orchestration_router_rule",
                "Add one routing rule at the end of an orchestration's router, keeping the \
                 existing rules.",
                append_rule,
            )
            .titled("Add event orchestration routing rule"),
    ]
}

#[derive(Clone, Copy, Deserialize, JsonSchema)]
enum SortBy {
    #[serde(rename = "name:asc")]
    NameAsc,
    #[serde(rename = "name:desc")]
    NameDesc,
    #[serde(rename = "routes:asc")]
    RoutesAsc,
    #[serde(rename = "routes:desc")]
    RoutesDesc,
    #[serde(rename = "created_at:asc")]
    CreatedAtAsc,
    #[serde(rename = "created_at:desc")]
    CreatedAtDesc,
}

impl SortBy {
    fn as_str(self) -> &'static str {
        match self {
            Self::NameAsc => "name:asc",
            Self::NameDesc => "name:desc",
            Self::RoutesAsc => "routes:asc",
            Self::RoutesDesc => "routes:desc",
            Self::CreatedAtAsc => "created_at:asc",
            Self::CreatedAtDesc => "created_at:desc",
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    /// 1-1000; default 100.
    limit: Option<u32>,
    offset: Option<u32>,
    /// Default name:asc.
    sort_by: Option<SortBy>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OrchestrationArg {
    orchestration_id: EventOrchestrationId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ServiceArg {
    service_id: ServiceId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ConditionArg {
    /// PCL, e.g. `event.summary matches part 'checkout'`.
    expression: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DynamicRouteArg {
    /// Event field to read, e.g. event.custom_details.service.
    source: String,
    /// Regex whose first capture group is the service.
    regex: String,
    lookup_by: LookupBy,
}

#[derive(Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum LookupBy {
    ServiceName,
    ServiceId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RouteActionsArg {
    /// The service id events go to.
    route_to: Option<ServiceId>,
    dynamic_route_to: Option<DynamicRouteArg>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RuleArg {
    /// Keep an existing rule's id; leave out for a new rule.
    id: Option<String>,
    label: Option<String>,
    /// All must match; empty matches every event.
    conditions: Vec<ConditionArg>,
    actions: RouteActionsArg,
    disabled: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RuleSetArg {
    /// Must be "start".
    id: String,
    rules: Vec<RuleArg>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CatchAllActionsArg {
    /// A service id, or "unrouted" (the default).
    route_to: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CatchAllArg {
    actions: CatchAllActionsArg,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RouterPathArg {
    /// "router" (may be left out).
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Read-only; accepted and ignored.
    #[schemars(skip)]
    #[serde(default)]
    #[allow(dead_code)]
    parent: Option<Value>,
    /// Exactly one set, id "start".
    sets: Vec<RuleSetArg>,
    catch_all: CatchAllArg,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RouterUpdateArg {
    orchestration_path: RouterPathArg,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateRouterArgs {
    orchestration_id: EventOrchestrationId,
    router_update: RouterUpdateArg,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NewRuleArg {
    label: Option<String>,
    /// All must match; empty matches every event.
    conditions: Vec<ConditionArg>,
    actions: RouteActionsArg,
    /// Default false.
    disabled: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AppendRuleArgs {
    orchestration_id: EventOrchestrationId,
    new_rule: NewRuleArg,
}

fn conditions(at: &str, list: Vec<ConditionArg>) -> Result<Vec<OrchestrationCondition>, ToolError> {
    list.into_iter()
        .enumerate()
        .map(|(i, c)| {
            let expression = c.expression.trim().to_owned();
            if expression.is_empty() {
                Err(ToolError::invalid(
                    &format!("{at}.conditions[{i}].expression"),
                    "must be a PCL expression, e.g. event.summary matches part 'db'",
                ))
            } else {
                Ok(OrchestrationCondition { expression })
            }
        })
        .collect()
}

/// Checks the route and that its service exists, then builds the `actions` object.
async fn route_actions(ctx: &Ctx, at: &str, a: RouteActionsArg) -> Result<Value, ToolError> {
    match (a.route_to, a.dynamic_route_to) {
        (Some(_), Some(_)) => Err(ToolError::invalid(
            &format!("{at}.actions"),
            "give either route_to or dynamic_route_to, not both",
        )),
        (None, None) => Err(ToolError::invalid(
            &format!("{at}.actions.route_to"),
            "is required: the id of the service matching events go to",
        )),
        (Some(service), None) => {
            service_exists(ctx, &format!("{at}.actions.route_to"), &service).await?;
            Ok(json!({"route_to": service}))
        }
        (None, Some(d)) => {
            if d.source.trim().is_empty() || d.regex.trim().is_empty() {
                return Err(ToolError::invalid(
                    &format!("{at}.actions.dynamic_route_to"),
                    "source and regex must not be empty",
                ));
            }
            Ok(
                json!({"dynamic_route_to": {"source": d.source, "regex": d.regex, "lookup_by": d.lookup_by}}),
            )
        }
    }
}

async fn service_exists(ctx: &Ctx, field: &str, id: &ServiceId) -> Result<(), ToolError> {
    match ctx.pd.get(id).await {
        Ok(_) => Ok(()),
        Err(e) if e.status() == Some(404) => Err(ToolError::invalid(
            field,
            format!("no service {id} exists; find the id with list_services"),
        )),
        Err(e) => Err(e.into()),
    }
}

async fn update_router(ctx: Ctx, a: UpdateRouterArgs) -> Result<OrchestrationPath, ToolError> {
    let path = a.router_update.orchestration_path;
    let base = "router_update.orchestration_path";
    if let Some(kind) = path.kind.as_deref()
        && kind != "router"
    {
        return Err(ToolError::invalid(
            &format!("{base}.type"),
            format!("must be \"router\", got {kind:?}"),
        ));
    }
    let mut sets = path.sets;
    if sets.len() != 1 {
        return Err(ToolError::invalid(
            &format!("{base}.sets"),
            format!(
                "must hold exactly one set with id \"start\", got {}",
                sets.len()
            ),
        ));
    }
    let set = sets.remove(0);
    if set.id != "start" {
        return Err(ToolError::invalid(
            &format!("{base}.sets[0].id"),
            format!("must be \"start\", got {:?}", set.id),
        ));
    }
    let mut rules = Vec::new();
    for (i, r) in set.rules.into_iter().enumerate() {
        let at = format!("{base}.sets[0].rules[{i}]");
        rules.push(OrchestrationRule {
            id: r.id.filter(|id| !id.trim().is_empty()),
            label: r.label,
            conditions: conditions(&at, r.conditions)?,
            actions: route_actions(&ctx, &at, r.actions).await?,
            disabled: r.disabled.unwrap_or(false),
        });
    }
    let catch_all = match path.catch_all.actions.route_to.as_deref().map(str::trim) {
        None | Some("" | "unrouted") => json!({"actions": {"route_to": "unrouted"}}),
        Some(id) => {
            let field = format!("{base}.catch_all.actions.route_to");
            let service =
                ServiceId::new(id).map_err(|e| ToolError::invalid(&field, e.to_string()))?;
            service_exists(&ctx, &field, &service).await?;
            json!({"actions": {"route_to": service}})
        }
    };
    let sets = [OrchestrationRuleSet {
        id: "start".into(),
        rules,
    }];
    Ok(ctx
        .pd
        .update_event_orchestration_router(&a.orchestration_id, &sets, &catch_all)
        .await?)
}

async fn append_rule(ctx: Ctx, a: AppendRuleArgs) -> Result<OrchestrationPath, ToolError> {
    let r = a.new_rule;
    let rule = OrchestrationRule {
        id: None,
        label: r.label,
        conditions: conditions("new_rule", r.conditions)?,
        actions: route_actions(&ctx, "new_rule", r.actions).await?,
        disabled: r.disabled.unwrap_or(false),
    };
    let mut router = ctx
        .pd
        .get_event_orchestration_router(&a.orchestration_id)
        .await?;
    let Some(first) = router.sets.first_mut() else {
        return Err(ToolError::Refused(format!(
            "the router of orchestration {} has no rule sets to append to; create the \"start\" \
             set with update_event_orchestration_router",
            a.orchestration_id
        )));
    };
    first.rules.push(rule);
    let catch_all = router
        .catch_all
        .unwrap_or_else(|| json!({"actions": {"route_to": "unrouted"}}));
    Ok(ctx
        .pd
        .update_event_orchestration_router(&a.orchestration_id, &router.sets, &catch_all)
        .await?)
}
