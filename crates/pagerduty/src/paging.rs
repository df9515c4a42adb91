//! Classic offset pagination: `limit` ≤ 100 per page and `offset + limit` ≤ 10 000 overall.

use futures::Stream;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::client::Call;
use crate::error::{Error, Result};

/// PagerDuty's largest page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// PagerDuty refuses `offset + limit` above this.
pub const MAX_OFFSET_WINDOW: u32 = 10_000;

/// Which slice of a listing the caller wants.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The first item's position.
    pub offset: u32,
    /// How many items to return in all (may span several pages).
    pub limit: u32,
}

/// One caller-sized slice of a listing.
#[derive(Debug)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Whether PagerDuty has more items after this slice.
    pub more: bool,
    /// The offset to ask for next, when there is more and it is still within reach.
    pub next_offset: Option<u32>,
}

struct RawPage {
    items: Vec<Value>,
    more: bool,
}

impl Call<'_> {
    async fn fetch_page(&self, key: &str, offset: u32, limit: u32) -> Result<RawPage> {
        let mut body: Map<String, Value> = self.clone_for_page().page(offset, limit).send().await?;
        let items = match body.remove(key) {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Error::Incomplete {
                    what: key.to_owned(),
                    missing: format!("`{key}` list"),
                });
            }
        };
        let more = body.get("more").and_then(Value::as_bool).unwrap_or(false);
        Ok(RawPage { items, more })
    }

    /// Fetches `window.limit` items from `window.offset`, page by page, stopping early when
    /// PagerDuty has no more.
    pub(crate) async fn list<T: DeserializeOwned>(
        self,
        key: &str,
        window: Window,
    ) -> Result<Page<T>> {
        if window.offset >= MAX_OFFSET_WINDOW {
            return Err(Error::OffsetCap {
                offset: window.offset,
                limit: window.limit,
                max: MAX_OFFSET_WINDOW,
            });
        }
        let end = window
            .offset
            .saturating_add(window.limit)
            .min(MAX_OFFSET_WINDOW);
        let mut offset = window.offset;
        let mut items = Vec::with_capacity(window.limit.min(MAX_PAGE_SIZE) as usize);
        let mut more = true;
        while offset < end && more {
            let page = self
                .fetch_page(key, offset, (end - offset).min(MAX_PAGE_SIZE))
                .await?;
            more = page.more;
            if page.items.is_empty() {
                more = false;
            }
            offset += page.items.len() as u32;
            for v in page.items {
                items.push(decode(key, v)?);
            }
        }
        Ok(Page {
            items,
            more,
            next_offset: (more && offset < MAX_OFFSET_WINDOW).then_some(offset),
        })
    }

    /// Streams up to `cap` items page by page, holding one page in memory at a time.
    pub(crate) fn stream<T: DeserializeOwned>(
        self,
        key: &'static str,
        cap: usize,
    ) -> impl Stream<Item = Result<T>> {
        let cap = cap.min(MAX_OFFSET_WINDOW as usize) as u32;
        let state = (self, 0u32, true, Vec::<Value>::new().into_iter());
        futures::stream::try_unfold(
            state,
            move |(call, mut offset, mut more, mut buffer)| async move {
                loop {
                    if let Some(v) = buffer.next() {
                        return Ok(Some((decode(key, v)?, (call, offset, more, buffer))));
                    }
                    if !more || offset >= cap {
                        return Ok(None);
                    }
                    let page = call
                        .fetch_page(key, offset, (cap - offset).min(MAX_PAGE_SIZE))
                        .await?;
                    more = page.more && !page.items.is_empty();
                    offset += page.items.len() as u32;
                    buffer = page.items.into_iter();
                }
            },
        )
    }
}

fn decode<T: DeserializeOwned>(key: &str, v: Value) -> Result<T> {
    serde_json::from_value(v).map_err(|source| Error::Decode {
        what: key.to_owned(),
        source,
    })
}
