//! PagerDuty calls, one module per resource. Each is a method on [`crate::Client`]; what every
//! collection does alike is one typed call: [`Client::list`](crate::Client::list) takes a
//! collection's [`Filters`], [`Client::get`](crate::Client::get) an [`ObjectId`], and
//! [`Client::create`](crate::Client::create) and [`Client::update`](crate::Client::update) an
//! object's [`Fields`].

pub mod alert_grouping;
pub mod analytics;
pub mod audit;
pub mod business_services;
pub mod change_events;
/// Escalation policies: list, get, create, update.
pub mod escalation_policies;
pub mod event_orchestrations;
pub mod extension_schemas;
pub mod incident_intelligence;
pub mod incident_triage;
pub mod incident_workflows;
pub mod incidents;
pub mod log_entries;
/// Maintenance windows: list, get, create, delete.
pub mod maintenance_windows;
/// A user's notification rules, contact methods and handoff notification rules.
pub mod notification_rules;
/// Who is on call (`/oncalls`).
pub mod oncalls;
/// Incident priorities (`/priorities`).
pub mod priorities;
pub mod schedules;
/// Services: list, get, create, update.
pub mod services;
pub mod status_pages;
pub mod teams;
/// Users: me, list, get, create.
pub mod users;
pub mod webhooks;

use std::fmt::Display;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Call;
use crate::ids::{
    AlertGroupingSettingId, BusinessServiceId, ChangeEventId, CustomShiftId, EscalationPolicyId,
    EventOrchestrationId, ExtensionSchemaId, IncidentId, IncidentWorkflowId, LogEntryId,
    MaintenanceWindowId, OverrideId, RotationEventId, RotationId, ScheduleId, ServiceId,
    StatusPageId, TeamId, UserId, WebhookSubscriptionId,
};
use crate::models::{
    AlertGroupingSetting, BusinessService, ChangeEvent, CustomShift, EscalationPolicy,
    EventOrchestration, ExtensionSchema, Incident, IncidentWorkflow, LogEntry, MaintenanceWindow,
    OverrideShift, Rotation, RotationEvent, Schedule, ScheduleV3, ScheduleV3Ref, Service,
    StatusPage, Team, User, WebhookSubscription,
};
use crate::{Client, Page, Result, Window};

/// Adds `key` to the request body `body`, a JSON object by construction (a `json!({…})`
/// literal or a serialized struct); unlike `body[key] = …` it cannot panic.
pub(crate) fn set(body: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    if let serde_json::Value::Object(map) = body {
        map.insert(key.to_owned(), value);
    }
}

/// Adds `key` when there is a `value`; what is left out PagerDuty keeps (or defaults).
pub(crate) fn set_some(body: &mut serde_json::Value, key: &str, value: Option<impl Serialize>) {
    if let Some(value) = value {
        set(body, key, serde_json::json!(value));
    }
}

/// `{"id": …, "type": kind}`: how a request body points at another object.
pub(crate) fn reference(id: &impl AsRef<str>, kind: &str) -> Value {
    serde_json::json!({"id": id.as_ref(), "type": kind})
}

/// A reference of type `kind` to each of `ids`.
pub(crate) fn references(ids: &[impl AsRef<str>], kind: &str) -> Value {
    ids.iter().map(|id| reference(id, kind)).collect()
}

/// A kind of PagerDuty object and the collection it lives in: its path segment, envelope keys
/// and name. Like octocrab's per-resource handlers, one generic set of calls serves what every
/// collection does the same way (list, get, create, update, delete), so each module keeps only
/// what is particular to its resource. Shift-based schedules' sub-resources use it under a
/// parent path (see [`schedules::V3Parent`]).
pub trait Resource: DeserializeOwned {
    /// Path segment of the collection, e.g. `escalation_policies`.
    const COLLECTION: &'static str;
    /// Key of the list in a page of them; most collections use their path segment.
    const MANY: &'static str = Self::COLLECTION;
    /// Envelope key of one object, e.g. `escalation_policy`.
    const ONE: &'static str;
    /// Its name in messages, e.g. `escalation policy`.
    const WHAT: &'static str;
    /// The resource's id type.
    type Id: AsRef<str> + Display + Send + Sync;
}

/// Implements [`Resource`]: `Type => (collection, one, what, IdType)`, with `many = "key"`
/// after the collection where pages list the objects under another key.
macro_rules! resources {
    ($($ty:ty => ($coll:literal $(, many = $many:literal)?, $one:literal, $what:literal, $id:ty)),* $(,)?) => {$(
        impl Resource for $ty {
            const COLLECTION: &'static str = $coll;
            $(const MANY: &'static str = $many;)?
            const ONE: &'static str = $one;
            const WHAT: &'static str = $what;
            type Id = $id;
        }
    )*};
}

resources! {
    AlertGroupingSetting => ("alert_grouping_settings", "alert_grouping_setting", "alert grouping setting", AlertGroupingSettingId),
    BusinessService => ("business_services", "business_service", "business service", BusinessServiceId),
    ChangeEvent => ("change_events", "change_event", "change event", ChangeEventId),
    EscalationPolicy => ("escalation_policies", "escalation_policy", "escalation policy", EscalationPolicyId),
    EventOrchestration => ("event_orchestrations", many = "orchestrations", "orchestration", "event orchestration", EventOrchestrationId),
    ExtensionSchema => ("extension_schemas", "extension_schema", "extension schema", ExtensionSchemaId),
    Incident => ("incidents", "incident", "incident", IncidentId),
    IncidentWorkflow => ("incident_workflows", "incident_workflow", "incident workflow", IncidentWorkflowId),
    LogEntry => ("log_entries", "log_entry", "log entry", LogEntryId),
    MaintenanceWindow => ("maintenance_windows", "maintenance_window", "maintenance window", MaintenanceWindowId),
    Schedule => ("schedules", "schedule", "schedule", ScheduleId),
    Service => ("services", "service", "service", ServiceId),
    StatusPage => ("status_pages", "status_page", "status page", StatusPageId),
    Team => ("teams", "team", "team", TeamId),
    User => ("users", "user", "user", UserId),
    WebhookSubscription => ("webhook_subscriptions", "webhook_subscription", "webhook subscription", WebhookSubscriptionId),
    // Shift-based schedules and what they hold, each under a `schedules::V3Parent`.
    ScheduleV3 => ("schedules", "schedule", "shift-based schedule", ScheduleId),
    ScheduleV3Ref => ("schedules", "schedule", "shift-based schedule", ScheduleId),
    Rotation => ("rotations", "rotation", "rotation", RotationId),
    RotationEvent => ("events", "event", "rotation event", RotationEventId),
    CustomShift => ("custom_shifts", "custom_shift", "custom shift", CustomShiftId),
    OverrideShift => ("overrides", "override", "override", OverrideId),
}

/// The filters of one collection's listing: their type says which, so
/// `client.list(&IncidentQuery::default(), window)` answers a page of [`Incident`]s and a
/// listing cannot be given another collection's filters.
pub trait Filters: Serialize {
    /// What the listing holds.
    type Item: Resource;
    /// The order this client always lists it in (`name`), so pages are stable from one call
    /// to the next; `None`: PagerDuty's, or one the filters choose.
    const SORT_BY: Option<&'static str> = None;
}

/// Implements [`Filters`]: `Query => Item`, with `[sort_by = "field"]` where this client fixes
/// the order.
macro_rules! listings {
    ($($q:ty => $item:ty $([sort_by = $sort:literal])?),* $(,)?) => {$(
        impl Filters for $q {
            type Item = $item;
            $(const SORT_BY: Option<&'static str> = Some($sort);)?
        }
    )*};
}

listings! {
    change_events::ChangeEventQuery => ChangeEvent,
    escalation_policies::EscalationPolicyQuery => EscalationPolicy [sort_by = "name"],
    incident_workflows::WorkflowQuery => IncidentWorkflow,
    incidents::IncidentQuery => Incident,
    maintenance_windows::MaintenanceQuery => MaintenanceWindow,
    schedules::ScheduleQuery => Schedule,
    services::ServiceQuery => Service [sort_by = "name"],
    users::UserQuery => User,
}

/// The id of an object whose plain `GET /{collection}/{id}` is all there is to fetching it:
/// `client.get(&user_id)` answers the [`User`]. (Objects read with options, such as an
/// incident's includes or a schedule's range, have calls of their own.)
pub trait ObjectId {
    /// What the id names.
    type Object: Resource<Id = Self>;
}

/// Implements [`ObjectId`]: `Id => Object`.
macro_rules! object_ids {
    ($($id:ty => $object:ty),* $(,)?) => {$(
        impl ObjectId for $id {
            type Object = $object;
        }
    )*};
}

object_ids! {
    AlertGroupingSettingId => AlertGroupingSetting,
    ChangeEventId => ChangeEvent,
    EscalationPolicyId => EscalationPolicy,
    EventOrchestrationId => EventOrchestration,
    ExtensionSchemaId => ExtensionSchema,
    IncidentWorkflowId => IncidentWorkflow,
    ServiceId => Service,
    TeamId => Team,
    UserId => User,
    WebhookSubscriptionId => WebhookSubscription,
}

/// An object's writable fields as `POST /{collection}` and `PUT /{collection}/{id}` take
/// them: `client.create(&fields)` and `client.update(&id, &fields)` write the object they
/// describe.
pub trait Fields {
    /// What the fields describe.
    type Object: Resource;
    /// The new object's name, for errors (`creating team "Ops"`).
    fn name(&self) -> Option<&str> {
        None
    }
    /// The object in the request body.
    fn body(&self) -> Value;
    /// The object in a `POST` body, where that needs more than [`Fields::body`].
    fn create_body(&self) -> Value {
        self.body()
    }
}

/// Filters with their collection's fixed sort order. The fixed order comes after the filters
/// so that it wins over a `sort_by` of theirs, and is left out when there is none.
#[derive(Serialize)]
struct Sorted<'a, F> {
    #[serde(flatten)]
    filters: &'a F,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<&'static str>,
}

impl Client {
    /// A request to the collection of `R`, about "the `R` list".
    pub(crate) fn collection<R: Resource>(&self, method: Method) -> Call<'_> {
        self.request(method, &[R::COLLECTION])
            .subject(format!("the {} list", R::WHAT))
    }

    /// A request to one `R`, about "`R` {id}".
    pub(crate) fn member<R: Resource>(&self, method: Method, id: &R::Id) -> Call<'_> {
        self.nested::<R>(method, id, &[])
    }

    /// A request to what hangs off one `R` (`/incidents/{id}/notes`), about "`R` {id}".
    pub(crate) fn nested<R: Resource>(&self, method: Method, id: &R::Id, sub: &[&str]) -> Call<'_> {
        let mut segments = vec![R::COLLECTION, id.as_ref()];
        segments.extend_from_slice(sub);
        self.request(method, &segments)
            .subject(format!("{} {id}", R::WHAT))
    }

    /// `GET /{collection}` of `F`'s resource with `filters`, one window of it.
    pub async fn list<F: Filters>(&self, filters: &F, window: Window) -> Result<Page<F::Item>> {
        let sorted = Sorted {
            sort_by: F::SORT_BY,
            filters,
        };
        self.list_by::<F::Item>(&sorted, window).await
    }

    /// `GET /{collection}` with `filters` (a struct, see [`Call::filters`]), one window of it.
    pub(crate) async fn list_by<R: Resource>(
        &self,
        filters: &impl Serialize,
        window: Window,
    ) -> Result<Page<R>> {
        self.collection::<R>(Method::GET)
            .filters(filters)?
            .list(R::MANY, window)
            .await
    }

    /// `GET /{collection}/{id}` of the object `id` names.
    pub async fn get<I: ObjectId>(&self, id: &I) -> Result<I::Object> {
        self.fetch::<I::Object>(id).await
    }

    /// `GET /{collection}/{id}`.
    pub(crate) async fn fetch<R: Resource>(&self, id: &R::Id) -> Result<R> {
        self.member::<R>(Method::GET, id).send_one(R::ONE).await
    }

    /// `POST /{collection}`: creates the object `fields` describe.
    pub async fn create<F: Fields>(&self, fields: &F) -> Result<F::Object> {
        let what = <F::Object as Resource>::WHAT;
        let subject = match fields.name() {
            Some(name) => format!("creating {what} \"{name}\""),
            None => format!("creating a new {what}"),
        };
        self.post_new::<F::Object>(subject, fields.create_body())
            .await
    }

    /// `PUT /{collection}/{id}`: writes `fields` to the object `id`.
    pub async fn update<F: Fields>(
        &self,
        id: &<F::Object as Resource>::Id,
        fields: &F,
    ) -> Result<F::Object> {
        self.member::<F::Object>(Method::PUT, id)
            .send_object(fields.body())
            .await
    }

    /// `POST /{collection}` of `fields`; `subject` names the new object in errors.
    pub(crate) async fn post_new<R: Resource>(
        &self,
        subject: impl Into<String>,
        fields: Value,
    ) -> Result<R> {
        self.collection::<R>(Method::POST)
            .subject(subject)
            .send_object(fields)
            .await
    }

    /// `DELETE /{collection}/{id}`.
    pub(crate) async fn delete<R: Resource>(&self, id: &R::Id) -> Result<()> {
        self.member::<R>(Method::DELETE, id).send_empty().await
    }
}

impl Call<'_> {
    /// Sends `fields` in `R`'s envelope (`{"service": {…}}`) and reads the answer's `R` from it.
    pub(crate) async fn send_object<R: Resource>(self, fields: Value) -> Result<R> {
        let mut body = serde_json::Map::new();
        body.insert(R::ONE.to_owned(), fields);
        self.json(&body)?.send_one(R::ONE).await
    }
}
