//! Alert grouping settings: how alerts on services are grouped into incidents.

use pagerduty::api::alert_grouping::{AlertGroupingQuery, AlertGroupingSettingSpec};
use pagerduty::ids::{AlertGroupingSettingId, ServiceId};
use pagerduty::models::{AlertGroupingSetting, AlertGroupingType};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::refs::IdRef;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{MAX_LIMIT, bounded};
use crate::registry::{Access, Domain, ToolDef, Tools};

const ALERT_GROUPING: Tools = Tools(Domain::AlertGrouping);

pub fn tools() -> Vec<ToolDef> {
    vec![
        ALERT_GROUPING.read(
            "list_alert_grouping_settings",
            "How alerts are grouped into incidents, per service: type (content_based, \
             intelligent, time…) and config. Page with the returned `after` cursor.",
            list,
        ),
        ALERT_GROUPING.get(
            "get_alert_grouping_setting",
            "One alert grouping setting by id: type, config and services.",
            |a: SettingIdArg| a.setting_id,
        ),
        ALERT_GROUPING.create(
            "create_alert_grouping_setting",
            "Set how alerts on one or more services group into incidents. A service can follow \
             only one setting.",
            |ctx: Ctx, a: CreateArgs| async move {
                let spec = a
                    .create_model
                    .alert_grouping_setting
                    .spec("create_model.alert_grouping_setting")?;
                Ok::<AlertGroupingSetting, _>(ctx.pd.create(&spec).await?)
            },
        ),
        ALERT_GROUPING
            .write(
                Access::Write {
                    destructive: true, // it replaces the whole setting
                    idempotent: true,
                },
                "update_alert_grouping_setting",
                "Replace an alert grouping setting's type, config, services, name and description \
                 (send them all; omitted ones are cleared).",
                |ctx: Ctx, a: UpdateArgs| async move {
                    let spec = a
                        .update_model
                        .alert_grouping_setting
                        .spec("update_model.alert_grouping_setting")?;
                    Ok::<AlertGroupingSetting, _>(ctx.pd.update(&a.setting_id, &spec).await?)
                },
            )
            .titled("Replace alert grouping setting"),
        ALERT_GROUPING.destroy(
            "delete_alert_grouping_setting",
            "Delete an alert grouping setting; its services then create one incident per alert.",
            |ctx: Ctx, a: SettingIdArg| async move {
                ctx.pd.delete_alert_grouping_setting(&a.setting_id).await?;
                Ok(Deleted {
                    deleted: a.setting_id,
                })
            },
        ),
    ]
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListArgs {
    service_ids: Option<Vec<ServiceId>>,
    /// Default 100.
    limit: Option<u32>,
    /// Cursor: continue after a previous result's `after`.
    after: Option<String>,
    /// Cursor: the page before a previous result's `before`.
    before: Option<String>,
    /// Also return how many settings match.
    total: Option<bool>,
}

#[derive(Serialize, JsonSchema)]
struct SettingsPage {
    items: Vec<AlertGroupingSetting>,
    /// Pass as `after` for more; absent at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<String>,
    /// Pass as `before` for the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<u64>,
}

fn cursor(field: &str, v: Option<String>) -> Result<Option<String>, ToolError> {
    match v {
        Some(c) if c.trim().is_empty() => Err(ToolError::invalid(
            field,
            "must be a cursor from a previous result, or left out",
        )),
        other => Ok(other),
    }
}

async fn list(ctx: Ctx, a: ListArgs) -> Result<SettingsPage, ToolError> {
    let limit = bounded("limit", a.limit, 100, MAX_LIMIT)?;
    if a.after.is_some() && a.before.is_some() {
        return Err(ToolError::invalid(
            "after",
            "give either `after` or `before`, not both",
        ));
    }
    let q = AlertGroupingQuery {
        service_ids: a.service_ids.unwrap_or_default(),
        after: cursor("after", a.after)?,
        before: cursor("before", a.before)?,
        total: a.total.unwrap_or(false),
    };
    let page = ctx.pd.list_alert_grouping_settings(&q, limit).await?;
    Ok(SettingsPage {
        items: page.items,
        after: page.after,
        before: page.before,
        total: page.total,
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SettingIdArg {
    setting_id: AlertGroupingSettingId,
}

#[derive(Serialize, JsonSchema)]
struct Deleted {
    deleted: AlertGroupingSettingId,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Aggregate {
    /// Every field must match.
    All,
    /// Any field may match.
    Any,
}

/// Fields by type: content_based and content_based_intelligent: aggregate, fields,
/// time_window; intelligent: time_window, iag_fields; time: timeout.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ConfigArgs {
    aggregate: Option<Aggregate>,
    /// Alert fields to match, e.g. summary, component, custom_details.host.
    fields: Option<Vec<String>>,
    /// Seconds: 300-86400 (content_based) or 300-3600 (intelligent types).
    time_window: Option<u32>,
    /// type=time: seconds, 60-86400.
    timeout: Option<u32>,
    /// type=intelligent: fields the model reads; default ["summary"].
    iag_fields: Option<Vec<String>>,
    /// Read-only (PagerDuty's suggestion); accepted and ignored.
    #[schemars(skip)]
    #[serde(default)]
    #[allow(dead_code)]
    recommended_time_window: Option<Value>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SettingArgs {
    name: Option<String>,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: AlertGroupingType,
    config: ConfigArgs,
    /// The services it applies to (at least one).
    services: Vec<IdRef<ServiceId>>,
}

fn range(
    path: &str,
    field: &str,
    v: Option<u32>,
    lo: u32,
    hi: u32,
    kind: &str,
) -> Result<u32, ToolError> {
    match v {
        Some(v) if (lo..=hi).contains(&v) => Ok(v),
        Some(v) => Err(ToolError::invalid(
            &format!("{path}.config.{field}"),
            format!("must be {lo}-{hi} seconds for type {kind}, got {v}"),
        )),
        None => Err(ToolError::invalid(
            &format!("{path}.config.{field}"),
            format!("is required for type {kind} ({lo}-{hi} seconds)"),
        )),
    }
}

fn names(
    path: &str,
    field: &str,
    v: Option<Vec<String>>,
) -> Result<Option<Vec<String>>, ToolError> {
    match v {
        Some(list) if list.is_empty() || list.iter().any(|f| f.trim().is_empty()) => {
            Err(ToolError::invalid(
                &format!("{path}.config.{field}"),
                "must list at least one non-empty field name",
            ))
        }
        other => Ok(other),
    }
}

impl SettingArgs {
    /// Checks the config against the type's rules and builds the request.
    fn spec(self, path: &str) -> Result<AlertGroupingSettingSpec, ToolError> {
        let c = self.config;
        let kind = self.kind.as_str();
        let not_for = |field: &str, set: bool| -> Result<(), ToolError> {
            if set {
                Err(ToolError::invalid(
                    &format!("{path}.config.{field}"),
                    format!("does not apply to type {kind}"),
                ))
            } else {
                Ok(())
            }
        };
        let config = match self.kind {
            AlertGroupingType::Time => {
                not_for("time_window", c.time_window.is_some())?;
                not_for("aggregate", c.aggregate.is_some())?;
                not_for("fields", c.fields.is_some())?;
                not_for("iag_fields", c.iag_fields.is_some())?;
                json!({"timeout": range(path, "timeout", c.timeout, 60, 86_400, kind)?})
            }
            AlertGroupingType::Intelligent => {
                not_for("timeout", c.timeout.is_some())?;
                not_for("aggregate", c.aggregate.is_some())?;
                not_for("fields", c.fields.is_some())?;
                let window = range(path, "time_window", c.time_window, 300, 3600, kind)?;
                let iag = names(path, "iag_fields", c.iag_fields)?
                    .unwrap_or_else(|| vec!["summary".into()]);
                json!({"time_window": window, "iag_fields": iag})
            }
            AlertGroupingType::ContentBased | AlertGroupingType::ContentBasedIntelligent => {
                not_for("timeout", c.timeout.is_some())?;
                not_for("iag_fields", c.iag_fields.is_some())?;
                let hi = if self.kind == AlertGroupingType::ContentBased {
                    86_400
                } else {
                    3600
                };
                let window = range(path, "time_window", c.time_window, 300, hi, kind)?;
                let aggregate = c.aggregate.ok_or_else(|| {
                    ToolError::invalid(
                        &format!("{path}.config.aggregate"),
                        format!("is required for type {kind}: all or any"),
                    )
                })?;
                let fields = names(path, "fields", c.fields)?.ok_or_else(|| {
                    ToolError::invalid(
                        &format!("{path}.config.fields"),
                        format!("is required for type {kind}, e.g. [\"summary\", \"component\"]"),
                    )
                })?;
                json!({"aggregate": aggregate, "fields": fields, "time_window": window})
            }
        };
        if self.services.is_empty() {
            return Err(ToolError::invalid(
                &format!("{path}.services"),
                "name at least one service: [{\"id\": \"P…\"}]",
            ));
        }
        Ok(AlertGroupingSettingSpec {
            name: self.name.filter(|n| !n.trim().is_empty()),
            description: self.description.filter(|d| !d.trim().is_empty()),
            kind: self.kind,
            config,
            service_ids: self.services.into_iter().map(|s| s.id).collect(),
        })
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SettingModel {
    alert_grouping_setting: SettingArgs,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateArgs {
    create_model: SettingModel,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateArgs {
    setting_id: AlertGroupingSettingId,
    update_model: SettingModel,
}
