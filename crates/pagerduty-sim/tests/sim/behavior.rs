//! Behavioural tests: seeding, state changes, auth, pagination, faults,
//! rate limits, on-call computation and schedule gaps.

use std::time::{Duration, Instant};

use http::Method;
use jiff::Timestamp;
use pagerduty_sim::{CredentialKind, FaultKind, FaultRule, SimConfig, Simulator, schedule, tokens};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{Value, json};

const ACCEPT: &str = "application/vnd.pagerduty+json;version=2";
const NOW: &str = "2026-03-02T12:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

/// The first reason in a PagerDuty error body's `errors` ("" when there is none).
fn first_error(v: &Value) -> &str {
    v["error"]["errors"][0].as_str().unwrap_or("")
}

async fn sim() -> Simulator {
    Simulator::start(SimConfig {
        now: Some(now()),
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

struct Api {
    base: String,
    client: Client,
}

impl Api {
    fn new(sim: &Simulator) -> Self {
        Api {
            base: sim.base_url(),
            client: Client::new(),
        }
    }
    fn req(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.base, path))
            .header("Accept", ACCEPT)
            .header("Authorization", format!("Token token={token}"))
    }
    async fn send(&self, rb: RequestBuilder) -> (StatusCode, Value) {
        let resp = rb.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
    async fn get(&self, path: &str) -> Value {
        let (s, v) = self
            .send(self.req(Method::GET, path, tokens::DEMO_USER_TOKEN))
            .await;
        assert_eq!(s, 200, "GET {path}: {v}");
        v
    }
    async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            self.req(Method::PUT, path, tokens::DEMO_USER_TOKEN)
                .json(&body),
        )
        .await
    }
    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            self.req(Method::POST, path, tokens::DEMO_USER_TOKEN)
                .json(&body),
        )
        .await
    }
}

#[tokio::test]
async fn seeding_is_deterministic() {
    let (a, b) = (sim().await, sim().await);
    let (x, y) = (Api::new(&a), Api::new(&b));
    for path in [
        "/incidents?date_range=all&limit=100&offset=100",
        "/users?limit=100",
        "/oncalls?limit=100",
        "/services",
    ] {
        assert_eq!(
            x.get(path).await,
            y.get(path).await,
            "{path} differs between identical seeds"
        );
    }
    let sched = a.state().schedules()[0].id.clone();
    let p = format!("/schedules/{sched}?since=2026-03-01T00:00:00Z&until=2026-03-15T00:00:00Z");
    assert_eq!(x.get(&p).await, y.get(&p).await);
    let c = Simulator::start(SimConfig {
        seed: 7,
        now: Some(now()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    assert_ne!(
        a.state().incidents()[0].title.clone() + &a.state().users()[0].id,
        c.state().incidents()[0].title.clone() + &c.state().users()[0].id
    );
}

#[tokio::test]
async fn seeded_account_is_consistent() {
    let s = sim().await;
    let acct = s.state().account();
    assert_eq!(acct.users.len(), 12);
    assert!(acct.teams.len() >= 3);
    assert_eq!(acct.services.len(), 6);
    assert_eq!(acct.schedules.len(), 4);
    assert_eq!(
        acct.priorities
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["P1", "P2", "P3", "P4", "P5"]
    );
    assert!(acct.incidents.len() >= 240);
    let roles: std::collections::BTreeSet<_> = acct.users.iter().map(|u| u.role.as_str()).collect();
    assert!(roles.len() >= 6, "{roles:?}");
    let demo = s.state().demo_user().unwrap();
    assert_eq!(demo.email, tokens::DEMO_USER_EMAIL);
    assert!(
        acct.memberships
            .iter()
            .any(|m| m.user_id == demo.id && m.role == "responder")
    );
    for w in acct.incidents.windows(2) {
        assert!(w[0].number < w[1].number && w[0].created_at <= w[1].created_at);
    }
    for i in &acct.incidents {
        assert!(!i.alerts.is_empty());
        assert_eq!(i.status == "resolved", i.resolved_at.is_some());
        assert_eq!(
            i.status == "resolved",
            i.assignments.is_empty(),
            "#{} {}",
            i.number,
            i.status
        );
        if i.status == "acknowledged" {
            assert!(!i.acknowledgements.is_empty());
        }
        assert!(
            i.alerts
                .iter()
                .all(|a| (a.status == "resolved") == (i.status == "resolved"))
        );
        assert!(now().duration_since(i.created_at) <= jiff::SignedDuration::from_hours(90 * 24));
    }
    let open: Vec<_> = acct.incidents.iter().filter(|i| i.is_open()).collect();
    assert!(
        open.iter().any(|i| i.status == "triggered")
            && open.iter().any(|i| i.status == "acknowledged")
    );
    let mut keys = std::collections::HashSet::new();
    assert!(
        open.iter()
            .all(|i| keys.insert((i.service_id.clone(), i.incident_key.clone())))
    );
    for svc in &acct.services {
        assert_eq!(svc.integrations[0].integration_key.len(), 32);
    }
}

#[tokio::test]
async fn writes_change_later_reads() {
    let s = sim().await;
    let api = Api::new(&s);
    let open = s
        .state()
        .incidents()
        .into_iter()
        .rev()
        .find(|i| i.status == "triggered")
        .unwrap();
    let demo = s.state().demo_user().unwrap();

    // Acknowledge, then get (by number).
    let (st, _) = api
        .put(
            &format!("/incidents/{}", open.id),
            json!({"incident": {"type": "incident_reference", "status": "acknowledged"}}),
        )
        .await;
    assert_eq!(st, 200);
    let got = api.get(&format!("/incidents/{}", open.number)).await;
    assert_eq!(got["incident"]["status"], "acknowledged");
    assert_eq!(
        got["incident"]["acknowledgements"][0]["acknowledger"]["id"],
        demo.id.as_str()
    );
    let logs = api
        .get(&format!("/incidents/{}/log_entries", open.id))
        .await;
    assert_eq!(logs["log_entries"][0]["type"], "acknowledge_log_entry");

    // Note, then list.
    let (st, note) = api
        .post(
            &format!("/incidents/{}/notes", open.id),
            json!({"note": {"content": "Rolling back"}}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(note["note"]["user"]["id"], demo.id.as_str());
    let notes = api.get(&format!("/incidents/{}/notes", open.id)).await;
    assert!(
        notes["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["content"] == "Rolling back")
    );

    // Resolve.
    let (st, res) = api.put(&format!("/incidents/{}", open.id), json!({"incident": {"type": "incident_reference", "status": "resolved", "resolution": "rolled back"}})).await;
    assert_eq!(st, 200, "{res}");
    let inc = &res["incident"];
    assert_eq!(inc["status"], "resolved");
    assert!(inc["resolved_at"].is_string());
    assert_eq!(inc["assignments"], json!([]));
    assert_eq!(inc["alert_counts"]["triggered"], 0);
    let alerts = api.get(&format!("/incidents/{}/alerts", open.id)).await;
    assert!(
        alerts["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"] == "resolved")
    );
    // Resolving again is an error, like the real API.
    let (st, err) = api
        .put(
            &format!("/incidents/{}", open.id),
            json!({"incident": {"type": "incident", "status": "resolved"}}),
        )
        .await;
    assert_eq!(st, 400);
    assert_eq!(err["error"]["code"], 1001);

    // Create, then get and list.
    let svc = s.state().service_by_name("Search").unwrap();
    let (st, created) = api
        .post("/incidents", json!({"incident": {"type": "incident", "title": "Search down", "service": {"id": svc.id, "type": "service_reference"}, "incident_key": "search-down-1"}}))
        .await;
    assert_eq!(st, 201, "{created}");
    let id = created["incident"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["incident"]["status"], "triggered");
    assert!(
        !created["incident"]["assignments"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        api.get(&format!("/incidents/{id}")).await["incident"]["title"],
        "Search down"
    );
    let listed = api
        .get(&format!(
            "/incidents?incident_key=search-down-1&service_ids[]={}",
            svc.id
        ))
        .await;
    assert_eq!(listed["incidents"][0]["id"], id.as_str());
    let (st, _) = api
        .post("/incidents", json!({"incident": {"type": "incident", "title": "again", "service": {"id": svc.id, "type": "service_reference"}, "incident_key": "search-down-1"}}))
        .await;
    assert_eq!(st, 400, "duplicate open incident_key on the same service");

    // Reassign and escalate.
    let other = s.state().user_by_name("Yuki Tanaka").unwrap();
    let (st, r) = api
        .put(&format!("/incidents/{id}"), json!({"incident": {"type": "incident_reference", "assignments": [{"assignee": {"id": other.id, "type": "user_reference"}}]}}))
        .await;
    assert_eq!(st, 200);
    assert_eq!(
        r["incident"]["assignments"][0]["assignee"]["id"],
        other.id.as_str()
    );
    let (st, r) = api
        .put(
            &format!("/incidents/{id}"),
            json!({"incident": {"type": "incident_reference", "escalation_level": 3}}),
        )
        .await;
    assert_eq!(st, 200);
    let priya = s.state().user_by_name("Priya Shah").unwrap();
    assert_eq!(
        r["incident"]["assignments"][0]["assignee"]["id"],
        priya.id.as_str()
    );

    // Responder request adds the target as a pending responder.
    let (st, rr) = api
        .post(
            &format!("/incidents/{id}/responder_requests"),
            json!({"requester_id": demo.id, "message": "join", "responder_request_targets": [{"responder_request_target": {"id": other.id, "type": "user_reference"}}]}),
        )
        .await;
    assert_eq!(st, 200, "{rr}");
    let inc = api.get(&format!("/incidents/{id}")).await;
    assert_eq!(
        inc["incident"]["incidents_responders"][0]["user"]["id"],
        other.id.as_str()
    );

    // Bulk PUT.
    let (st, bulk) = api.put("/incidents", json!({"incidents": [{"id": id, "type": "incident_reference", "status": "acknowledged"}]})).await;
    assert_eq!(st, 200);
    assert_eq!(bulk["incidents"][0]["status"], "acknowledged");
    let mine = api
        .get(&format!(
            "/incidents?user_ids[]={}&statuses[]=acknowledged",
            demo.id
        ))
        .await;
    assert!(
        mine["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id.as_str())
    );
}

#[tokio::test]
async fn authentication_and_authorization() {
    let s = sim().await;
    let api = Api::new(&s);
    let url = format!("{}/incidents", s.base_url());
    let c = &api.client;
    let unauth = json!({"error": {"message": "Authentication failed", "code": 2006}});
    for auth in [
        None,
        Some("Token token=nope"),
        Some("Token nope"),
        Some("Basic abc"),
        Some(&*format!("Bearer {}", tokens::DEMO_USER_TOKEN)),
    ] {
        let mut rb = c.get(&url).header("Accept", ACCEPT);
        if let Some(a) = auth {
            rb = rb.header("Authorization", a);
        }
        let (st, body) = api.send(rb).await;
        assert_eq!((st.as_u16(), body), (401, unauth.clone()), "{auth:?}");
    }
    let (st, _) = api
        .send(
            c.get(&url)
                .header("Accept", ACCEPT)
                .header("Authorization", format!("Bearer {}", tokens::OAUTH_TOKEN)),
        )
        .await;
    assert_eq!(st, 200);

    // Accept header: required when strict, whitespace/case tolerated.
    let (st, body) = api
        .send(c.get(&url).header(
            "Authorization",
            format!("Token token={}", tokens::DEMO_USER_TOKEN),
        ))
        .await;
    assert_eq!(st, 406);
    assert!(first_error(&body).contains("application/vnd.pagerduty+json;version=2"));
    let (st, _) = api
        .send(
            c.get(&url)
                .header("Accept", "Application/VND.PagerDuty+JSON; version=2")
                .header(
                    "Authorization",
                    format!("Token token={}", tokens::DEMO_USER_TOKEN),
                ),
        )
        .await;
    assert_eq!(st, 200);

    // /users/me with an account key.
    let (st, body) = api
        .send(api.req(Method::GET, "/users/me", tokens::ACCOUNT_KEY))
        .await;
    assert_eq!(st, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("account-level access token")
    );

    // From header with the account key.
    let svc = s.state().services()[0].id.clone();
    let body = json!({"incident": {"type": "incident", "title": "x", "service": {"id": svc, "type": "service_reference"}}});
    let (st, err) = api
        .send(
            api.req(Method::POST, "/incidents", tokens::ACCOUNT_KEY)
                .json(&body),
        )
        .await;
    assert_eq!(st, 400);
    assert_eq!(err["error"]["code"], 2011);
    let (st, _) = api
        .send(
            api.req(Method::POST, "/incidents", tokens::ACCOUNT_KEY)
                .header("From", "nobody@example.com")
                .json(&body),
        )
        .await;
    assert_eq!(st, 400);
    let hannah = s.state().user_by_name("Hannah Schmidt").unwrap();
    let (st, created) = api
        .send(
            api.req(Method::POST, "/incidents", tokens::ACCOUNT_KEY)
                .header("From", &hannah.email)
                .json(&body),
        )
        .await;
    assert_eq!(st, 201);
    assert_eq!(
        created["incident"]["last_status_change_by"]["id"],
        hannah.id.as_str()
    );
    assert_eq!(s.requests().count("POST", "/incidents"), 3);

    // Read-only roles and keys get 403 on writes but can read.
    let liam = s.state().user_by_name("Liam Walsh").unwrap();
    assert_eq!(liam.role, "read_only_user");
    let ro = tokens::user_token(&liam.email);
    let (st, err) = api
        .send(api.req(Method::POST, "/incidents", &ro).json(&body))
        .await;
    assert_eq!(
        (st.as_u16(), err["error"]["code"].as_u64()),
        (403, Some(2010))
    );
    assert_eq!(
        api.send(api.req(Method::GET, "/incidents", &ro)).await.0,
        200
    );
    let (st, _) = api
        .send(
            api.req(Method::POST, "/incidents", tokens::READ_ONLY_ACCOUNT_KEY)
                .header("From", &hannah.email)
                .json(&body),
        )
        .await;
    assert_eq!(st, 403);

    // Body checks.
    let (st, err) = api
        .send(
            api.req(Method::POST, "/incidents", tokens::DEMO_USER_TOKEN)
                .body("{\"incident\":"),
        )
        .await;
    assert_eq!(st, 400, "missing content-type");
    assert_eq!(err["error"]["code"], 2001);
    let (st, err) = api
        .send(
            api.req(Method::POST, "/incidents", tokens::DEMO_USER_TOKEN)
                .header("Content-Type", "application/json")
                .body("{\"incident\":"),
        )
        .await;
    assert_eq!(st, 400);
    assert_eq!(err["error"]["message"], "Invalid Input Provided");

    // The log records credential kinds, never tokens.
    let log = s.requests();
    assert!(log.iter().any(|r| r.credential == CredentialKind::Oauth));
    assert!(
        log.iter()
            .any(|r| r.credential == CredentialKind::Account && r.from_present)
    );
    assert!(log.iter().any(|r| r.credential == CredentialKind::Invalid));
    let dump = serde_json::to_string(&log).unwrap();
    assert!(!dump.contains(tokens::DEMO_USER_TOKEN) && !dump.contains(tokens::ACCOUNT_KEY));
}

#[tokio::test]
async fn pagination_caps() {
    let s = sim().await;
    let api = Api::new(&s);
    let page = api.get("/incidents?date_range=all").await;
    assert_eq!(
        (
            page["limit"].as_u64(),
            page["offset"].as_u64(),
            page["more"].as_bool()
        ),
        (Some(25), Some(0), Some(true))
    );
    assert!(page["total"].is_null());
    let page = api
        .get("/incidents?date_range=all&limit=500&total=true")
        .await;
    assert_eq!(page["limit"], 100);
    assert_eq!(page["incidents"].as_array().unwrap().len(), 100);
    assert_eq!(
        page["total"].as_u64(),
        Some(s.state().incidents().len() as u64)
    );
    let last = api
        .get("/incidents?date_range=all&limit=100&offset=200")
        .await;
    assert_eq!(last["more"], false);
    let (st, err) = api
        .send(api.req(
            Method::GET,
            "/incidents?offset=9950&limit=100",
            tokens::DEMO_USER_TOKEN,
        ))
        .await;
    assert_eq!(st, 400);
    assert_eq!(err["error"]["code"], 2001);
    let (st, err) = api
        .send(api.req(
            Method::GET,
            "/incidents?urgencies[]=urgent",
            tokens::DEMO_USER_TOKEN,
        ))
        .await;
    assert_eq!(st, 400);
    assert!(first_error(&err).contains("urgencies[]"));
    let (st, err) = api
        .send(api.req(Method::GET, "/incidents/PNOPE00", tokens::DEMO_USER_TOKEN))
        .await;
    assert_eq!(
        (st.as_u16(), err),
        (
            404,
            json!({"error": {"message": "Not Found", "code": 2100}})
        )
    );
    // Default window is the last 30 days.
    let recent = api.get("/incidents?limit=100&total=true").await;
    let cutoff = now()
        .checked_sub(jiff::SignedDuration::from_hours(30 * 24))
        .unwrap();
    let expected = s
        .state()
        .incidents()
        .iter()
        .filter(|i| i.created_at >= cutoff)
        .count();
    assert_eq!(recent["total"].as_u64(), Some(expected as u64));
}

#[tokio::test]
async fn faults_as_seen_by_a_client() {
    let s = sim().await;
    let api = Api::new(&s);
    let get = || api.req(Method::GET, "/priorities", tokens::DEMO_USER_TOKEN);

    s.faults()
        .add(FaultRule::new(FaultKind::RateLimited { reset_secs: 17 }).path("/priorities"));
    let resp = get().send().await.unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["ratelimit-reset"], "17");
    assert!(
        resp.headers().contains_key("ratelimit-limit")
            && resp.headers().contains_key("ratelimit-remaining")
    );
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"error": {"message": "Rate Limit Exceeded", "code": 2020}})
    );
    assert_eq!(
        get().send().await.unwrap().status(),
        200,
        "fault fires once"
    );

    s.faults().add(
        FaultRule::new(FaultKind::Status(503))
            .method(Method::GET)
            .times(2),
    );
    assert_eq!(get().send().await.unwrap().status(), 503);
    let resp = get().send().await.unwrap();
    assert_eq!(resp.status(), 503);
    assert!(resp.json::<Value>().await.unwrap()["error"]["code"].is_number());
    assert_eq!(get().send().await.unwrap().status(), 200);

    s.faults()
        .add(FaultRule::new(FaultKind::Delay(Duration::from_millis(300))));
    let t = Instant::now();
    assert_eq!(get().send().await.unwrap().status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    s.faults().add(FaultRule::new(FaultKind::Drop));
    let err = get()
        .send()
        .await
        .expect_err("dropped connection must not yield a response");
    assert!(err.status().is_none(), "{err:?}");

    s.faults().add(FaultRule::new(FaultKind::MalformedJson));
    let resp = get().send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.json::<Value>().await.is_err());

    s.faults().add(FaultRule::new(FaultKind::Truncated));
    let resp = get().send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.text().await.is_err(),
        "truncated body must fail to read"
    );

    // Always-on rule, then cleared.
    s.faults().add(
        FaultRule::new(FaultKind::Status(500))
            .path("/priorities")
            .always(),
    );
    for _ in 0..3 {
        assert_eq!(get().send().await.unwrap().status(), 500);
    }
    s.faults().clear();
    assert_eq!(get().send().await.unwrap().status(), 200);

    // The admin HTTP endpoint does the same and is not itself logged.
    let admin = format!("{}/_sim/faults", s.base_url());
    let r = api
        .client
        .post(&admin)
        .json(&json!({"kind": "status", "status": 502, "path_prefix": "/priorities", "times": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(get().send().await.unwrap().status(), 502);
    api.client.delete(&admin).send().await.unwrap();
    let log: Value = api
        .client
        .get(format!("{}/_sim/requests", s.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = log["requests"].as_array().unwrap();
    assert!(entries.iter().all(|e| e["path"] == "/priorities"));
    assert_eq!(s.requests().count("GET", "/priorities"), entries.len());
    assert_eq!(
        s.requests().iter().filter(|r| r.status == 0).count(),
        1,
        "the dropped request is logged with status 0"
    );
}

#[tokio::test]
async fn configured_rate_limit() {
    let s = Simulator::start(SimConfig {
        now: Some(now()),
        rate_limit_per_minute: Some(3),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let api = Api::new(&s);
    for _ in 0..3 {
        assert_eq!(
            api.send(api.req(Method::GET, "/priorities", tokens::DEMO_USER_TOKEN))
                .await
                .0,
            200
        );
    }
    let resp = api
        .req(Method::GET, "/priorities", tokens::DEMO_USER_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["ratelimit-limit"], "3");
    assert_eq!(resp.headers()["ratelimit-remaining"], "0");
    // Limits are per credential: the account key still has budget.
    assert_eq!(
        api.send(api.req(Method::GET, "/priorities", tokens::ACCOUNT_KEY))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn oncalls_match_hand_checked_expectations() {
    let s = sim().await;
    let api = Api::new(&s);
    let st = s.state();
    let primary = st.schedule_by_name("Platform Primary").unwrap();
    let (morgan, yuki, samuel) = (
        st.user_by_name("Morgan Lee").unwrap(),
        st.user_by_name("Yuki Tanaka").unwrap(),
        st.user_by_name("Samuel Okafor").unwrap(),
    );

    // Weekly rotation [Morgan, Yuki, Priya] handing off Mondays 09:00 London
    // (= 09:00Z in March); NOW is Monday 12:00Z, 16 turns after the virtual
    // start, so Yuki's turn began at 09:00Z. The active override puts Samuel
    // on from NOW-2h to NOW+10h.
    let day = api
        .get(&format!(
            "/schedules/{}?since=2026-03-02T00:00:00Z&until=2026-03-03T00:00:00Z&time_zone=UTC",
            primary.id
        ))
        .await;
    let entries: Vec<(String, String, String)> =
        day["schedule"]["final_schedule"]["rendered_schedule_entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["user"]["id"].as_str().unwrap().into(),
                    e["start"].as_str().unwrap().into(),
                    e["end"].as_str().unwrap().into(),
                )
            })
            .collect();
    let e = |u: &str, a: &str, b: &str| {
        (
            u.to_string(),
            format!("2026-03-{a}Z"),
            format!("2026-03-{b}Z"),
        )
    };
    assert_eq!(
        entries,
        vec![
            e(&morgan.id, "02T00:00:00", "02T09:00:00"),
            e(&yuki.id, "02T09:00:00", "02T10:00:00"),
            e(&samuel.id, "02T10:00:00", "02T22:00:00"),
            e(&yuki.id, "02T22:00:00", "03T00:00:00"),
        ]
    );
    assert_eq!(
        day["schedule"]["final_schedule"]["rendered_coverage_percentage"],
        100.0
    );
    let overrides = &day["schedule"]["overrides_subschedule"]["rendered_schedule_entries"];
    assert_eq!(overrides.as_array().unwrap().len(), 1);

    // /oncalls now: level 1 of Platform Escalation is Samuel via the override.
    let ep = st.escalation_policy_by_name("Platform Escalation").unwrap();
    let oc = api
        .get(&format!("/oncalls?escalation_policy_ids[]={}", ep.id))
        .await;
    let ocs = oc["oncalls"].as_array().unwrap();
    let l1: Vec<_> = ocs.iter().filter(|o| o["escalation_level"] == 1).collect();
    assert_eq!(l1.len(), 1);
    assert_eq!(l1[0]["user"]["id"], samuel.id.as_str());
    assert_eq!(
        (l1[0]["start"].as_str(), l1[0]["end"].as_str()),
        (Some("2026-03-02T10:00:00Z"), Some("2026-03-02T22:00:00Z"))
    );
    // The demo user is a direct level-2 target: a permanent on-call.
    let direct = ocs
        .iter()
        .find(|o| o["user"]["id"] == morgan.id.as_str() && o["escalation_level"] == 2)
        .unwrap();
    assert!(direct["schedule"].is_null() && direct["start"].is_null() && direct["end"].is_null());

    // Tomorrow at noon the override is over and Yuki is back.
    let oc = api
        .get(&format!(
            "/oncalls?schedule_ids[]={}&since=2026-03-03T12:00:00Z&until=2026-03-03T12:00:00Z",
            primary.id
        ))
        .await;
    assert_eq!(oc["oncalls"][0]["user"]["id"], yuki.id.as_str());
    // earliest=true: one row per (policy, level, user).
    let oc = api.get(&format!("/oncalls?schedule_ids[]={}&since=2026-03-02T00:00:00Z&until=2026-03-20T00:00:00Z&earliest=true&limit=100", primary.id)).await;
    let mut seen = std::collections::HashSet::new();
    for o in oc["oncalls"].as_array().unwrap() {
        assert!(seen.insert((
            o["escalation_policy"]["id"].to_string(),
            o["escalation_level"].to_string(),
            o["user"]["id"].to_string()
        )));
    }
    // Schedule users in a window.
    let users = api
        .get(&format!(
            "/schedules/{}/users?since=2026-03-02T10:30:00Z&until=2026-03-02T11:00:00Z",
            primary.id
        ))
        .await;
    assert_eq!(users["users"].as_array().unwrap().len(), 1);
    assert_eq!(users["users"][0]["id"], samuel.id.as_str());
}

#[tokio::test]
async fn business_hours_schedule_has_known_gaps() {
    let s = sim().await;
    let sched = s.state().schedule_by_name("Data Business Hours").unwrap();
    // Week of Mon 2026-03-02 in Europe/Berlin (UTC+1 until 29 March).
    let since: Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let until: Timestamp = "2026-03-08T23:00:00Z".parse().unwrap();
    let gaps = schedule::gaps(&sched, since, until);
    let fmt: Vec<(String, String)> = gaps
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let g = |a: &str, b: &str| (format!("2026-03-{a}:00:00Z"), format!("2026-03-{b}:00:00Z"));
    assert_eq!(
        fmt,
        vec![
            g("01T23", "02T08"), // Monday before 09:00 Berlin
            g("02T16", "03T08"), // weekday nights 17:00-09:00 Berlin
            g("03T16", "04T08"),
            g("04T16", "05T08"),
            g("05T16", "06T08"),
            g("06T16", "08T23"), // Friday 17:00 to the end of Sunday
        ]
    );
    let api = Api::new(&s);
    let v = api
        .get(&format!(
            "/schedules/{}?since={since}&until={until}",
            sched.id
        ))
        .await;
    // 5 × 8h of 168h.
    assert_eq!(
        v["schedule"]["final_schedule"]["rendered_coverage_percentage"],
        23.81
    );
    // Rendered in the schedule's own zone by default.
    assert_eq!(
        v["schedule"]["final_schedule"]["rendered_schedule_entries"][0]["start"],
        "2026-03-02T09:00:00+01:00"
    );
    // No one from the Data schedule is on call at NOW (Monday 13:00 Berlin is covered) vs. at night.
    let night = api
        .get(&format!(
            "/oncalls?schedule_ids[]={}&since=2026-03-02T22:00:00Z&until=2026-03-02T22:00:00Z",
            sched.id
        ))
        .await;
    assert_eq!(night["oncalls"], json!([]));
}

#[tokio::test]
async fn tenants_are_separate_accounts_reached_by_their_own_tokens() {
    let s = Simulator::start(SimConfig {
        now: Some(now()),
        tenants: 2,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let api = Api::new(&s);
    let main_incident = s.state().incidents()[0].id.clone();
    let t1 = tokens::tenant_token(1, tokens::DEMO_USER_TOKEN);
    let (status, me) = api.send(api.req(Method::GET, "/users/me", &t1)).await;
    assert_eq!(status, 200);
    assert_eq!(
        me["user"]["id"],
        s.state().tenant_demo_user(1).unwrap().id.as_str()
    );
    assert_ne!(me["user"]["id"], s.state().demo_user().unwrap().id.as_str());
    // Another account's objects do not exist for this tenant.
    let path = format!("/incidents/{main_incident}");
    let (status, _) = api.send(api.req(Method::GET, &path, &t1)).await;
    assert_eq!(status, 404);
    let (status, _) = api
        .send(api.req(
            Method::GET,
            "/users/me",
            &tokens::tenant_token(3, tokens::DEMO_USER_TOKEN),
        ))
        .await;
    assert_eq!(status, 401, "no third tenant");
}

#[test]
fn a_snooze_that_ended_triggers_the_incident_again() {
    use pagerduty_sim::routes::incident_triage::{Snooze, wake};
    let now: Timestamp = "2026-03-02T12:00:00Z".parse().unwrap();
    let mut store = pagerduty_sim::seed::seed(7, now, 200);
    let a = &mut store.accounts[0];
    let idx = a
        .incidents
        .iter()
        .rposition(|i| i.status == "acknowledged")
        .unwrap();
    let other = a
        .incidents
        .iter()
        .rposition(|i| i.status == "acknowledged" && i.id != a.incidents[idx].id)
        .unwrap();
    let until: Timestamp = "2026-03-02T13:00:00Z".parse().unwrap();
    let later: Timestamp = "2026-03-02T15:00:00Z".parse().unwrap();
    for (i, end) in [(idx, until), (other, later)] {
        a.snoozes.push(Snooze {
            incident_id: a.incidents[i].id.clone(),
            until: end,
            user_id: a.users[0].id.clone(),
        });
    }
    wake(a, "2026-03-02T12:59:59Z".parse().unwrap());
    assert_eq!(a.incidents[idx].status, "acknowledged", "not yet");
    wake(a, "2026-03-02T13:30:00Z".parse().unwrap());
    assert_eq!(a.incidents[idx].status, "triggered");
    assert_eq!(a.incidents[idx].last_status_change_at, until);
    // The other snooze runs on.
    assert_eq!(a.incidents[other].status, "acknowledged");
    assert_eq!(a.snoozes.len(), 1);
}

/// Write bodies are typed: a mistyped field is a 400 that names its path, a missing envelope
/// is "… is required", and fields PagerDuty does not know are ignored (as PagerDuty does).
#[tokio::test]
async fn typed_bodies_name_the_mistyped_field() {
    let s = sim().await;
    let api = Api::new(&s);
    // PagerDuty's 400: "Invalid Input Provided", with the reason in `errors`.

    let (st, v) = api
        .post(
            "/teams",
            json!({"team": {"type": "team", "name": "Typed", "description": 5}}),
        )
        .await;
    assert_eq!(st, 400, "{v}");
    assert!(
        first_error(&v).starts_with("team.description: invalid type"),
        "{v}"
    );

    let (st, v) = api.post("/teams", json!({"name": "Typed"})).await;
    assert_eq!(st, 400, "{v}");
    assert_eq!(first_error(&v), "team is required", "{v}");

    let user = api.get("/users?limit=1").await["users"][0]["id"].clone();
    let policy = json!({"escalation_policy": {"type": "escalation_policy", "name": "Typed EP",
        "escalation_rules": [{"escalation_delay_in_minutes": "ten",
            "targets": [{"id": user, "type": "user_reference"}]}]}});
    let (st, v) = api.post("/escalation_policies", policy).await;
    assert_eq!(st, 400, "{v}");
    assert!(
        first_error(&v).starts_with(
            "escalation_policy.escalation_rules[0].escalation_delay_in_minutes: invalid type"
        ),
        "{v}"
    );

    // Positive controls: the same bodies, well typed and with a field PagerDuty does not
    // declare, are taken.
    let (st, v) = api
        .post("/teams", json!({"team": {"type": "team", "name": "Typed", "description": "five", "not_a_field": 1}}))
        .await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["team"]["description"], "five");
    let policy = json!({"escalation_policy": {"type": "escalation_policy", "name": "Typed EP",
        "escalation_rules": [{"escalation_delay_in_minutes": 10,
            "targets": [{"id": user, "type": "user_reference"}]}]}});
    let (st, v) = api.post("/escalation_policies", policy).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(
        v["escalation_policy"]["escalation_rules"][0]["escalation_delay_in_minutes"],
        10
    );
}
