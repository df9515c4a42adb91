//! The client: its host, credential, time and size limits and retry policy, shared by every
//! call it makes (`call.rs`: one request and how it is sent).

mod call;

pub(crate) use call::Call;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::time::Instant;

use reqwest::Method;
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue};
use tokio::sync::OnceCell;

use crate::error::{Error, Result};
use crate::host::ApiHost;
use crate::journal::Journal;
use crate::models::User;
use crate::{Credential, Region};

const ACCEPT_V2: &str = "application/vnd.pagerduty+json;version=2";

/// When and how long to retry.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First back-off; doubles each retry, with jitter.
    pub base_delay: Duration,
    /// The longest back-off between two attempts. A 429's `Retry-After`/`ratelimit-reset`
    /// is honoured as long as it fits in what is left of the call's time budget.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_wait: Duration::from_secs(10),
        }
    }
}

/// How a [`Client`] is set up: host, credential, time budget, retries, response-size limit.
pub struct ClientBuilder {
    host: ApiHost,
    credential: Option<Credential>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    max_response_bytes: usize,
}

/// The default cap on one answer's body: the largest page this client asks for (100
/// incidents with their references) is well under 1 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 << 20;

impl ClientBuilder {
    /// The credential sent with every request; `None`: calls fail with [`crate::Error::MissingCredential`].
    pub fn credential(mut self, credential: Option<Credential>) -> Self {
        self.credential = credential;
        self
    }

    /// How long connecting may take.
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = t;
        self
    }

    /// The time budget of one call: every request, retry and wait of it together (see
    /// [`Client::for_one_call`]); a request made outside a call gets a budget of its own.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    /// The largest answer body read; a longer one is an error, not a memory spike.
    pub fn max_response_bytes(mut self, n: usize) -> Self {
        self.max_response_bytes = n;
        self
    }

    /// When and how often failed requests are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The `User-Agent` sent.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Builds the client. Makes no request and sets up no TLS: the HTTP client (which loads
    /// the system's root certificates) is made on the first request, so a server that is
    /// never called starts without that cost. A failure to set it up is that request's
    /// [`Error::Setup`], and every later request's.
    pub fn build(self) -> Client {
        Client {
            shared: Arc::new(Shared {
                http: OnceLock::new(),
                settings: HttpSettings {
                    user_agent: self.user_agent,
                    connect_timeout: self.connect_timeout,
                    timeout: self.timeout,
                },
                host: self.host,
                retry: self.retry,
                budget: self.timeout,
                max_response_bytes: self.max_response_bytes,
            }),
            credential: self.credential.map(Arc::new),
            me: Arc::new(OnceCell::new()),
            journal: None,
            deadline: None,
        }
    }
}

/// What the HTTP client is made from when it is first needed.
struct HttpSettings {
    user_agent: String,
    connect_timeout: Duration,
    timeout: Duration,
}

struct Shared {
    http: OnceLock<reqwest::Client>,
    settings: HttpSettings,
    host: ApiHost,
    retry: RetryPolicy,
    budget: Duration,
    max_response_bytes: usize,
}

impl Shared {
    /// The HTTP client, made on first use. A failed set-up is not kept: the next request
    /// tries again (and, the cause being the machine's, most likely fails the same way).
    fn http(&self) -> Result<&reqwest::Client> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_V2));
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(self.settings.user_agent.as_str())
            .connect_timeout(self.settings.connect_timeout)
            .timeout(self.settings.timeout)
            // A redirect could carry the token to a host the user did not choose.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(self.host.region() != Region::Custom || self.host.url().scheme() == "https")
            .build()
            .map_err(|source| Error::Setup {
                host: self.host.to_string(),
                source,
            })?;
        // Two first requests at once may both build one; either serves.
        Ok(self.http.get_or_init(|| http))
    }
}

/// A PagerDuty REST API v2 client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    credential: Option<Arc<Credential>>,
    me: Arc<OnceCell<User>>,
    journal: Option<Journal>,
    /// When the current call's time budget runs out (see [`Client::for_one_call`]).
    deadline: Option<Instant>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("host", &self.shared.host.as_str())
            .field("credential", &self.credential)
            .finish()
    }
}

impl Client {
    /// A builder for a client of `host`.
    pub fn builder(host: ApiHost) -> ClientBuilder {
        ClientBuilder {
            host,
            credential: None,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: concat!("pagerduty-mcp/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The same client with one time budget, starting now, for everything it sends until
    /// dropped: a tool call's requests, retries and waits share it.
    pub fn for_one_call(&self) -> Client {
        Client {
            deadline: Some(Instant::now() + self.shared.budget),
            ..self.clone()
        }
    }

    /// The time budget of one call.
    pub fn budget(&self) -> Duration {
        self.shared.budget
    }

    /// The same client (and connection pool) acting with another credential, e.g. the
    /// caller's own token in a multi-user deployment.
    pub fn with_credential(&self, credential: Credential) -> Client {
        Client {
            shared: self.shared.clone(),
            credential: Some(Arc::new(credential)),
            me: Arc::new(OnceCell::new()),
            journal: None,
            deadline: self.deadline,
        }
    }

    /// The same client recording its writes in `journal` (and, for a dry-run journal, not
    /// sending them).
    pub fn with_journal(&self, journal: Journal) -> Client {
        Client {
            journal: Some(journal),
            ..self.clone()
        }
    }

    /// The API host.
    pub fn host(&self) -> &ApiHost {
        &self.shared.host
    }

    /// The credential, if any.
    pub fn credential(&self) -> Option<&Credential> {
        self.credential.as_deref()
    }

    /// The user the credential acts as, fetched once and cached: the token's owner
    /// (`GET /users/me`), or for an account key the user its `From` email names.
    pub async fn current_user(&self) -> Result<&User> {
        self.me
            .get_or_try_init(|| async {
                match self.credential.as_deref() {
                    Some(Credential::AccountKey {
                        from: Some(email), ..
                    }) => self.user_by_email(email).await,
                    Some(Credential::AccountKey { from: None, .. }) => Err(Error::MissingFrom),
                    _ => {
                        self.request(Method::GET, &["users", "me"])
                            .subject("the current user (/users/me)")
                            .send_one("user")
                            .await
                    }
                }
            })
            .await
    }

    async fn user_by_email(&self, email: &str) -> Result<User> {
        let page: crate::Page<User> = self
            .request(Method::GET, &["users"])
            .subject(format!("the user with email {email}"))
            .query("query", email)
            .list(
                "users",
                crate::Window {
                    offset: 0,
                    limit: 25,
                },
            )
            .await?;
        page.items
            .into_iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
            .ok_or_else(|| Error::UnknownFromUser(email.to_owned()))
    }

    /// Starts a request to `segments` (each one percent-encoded as a single path segment).
    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> Call<'_> {
        let mut url = self.shared.host.url().clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Call::new(self, method, url, segments.join("/"), false)
    }

    /// Starts an Events API v2 request (`/v2/...` on the events host of this client's
    /// region): no `Authorization` header (the body's routing key routes it), and 5xx
    /// answers are retried even for `POST`, as PagerDuty asks of event senders.
    pub(crate) fn events_request(&self, segments: &[&str]) -> Call<'_> {
        let mut url = crate::events::events_base(&self.shared.host);
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Call::new(self, Method::POST, url, segments.join("/"), true)
    }
}
