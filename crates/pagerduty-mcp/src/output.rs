//! Shared argument and result shapes.

use pagerduty::{MAX_OFFSET_WINDOW, Page, Window};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::ToolError;

/// The most items one call returns; past it the model pages with `offset`.
pub const MAX_LIMIT: u32 = 1000;

/// A slice of a listing, with what the model needs to ask for the next one.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// True when PagerDuty has more results than returned.
    pub more: bool,
    /// Pass as `offset` to get the next results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u32>,
}

impl<T> From<Page<T>> for Listing<T> {
    fn from(page: Page<T>) -> Self {
        Self {
            items: page.items,
            more: page.more,
            next_offset: page.next_offset,
        }
    }
}

impl<T> Listing<T> {
    /// A complete, unpaginated list.
    pub fn all(items: Vec<T>) -> Self {
        Self {
            items,
            more: false,
            next_offset: None,
        }
    }
}

/// A count argument (`limit`, `max_items`): the one given, or `default`, if it is 1 to `max`.
pub fn bounded(field: &str, given: Option<u32>, default: u32, max: u32) -> Result<u32, ToolError> {
    let n = given.unwrap_or(default);
    if (1..=max).contains(&n) {
        Ok(n)
    } else {
        Err(ToolError::invalid(
            field,
            format!("must be between 1 and {max}, got {n}"),
        ))
    }
}

/// Validates `limit`/`offset` arguments into a window.
pub fn window(
    limit: Option<u32>,
    offset: Option<u32>,
    default_limit: u32,
) -> Result<Window, ToolError> {
    let limit = bounded("limit", limit, default_limit, MAX_LIMIT)?;
    let offset = offset.unwrap_or(0);
    if offset >= MAX_OFFSET_WINDOW {
        return Err(ToolError::invalid(
            "offset",
            format!(
                "PagerDuty lists at most {MAX_OFFSET_WINDOW} results; narrow the filters instead of paging past {offset}"
            ),
        ));
    }
    Ok(Window { offset, limit })
}

/// Cuts a result to at most `max` bytes of JSON and says what was cut. A list keeps its first
/// items, with `more`/`next_offset` pointing at the rest (`offset` is where it started);
/// anything else loses the longest strings and arrays first.
pub fn fit(value: &mut serde_json::Value, max: usize, offset: u64) -> Option<String> {
    use serde_json::Value;
    let size = json_len(value);
    if size <= max {
        return None;
    }
    // Room for the note and the paging fields.
    let budget = max.saturating_sub(400);
    let note = if let Some(Value::Array(items)) = value.get_mut("items") {
        let total = items.len();
        let item_sizes: Vec<usize> = items.iter().map(|i| json_len(i) + 1).collect();
        let mut used = size - item_sizes.iter().sum::<usize>();
        let kept = item_sizes.iter().take_while(|s| {
            used += *s;
            used <= budget
        });
        let kept = kept.count();
        items.truncate(kept);
        let next = offset + kept as u64;
        value["more"] = Value::Bool(true);
        value["next_offset"] = Value::from(next);
        format!(
            "Cut to {kept} of {total} results to stay under the {max}-byte output budget; \
             get the rest with offset={next}, or narrow the filters."
        )
    } else {
        for _ in 0..64 {
            if json_len(value) <= budget || !shrink_largest(value) {
                break;
            }
        }
        format!(
            "The result was {size} bytes, over the {max}-byte output budget; the longest fields were cut. \
             Ask for a narrower result (fewer fields, a single item) to see them whole."
        )
    };
    if let Value::Object(o) = value {
        o.insert("truncated".into(), Value::from(note.clone()));
    }
    Some(note)
}

fn json_len(v: &serde_json::Value) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

/// Halves the largest string or array in `v`; false when nothing is left to cut.
fn shrink_largest(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;

    enum Step {
        Key(String),
        Index(usize),
    }

    /// The path to the biggest cuttable node and its size, found without mutation.
    fn find(v: &Value, path: &mut Vec<Step>, best: &mut Option<(usize, Vec<usize>, Vec<String>)>) {
        let own = match v {
            Value::String(s) if s.len() > 64 => Some(s.len()),
            Value::Array(a) if a.len() > 1 => Some(json_len(v).max(a.len())),
            _ => None,
        };
        if let Some(n) = own
            && best.as_ref().is_none_or(|(b, _, _)| n > *b)
        {
            let (kinds, keys) = encode(path);
            *best = Some((n, kinds, keys));
        }
        match v {
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    path.push(Step::Index(i));
                    find(c, path, best);
                    path.pop();
                }
            }
            Value::Object(o) => {
                for (k, c) in o {
                    path.push(Step::Key(k.clone()));
                    find(c, path, best);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    // A path as parallel lists: index (usize::MAX for a key) and key.
    fn encode(path: &[Step]) -> (Vec<usize>, Vec<String>) {
        path.iter()
            .map(|s| match s {
                Step::Key(k) => (usize::MAX, k.clone()),
                Step::Index(i) => (*i, String::new()),
            })
            .unzip()
    }

    let mut best = None;
    find(v, &mut Vec::new(), &mut best);
    let Some((_, indices, keys)) = best else {
        return false;
    };
    let mut node = v;
    for (i, k) in indices.into_iter().zip(keys) {
        let next = if i == usize::MAX {
            node.get_mut(&k)
        } else {
            node.get_mut(i)
        };
        let Some(next) = next else { return false };
        node = next;
    }
    match node {
        Value::String(s) => {
            let mut cut = s.len() / 2;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            let removed = s.len() - cut;
            s.truncate(cut);
            s.push_str(&format!("…[{removed} bytes cut]"));
            true
        }
        Value::Array(a) => {
            let keep = a.len() / 2;
            a.truncate(keep);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_keep_their_head_and_point_at_the_rest() {
        let items: Vec<_> = (0..100)
            .map(|i| json!({"id": format!("P{i}"), "title": "x".repeat(90)}))
            .collect();
        let mut v = json!({"items": items, "more": false});
        let note = fit(&mut v, 3000, 40).unwrap();
        assert!(serde_json::to_vec(&v).unwrap().len() <= 3000);
        let kept = v["items"].as_array().unwrap().len();
        assert!(kept > 10 && kept < 100);
        assert_eq!(v["more"], true);
        assert_eq!(v["next_offset"], 40 + kept as u64);
        assert!(note.contains(&format!("offset={}", 40 + kept)));
        assert_eq!(v["truncated"], note);
    }

    #[test]
    fn objects_lose_their_longest_fields_first() {
        let mut v = json!({"id": "PA1", "body": {"details": "y".repeat(50_000), "tags": vec!["a"; 10]}, "title": "short"});
        assert!(fit(&mut v, 2000, 0).is_some());
        assert!(serde_json::to_vec(&v).unwrap().len() <= 2000);
        assert_eq!(v["id"], "PA1");
        assert_eq!(v["title"], "short");
        assert!(
            v["body"]["details"]
                .as_str()
                .unwrap()
                .contains("bytes cut]")
        );
        let mut small = json!({"id": "PA1"});
        assert!(fit(&mut small, 2000, 0).is_none());
    }
}

/// A listing plus, when asked for, how many items match in all.
#[derive(Serialize, JsonSchema)]
pub struct Counted<T> {
    #[serde(flatten)]
    pub listing: Listing<T>,
    /// How many match in all (with `total`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// The outcome of a change that returns no object.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Done {
    pub ok: bool,
    pub message: String,
}

impl Done {
    pub fn new(message: String) -> Self {
        Self { ok: true, message }
    }
}

/// How a schedule is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    /// Classic v2 schedule of layers.
    LayerBased,
    /// v3 schedule of rotations, custom shifts and overrides.
    ShiftBased,
}
