//! Status pages: find pages, read posts and their updates, and publish posts and updates.

use pagerduty::Window;
use pagerduty::api::status_pages::{PostSpec, PostUpdateSpec, StatusPageOptionKind};
use pagerduty::ids::{
    ServiceId, StatusPageId, StatusPageImpactId, StatusPagePostId, StatusPageSeverityId,
    StatusPageStatusId,
};
use pagerduty::models::{
    PostType, ReviewedStatus, StatusPage, StatusPageOption, StatusPagePost, StatusPagePostUpdate,
    StatusPageType, Time,
};
use schemars::JsonSchema;
use serde::Deserialize;

use super::refs::IdRef;
use crate::context::Ctx;
use crate::error::ToolError;
use crate::output::{Listing, bounded};
use crate::registry::{Domain, ToolDef, Tools};

/// The most a status page tool lists (PagerDuty's own server caps these at 100).
const MAX: u32 = 100;

const STATUS_PAGES: Tools = Tools(Domain::StatusPages);

pub fn tools() -> Vec<ToolDef> {
    vec![
        STATUS_PAGES.read(
            "list_status_pages",
            "Public and private status pages: name, type, URL.",
            |ctx: Ctx, a: ListPagesArgs| async move {
                let q = a.query_model.unwrap_or_default();
                let w = first("query_model.limit", q.limit)?;
                Ok(Listing::<StatusPage>::from(
                    ctx.pd.list_status_pages(q.status_page_type, w).await?,
                ))
            },
        ),
        options_tool(
            "list_status_page_severities",
            "The severities a status page's post updates can use (ids for \
             create_status_page_post).",
            StatusPageOptionKind::Severities,
        ),
        options_tool(
            "list_status_page_impacts",
            "The impacts (operational, partial outage…) a status page's post updates can give \
             services.",
            StatusPageOptionKind::Impacts,
        ),
        options_tool(
            "list_status_page_statuses",
            "The statuses (investigating, resolved, scheduled…) a status page's post updates can \
             use.",
            StatusPageOptionKind::Statuses,
        ),
        STATUS_PAGES.read(
            "get_status_page_post",
            "One status page post; include=[status_page_post_update] returns its updates in full.",
            |ctx: Ctx, a: GetPostArgs| async move {
                let full = a.query_model.include.is_some_and(|i| !i.is_empty());
                Ok::<StatusPagePost, _>(
                    ctx.pd
                        .get_status_page_post(&a.status_page_id, &a.post_id, full)
                        .await?,
                )
            },
        ),
        STATUS_PAGES.read(
            "list_status_page_post_updates",
            "The updates of a status page post, oldest first; filter by reviewed_status.",
            |ctx: Ctx, a: ListUpdatesArgs| async move {
                let q = a.query_model.unwrap_or_default();
                let w = first("query_model.limit", q.limit)?;
                Ok(Listing::<StatusPagePostUpdate>::from(
                    ctx.pd
                        .list_status_page_post_updates(
                            &a.status_page_id,
                            &a.post_id,
                            q.reviewed_status,
                            w,
                        )
                        .await?,
                ))
            },
        ),
        STATUS_PAGES.create(
            "create_status_page_post",
            "Publish an incident or maintenance post with its first update. Take status, severity \
             and impact ids from the list_status_page_* tools for the same page.",
            create_post,
        ),
        STATUS_PAGES
            .create(
                "create_status_page_post_update",
                "Publish a new update on a status page post (new status, severity, impacts).",
                |ctx: Ctx, a: CreateUpdateArgs| async move {
                    let spec = a
                        .create_model
                        .post_update
                        .spec("create_model.post_update")?;
                    Ok::<StatusPagePostUpdate, _>(
                        ctx.pd
                            .create_status_page_post_update(&a.status_page_id, &a.post_id, &spec)
                            .await?,
                    )
                },
            )
            .titled("Add status page post update"),
    ]
}

/// The first `limit` results (default 20, at most 100).
fn first(field: &str, limit: Option<u32>) -> Result<Window, ToolError> {
    let limit = bounded(field, limit, 20, MAX)?;
    Ok(Window { offset: 0, limit })
}

/// The three per-page lists share one shape and one tool body.
fn options_tool(
    name: &'static str,
    description: &'static str,
    kind: StatusPageOptionKind,
) -> ToolDef {
    STATUS_PAGES.read(
        name,
        description,
        move |ctx: Ctx, a: OptionsArgs| async move {
            let q = a.query_model.unwrap_or_default();
            let w = first("query_model.limit", q.limit)?;
            Ok(Listing::<StatusPageOption>::from(
                ctx.pd
                    .list_status_page_options(&a.status_page_id, kind, q.post_type, w)
                    .await?,
            ))
        },
    )
}

#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PagesQuery {
    status_page_type: Option<StatusPageType>,
    /// 1-100; default 20.
    limit: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListPagesArgs {
    query_model: Option<PagesQuery>,
}

#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OptionsQuery {
    post_type: Option<PostType>,
    /// 1-100; default 20.
    limit: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OptionsArgs {
    status_page_id: StatusPageId,
    query_model: Option<OptionsQuery>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum PostInclude {
    StatusPagePostUpdate,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PostQuery {
    include: Option<Vec<PostInclude>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetPostArgs {
    status_page_id: StatusPageId,
    post_id: StatusPagePostId,
    /// Pass {} for references to the updates only.
    query_model: PostQuery,
}

#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdatesQuery {
    reviewed_status: Option<ReviewedStatus>,
    /// 1-100; default 20.
    limit: Option<u32>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListUpdatesArgs {
    status_page_id: StatusPageId,
    post_id: StatusPagePostId,
    query_model: Option<UpdatesQuery>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ImpactedServiceArg {
    service: IdRef<ServiceId>,
    impact: IdRef<StatusPageImpactId>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateArg {
    message: String,
    status: IdRef<StatusPageStatusId>,
    severity: IdRef<StatusPageSeverityId>,
    impacted_services: Option<Vec<ImpactedServiceArg>>,
    /// How often updates are promised, in ms.
    update_frequency_ms: Option<u64>,
    /// Email the page's subscribers; default false.
    notify_subscribers: Option<bool>,
    /// Default now.
    reported_at: Option<Time>,
}

impl UpdateArg {
    fn spec(self, at: &str) -> Result<PostUpdateSpec, ToolError> {
        let message = self.message.trim().to_owned();
        if message.is_empty() {
            return Err(ToolError::invalid(
                &format!("{at}.message"),
                "must not be empty",
            ));
        }
        if self.update_frequency_ms == Some(0) {
            return Err(ToolError::invalid(
                &format!("{at}.update_frequency_ms"),
                "must be positive, or left out",
            ));
        }
        Ok(PostUpdateSpec {
            message,
            status: self.status.id,
            severity: self.severity.id,
            impacted_services: self
                .impacted_services
                .unwrap_or_default()
                .into_iter()
                .map(|i| (i.service.id, i.impact.id))
                .collect(),
            update_frequency_ms: self.update_frequency_ms,
            notify_subscribers: self.notify_subscribers.unwrap_or(false),
            reported_at: self.reported_at,
        })
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PostArg {
    /// At most 128 characters.
    title: String,
    post_type: PostType,
    starts_at: Time,
    ends_at: Time,
    /// Must be the page of status_page_id.
    status_page: IdRef<StatusPageId>,
    /// The first update(s), 1-50.
    updates: Vec<UpdateArg>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreatePostModel {
    post: PostArg,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreatePostArgs {
    status_page_id: StatusPageId,
    create_model: CreatePostModel,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateUpdateModel {
    post_update: UpdateArg,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateUpdateArgs {
    status_page_id: StatusPageId,
    post_id: StatusPagePostId,
    create_model: CreateUpdateModel,
}

async fn create_post(ctx: Ctx, a: CreatePostArgs) -> Result<StatusPagePost, ToolError> {
    let p = a.create_model.post;
    let at = "create_model.post";
    let title = p.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 128 {
        return Err(ToolError::invalid(
            &format!("{at}.title"),
            "must be 1-128 characters",
        ));
    }
    if p.starts_at >= p.ends_at {
        return Err(ToolError::invalid(
            &format!("{at}.ends_at"),
            format!(
                "must be after starts_at ({}), got {}",
                p.starts_at.0, p.ends_at.0
            ),
        ));
    }
    if p.status_page.id != a.status_page_id {
        return Err(ToolError::invalid(
            &format!("{at}.status_page.id"),
            format!(
                "must be the page in status_page_id ({}), got {}",
                a.status_page_id, p.status_page.id
            ),
        ));
    }
    if p.updates.is_empty() || p.updates.len() > 50 {
        return Err(ToolError::invalid(
            &format!("{at}.updates"),
            "must hold 1-50 updates (the first one says what is happening)",
        ));
    }
    let updates = p
        .updates
        .into_iter()
        .enumerate()
        .map(|(i, u)| u.spec(&format!("{at}.updates[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let spec = PostSpec {
        title,
        post_type: p.post_type,
        starts_at: p.starts_at,
        ends_at: p.ends_at,
        updates,
    };
    Ok(ctx
        .pd
        .create_status_page_post(&a.status_page_id, &spec)
        .await?)
}
