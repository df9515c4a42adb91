//! JSON-RPC 2.0 framing errors, the same on both transports: what rmcp cannot parse is
//! answered here with the code the spec names (-32700 parse error, -32600 invalid request,
//! -32602 invalid params) and the request's id whenever it can be read, instead of a plain
//! text 415 over HTTP or silence on stdio.

use rmcp::model::{ClientJsonRpcMessage, ClientRequest, JsonRpcRequest};
use serde_json::{Value, json};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const INVALID_PARAMS: i64 = -32602;

/// A message refused before it reaches the MCP service.
#[derive(Debug)]
pub struct Rejection {
    /// The request's id, `null` when it cannot be read.
    pub id: Value,
    pub code: i64,
    pub message: String,
    /// False for a well-formed notification: JSON-RPC never answers those.
    pub answer: bool,
}

impl Rejection {
    fn new(id: Option<Value>, code: i64, message: impl Into<String>) -> Self {
        Self {
            id: id.unwrap_or(Value::Null),
            code,
            message: message.into(),
            answer: true,
        }
    }

    /// The JSON-RPC error response.
    pub fn body(&self) -> Value {
        json!({
            "jsonrpc": "2.0",
            "id": self.id,
            "error": {"code": self.code, "message": self.message},
        })
    }
}

/// The methods of MCP's client-to-server requests: with unreadable params they are -32602,
/// where rmcp would take them for unknown custom methods (-32601).
const KNOWN_METHODS: &[&str] = &[
    "initialize",
    "ping",
    "server/discover",
    "tools/list",
    "tools/call",
    "prompts/list",
    "prompts/get",
    "resources/list",
    "resources/read",
    "resources/templates/list",
    "resources/subscribe",
    "resources/unsubscribe",
    "completion/complete",
    "logging/setLevel",
];

/// The methods 2026-07-28 removed (stateless lifecycle, no logging or subscriptions).
const REMOVED_IN_2026_07_28: &[&str] = &[
    "initialize",
    "logging/setLevel",
    "resources/subscribe",
    "resources/unsubscribe",
];

/// Parses one message as rmcp will, or says why it cannot be served.
pub fn check(bytes: &[u8]) -> Result<ClientJsonRpcMessage, Rejection> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let why = if e.to_string().contains("recursion limit") {
            "nested too deeply".to_owned()
        } else {
            e.to_string()
        };
        Rejection::new(
            scan_id(bytes),
            PARSE_ERROR,
            format!("Parse error: not a JSON message ({why})"),
        )
    })?;
    let obj = match &value {
        Value::Object(obj) => obj,
        Value::Array(_) => {
            return Err(Rejection::new(
                None,
                INVALID_REQUEST,
                "Invalid Request: batches are not supported (MCP removed JSON-RPC batching); send one message at a time",
            ));
        }
        _ => {
            return Err(Rejection::new(
                None,
                INVALID_REQUEST,
                "Invalid Request: a message is a JSON object",
            ));
        }
    };
    let id = match obj.get("id") {
        None => None,
        Some(id @ (Value::String(_) | Value::Number(_))) => Some(id.clone()),
        Some(_) => {
            return Err(Rejection::new(
                None,
                INVALID_REQUEST,
                "Invalid Request: `id` must be a string or a number",
            ));
        }
    };
    let invalid = |code, message: String| Rejection::new(id.clone(), code, message);
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(invalid(
            INVALID_REQUEST,
            "Invalid Request: `jsonrpc` must be \"2.0\"".into(),
        ));
    }
    let method = match obj.get("method") {
        Some(Value::String(m)) => Some(m.clone()),
        None if id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) => None,
        _ => {
            return Err(invalid(
                INVALID_REQUEST,
                "Invalid Request: `method` must be a string".into(),
            ));
        }
    };
    let notification = id.is_none();
    let refuse = |message: String| Rejection {
        answer: !notification,
        ..invalid(INVALID_PARAMS, message)
    };
    if let Some(method) = &method
        && obj.get("params").is_some_and(|p| !p.is_object())
    {
        return Err(refuse(format!(
            "Invalid params: the params of `{method}` must be an object"
        )));
    }
    // A 2026-07-28 request naming a method that revision removed is rmcp's to answer, with
    // method-not-found (HTTP 404), not a params error.
    let modern = obj
        .get("params")
        .and_then(|p| p.get("_meta"))
        .and_then(|m| m.get("io.modelcontextprotocol/protocolVersion"))
        .and_then(Value::as_str)
        .is_some_and(|v| v >= "2026-07-28");
    let known = method.as_deref().is_some_and(|m| {
        KNOWN_METHODS.contains(&m) && !(modern && REMOVED_IN_2026_07_28.contains(&m))
    });
    match serde_json::from_value::<ClientJsonRpcMessage>(value) {
        Ok(ClientJsonRpcMessage::Request(JsonRpcRequest {
            request: ClientRequest::CustomRequest(_),
            ..
        })) if known => Err(refuse(format!(
            "Invalid params for `{}`",
            method.unwrap_or_default()
        ))),
        Ok(message) => Ok(message),
        Err(e) if known || method.is_none() => Err(refuse(format!("Invalid params: {e}"))),
        Err(e) => Err(Rejection {
            answer: !notification,
            ..invalid(INVALID_REQUEST, format!("Invalid Request: {e}"))
        }),
    }
}

/// The top-level `id` of a message that does not parse (cut short, invalid UTF-8 or JSON,
/// nested too deeply), so its sender still gets an answer it can match.
pub fn scan_id(b: &[u8]) -> Option<Value> {
    let ws = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    // The index just past the string starting at `i` (a quote).
    let string_end = |mut i: usize| {
        i += 1;
        loop {
            match b.get(i)? {
                b'\\' => i += 2,
                b'"' => return Some(i + 1),
                _ => i += 1,
            }
        }
    };
    let mut i = ws(0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let (mut depth, mut expect_key) = (1usize, true);
    loop {
        i = ws(i);
        match *b.get(i)? {
            b'"' => {
                let end = string_end(i)?;
                if depth == 1 && expect_key {
                    let key = &b[i + 1..end - 1];
                    i = ws(end);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i = ws(i + 1);
                    if key == b"id" {
                        let end = match b.get(i)? {
                            b'"' => string_end(i)?,
                            b'-' | b'0'..=b'9' => {
                                let mut j = i + 1;
                                while b.get(j).is_some_and(u8::is_ascii_digit) {
                                    j += 1;
                                }
                                j
                            }
                            _ => return None,
                        };
                        return serde_json::from_slice::<Value>(&b[i..end])
                            .ok()
                            .filter(|v| v.is_string() || v.is_number());
                    }
                    expect_key = false;
                } else {
                    i = end;
                }
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
                i += 1;
            }
            b',' => {
                expect_key = depth == 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &[u8]) -> (i64, Value, bool) {
        let r = check(raw).unwrap_err();
        (r.code, r.id, r.answer)
    }

    #[test]
    fn each_framing_error_gets_its_code_and_the_readable_id() {
        assert_eq!(code(b"{not json"), (PARSE_ERROR, Value::Null, true));
        assert_eq!(
            code(b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\",\"params\":{\"x\":\xff"),
            (PARSE_ERROR, json!(7), true)
        );
        let deep = format!(
            r#"{{"jsonrpc":"2.0","id":"d","method":"ping","params":{{"x":{}1{}}}}}"#,
            "[".repeat(300),
            "]".repeat(300)
        );
        assert_eq!(code(deep.as_bytes()), (PARSE_ERROR, json!("d"), true));
        assert_eq!(
            code(br#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#),
            (INVALID_REQUEST, Value::Null, true)
        );
        assert_eq!(
            code(br#"{"jsonrpc":"1.0","id":2,"method":"ping"}"#),
            (INVALID_REQUEST, json!(2), true)
        );
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":3,"method":5}"#),
            (INVALID_REQUEST, json!(3), true)
        );
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":"x"}"#),
            (INVALID_PARAMS, json!(4), true)
        );
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"arguments":{}}}"#),
            (INVALID_PARAMS, json!(5), true)
        );
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","method":"tools/call","params":"x"}"#),
            (INVALID_PARAMS, Value::Null, false)
        );
        // A method 2026-07-28 removed is rmcp's (method-not-found) in a request of that era,
        // and still a params error in an older one.
        let removed = |version: &str| {
            format!(
                r#"{{"jsonrpc":"2.0","id":6,"method":"logging/setLevel","params":{{"_meta":{{"io.modelcontextprotocol/protocolVersion":"{version}"}}}}}}"#
            )
        };
        assert!(check(removed("2026-07-28").as_bytes()).is_ok());
        assert_eq!(
            code(removed("2025-11-25").as_bytes()),
            (INVALID_PARAMS, json!(6), true)
        );
        // Positive controls: well-formed messages pass, unknown methods are rmcp's -32601.
        for ok in [
            r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"x","arguments":{}}}"#,
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"no/such/method","params":{}}"#,
        ] {
            assert!(check(ok.as_bytes()).is_ok(), "{ok}");
        }
    }

    #[test]
    fn ids_are_read_from_broken_messages() {
        assert_eq!(
            scan_id(br#"{"id": 12, "method": "x", "params": {"#),
            Some(json!(12))
        );
        assert_eq!(
            scan_id(br#"{"params":{"id":1,"a":[{"id":2}]},"id":"top"#),
            None,
            "a cut-off string id is not guessed"
        );
        assert_eq!(
            scan_id(br#"{"params":{"id":1,"a":[{"id":2}]},"id":"top","x":"#),
            Some(json!("top")),
            "nested ids are not the request's"
        );
        assert_eq!(
            scan_id(br#"{"key":"has \"id\": 9","id":-3"#),
            Some(json!(-3))
        );
        assert_eq!(scan_id(br#"{"id":null}"#), None);
        assert_eq!(scan_id(b"garbage"), None);
    }
}
