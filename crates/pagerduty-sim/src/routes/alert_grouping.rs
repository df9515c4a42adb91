//! Alert grouping settings: cursor-paginated list (`after`/`before`), get, create,
//! replace and delete, with PagerDuty's per-type config validation.

use axum::Json;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Call, Created, Ctx, Deleted, JsonReply, Ref, Updated, by_id, write_time};
use crate::error::{ApiError, ApiResult};
use crate::paging::Params;
use crate::render::{API_BASE, Render};
use crate::store::{Account, AlertGroupingSetting};

pub const TYPES: &[&str] = &[
    "content_based",
    "content_based_intelligent",
    "intelligent",
    "time",
];

fn render(r: &Render, s: &AlertGroupingSetting) -> Value {
    let mut config = s.config.clone();
    // PagerDuty suggests a window from the services' alert history.
    if s.kind != "time" {
        config["recommended_time_window"] = json!(300);
    }
    json!({
        "id": s.id,
        "type": s.kind,
        "name": s.name,
        "description": s.description,
        "config": config,
        "services": s.service_ids.iter().map(|id| {
            let mut v = r.service_ref(id);
            v["name"] = v["summary"].clone();
            v
        }).collect::<Vec<_>>(),
        "created_at": r.time(s.created_at),
        "updated_at": r.time(s.updated_at),
        "self": format!("{API_BASE}/alert_grouping_settings/{}", s.id),
    })
}

/// Cursors are opaque to clients: the hex of `a:<id>` / `b:<id>`.
fn encode_cursor(dir: char, id: &str) -> String {
    format!("{dir}:{id}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_cursor(name: &str, dir: char, raw: &str) -> ApiResult<String> {
    let bad = || ApiError::invalid(format!("{name} is not a valid cursor"));
    if !raw.len().is_multiple_of(2) {
        return Err(bad());
    }
    let bytes: Vec<u8> = (0..raw.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(raw.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix(&format!("{dir}:"))
        .map(str::to_owned)
        .ok_or_else(bad)
}

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = Render::new(a);
        let limit = p.limit(25)?;
        let services = p.set("service_ids[]");
        let all: Vec<&AlertGroupingSetting> = a
            .alert_grouping_settings
            .iter()
            .filter(|s| services.is_empty() || s.service_ids.iter().any(|x| services.contains(x)))
            .collect();
        let pos = |id: &str| {
            all.iter()
                .position(|s| s.id == id)
                .ok_or_else(|| ApiError::invalid("the cursor no longer points at a setting"))
        };
        let (start, end) = match (p.get("after"), p.get("before")) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid("use either after or before, not both"));
            }
            (Some(after), None) => {
                let s = pos(&decode_cursor("after", 'a', after)?)? + 1;
                (s, (s + limit).min(all.len()))
            }
            (None, Some(before)) => {
                let e = pos(&decode_cursor("before", 'b', before)?)?;
                (e.saturating_sub(limit), e)
            }
            (None, None) => (0, limit.min(all.len())),
        };
        let page = &all[start..end];
        let after = (end < all.len())
            .then(|| page.last().map(|s| encode_cursor('a', &s.id)))
            .flatten();
        let before = (start > 0)
            .then(|| page.first().map(|s| encode_cursor('b', &s.id)))
            .flatten();
        Ok(Json(json!({
            "alert_grouping_settings": page.iter().map(|s| render(&r, s)).collect::<Vec<_>>(),
            "after": after,
            "before": before,
            "limit": limit,
            "total": if p.bool("total")? { json!(all.len()) } else { Value::Null },
        })))
    })
}

by_id!(
    AlertGroupingSetting,
    "alert_grouping_setting",
    alert_grouping_settings,
    None,
    |r, x| render(r, x)
);

fn int_in(config: &Value, field: &str, lo: i64, hi: i64, kind: &str) -> ApiResult<()> {
    match config.get(field).and_then(Value::as_i64) {
        Some(v) if (lo..=hi).contains(&v) => Ok(()),
        Some(v) => Err(ApiError::invalid(format!(
            "config.{field} must be between {lo} and {hi} for type {kind}, got {v}"
        ))),
        None => Err(ApiError::invalid(format!(
            "config.{field} is required for type {kind} (an integer from {lo} to {hi})"
        ))),
    }
}

fn string_list(config: &Value, field: &str, required: bool) -> ApiResult<()> {
    match config.get(field) {
        None | Some(Value::Null) if !required => Ok(()),
        Some(Value::Array(items))
            if !items.is_empty()
                && items
                    .iter()
                    .all(|f| f.as_str().is_some_and(|s| !s.is_empty())) =>
        {
            Ok(())
        }
        _ => Err(ApiError::invalid(format!(
            "config.{field} must be a non-empty array of field names"
        ))),
    }
}

/// `{alert_grouping_setting: {…}}` of a create or a replace; `config` is checked per type.
#[derive(Deserialize)]
pub struct SettingBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    description: Option<String>,
    config: Option<Map<String, Value>>,
    #[serde(default)]
    services: Vec<Ref>,
}

/// Checks the body and puts it into `s` (a replace: every part is set).
fn apply(a: &Account, s: &mut AlertGroupingSetting, b: SettingBody) -> ApiResult<()> {
    let kind = b
        .kind
        .filter(|t| TYPES.contains(&t.as_str()))
        .ok_or_else(|| ApiError::invalid(format!("type must be one of: {}", TYPES.join(", "))))?;
    let mut config = Value::Object(
        b.config
            .ok_or_else(|| ApiError::invalid("config is required"))?,
    );
    match kind.as_str() {
        "time" => int_in(&config, "timeout", 60, 86_400, &kind)?,
        "intelligent" => {
            int_in(&config, "time_window", 300, 3600, &kind)?;
            string_list(&config, "iag_fields", false)?;
        }
        _ => {
            let hi = if kind == "content_based" {
                86_400
            } else {
                3600
            };
            int_in(&config, "time_window", 300, hi, &kind)?;
            match config.get("aggregate").and_then(Value::as_str) {
                Some("all" | "any") => {}
                _ => return Err(ApiError::invalid("config.aggregate must be all or any")),
            }
            string_list(&config, "fields", true)?;
        }
    }
    if let Some(o) = config.as_object_mut() {
        o.remove("recommended_time_window");
    }
    if kind == "intelligent" && config.get("iag_fields").is_none_or(Value::is_null) {
        config["iag_fields"] = json!(["summary"]);
    }
    if b.services.is_empty() {
        return Err(ApiError::invalid("services must list at least one service"));
    }
    let mut ids: Vec<String> = Vec::new();
    for Ref { id } in b.services {
        if id.is_empty() {
            return Err(ApiError::invalid("services[].id is required"));
        }
        if a.service(&id).is_none() {
            return Err(ApiError::invalid(format!("Service {id} not found")));
        }
        // A service follows one grouping setting at a time.
        if let Some(other) = a
            .alert_grouping_settings
            .iter()
            .find(|g| g.id != s.id && g.service_ids.contains(&id))
        {
            return Err(ApiError::invalid(format!(
                "Service {id} already uses alert grouping setting {}; remove it there first",
                other.id
            )));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    s.name = b.name;
    s.description = b.description;
    s.kind = kind;
    s.config = config;
    s.service_ids = ids;
    Ok(())
}

impl Created for AlertGroupingSetting {
    type Body = SettingBody;
    fn create(a: &mut Account, body: SettingBody, _: &Call) -> ApiResult<Self> {
        let now = write_time();
        let mut s = AlertGroupingSetting {
            id: a.new_id(),
            name: None,
            description: None,
            kind: String::new(),
            config: Value::Null,
            service_ids: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        apply(a, &mut s, body)?;
        Ok(s)
    }
}

impl Updated for AlertGroupingSetting {
    type Patch = SettingBody;
    fn update(a: &mut Account, s: &mut Self, body: SettingBody, _: &Call) -> ApiResult<()> {
        apply(a, s, body)?;
        s.updated_at = write_time();
        Ok(())
    }
}

impl Deleted for AlertGroupingSetting {}
