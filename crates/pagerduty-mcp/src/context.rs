//! What a tool call runs with.

/// Per-call context: the PagerDuty client acting with the caller's credential.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub pd: pagerduty::Client,
    /// The Events API v2 routing key `send_event`/`send_change_event` use when the call
    /// names none (`PAGERDUTY_ROUTING_KEY`).
    pub routing_key: Option<RoutingKey>,
}

impl Ctx {
    /// The same context with its PagerDuty client recording writes in `journal`.
    pub fn with_journal(&self, journal: pagerduty::Journal) -> Ctx {
        Ctx {
            pd: self.pd.with_journal(journal),
            ..self.clone()
        }
    }

    /// The current user, or a refusal that says why an account-level key cannot act as one.
    pub async fn current_user(
        &self,
        needed_for: &str,
    ) -> Result<&pagerduty::models::User, crate::error::ToolError> {
        match self.pd.current_user().await {
            Ok(me) => Ok(me),
            Err(pagerduty::Error::Api(e)) if e.status == 400 => {
                Err(crate::error::ToolError::Refused(format!(
                    "`{needed_for}` needs to know the current user, but this credential is an account-level API key \
                 with no user identity. Set PAGERDUTY_FROM_EMAIL to the email of the user to act as, use a user \
                 API token, or filter by explicit ids instead."
                )))
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// An Events API v2 integration key: a secret of sorts, so `Debug` shows it masked.
#[derive(Clone)]
pub struct RoutingKey(pub String);

impl std::fmt::Debug for RoutingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&pagerduty::events::mask_routing_key(&self.0))
    }
}
