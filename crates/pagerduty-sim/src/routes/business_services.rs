//! Business services and the service dependency graph.

use axum::{
    Json,
    extract::Path,
    routing::{MethodRouter, get},
};
use serde_json::{Value, json};

use super::{Ctx, JsonReply, find, paginated, read};
use crate::AppState;
use crate::paging::Params;
use crate::render::{API_BASE, Render};
use crate::store::{Account, BusinessService, ServiceKind};

fn render(r: &Render, b: &BusinessService) -> Value {
    json!({
        "id": b.id,
        "type": "business_service",
        "summary": b.name,
        "self": format!("{API_BASE}/business_services/{}", b.id),
        "html_url": null,
        "name": b.name,
        "description": b.description,
        "point_of_contact": b.point_of_contact,
        "team": b.team_id.as_ref().map(|t| {
            let mut v = r.team_ref(t);
            if let Some(o) = v.as_object_mut() {
                o.remove("summary");
                o.remove("html_url");
            }
            v
        }),
    })
}

pub async fn list(ctx: Ctx, p: Params) -> JsonReply {
    ctx.read(|a| {
        let r = Render::new(a);
        paginated(
            &p,
            "business_services",
            a.business_services.iter().map(|b| render(&r, b)).collect(),
        )
    })
}

/// Every direct dependency touching the service, either side.
fn relationships(a: &Account, kind: ServiceKind, id: &str) -> Value {
    let me = (kind, id.to_string());
    let side = |(k, id): &(ServiceKind, String)| json!({"id": id, "type": k.reference_type()});
    let rels: Vec<Value> = a
        .service_dependencies
        .iter()
        .filter(|d| d.supporting == me || d.dependent == me)
        .map(|d| {
            json!({
                "id": d.id,
                "type": "service_dependency",
                "supporting_service": side(&d.supporting),
                "dependent_service": side(&d.dependent),
            })
        })
        .collect();
    json!({ "relationships": rels })
}

/// `GET /service_dependencies/{business,technical}_services/{id}`: the service's direct
/// dependencies, either side.
pub fn dependencies(kind: ServiceKind) -> MethodRouter<AppState> {
    get(
        move |Ctx { st, caller }: Ctx, Path(id): Path<String>| async move {
            read(&st, &caller, |a| {
                match kind {
                    ServiceKind::Business => find(&a.business_services, &id, |b| &b.id).map(drop),
                    ServiceKind::Technical => find(&a.services, &id, |s| &s.id).map(drop),
                }?;
                Ok(Json(relationships(a, kind, &id)))
            })
        },
    )
}
