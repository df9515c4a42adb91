//! MCP over stdio: one JSON-RPC message per line, as rmcp's own stdio transport, plus what a
//! client needs from it: every line that is not a servable message is answered
//! ([`crate::jsonrpc`]) rather than dropped, lines are bounded, a legacy client that calls
//! before `initialize` is told so in its own protocol's terms, and on a shutdown signal
//! the calls in flight are answered before the server exits (bounded by the drain time-out).
//!
//! rmcp polls [`Transport::receive`] in a `select!` beside its other events (a tool's answer
//! to send, a send finished) and drops it whenever one of them is ready first, so `receive`
//! is cancel-safe: a line read in part waits in the transport, not in the dropped future, and
//! a refusal is queued (not written) by it. One task writes stdout, in the order lines were
//! queued, so a refusal still comes before the answer to a later line.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rmcp::RoleServer;
use rmcp::model::{
    ClientJsonRpcMessage, ClientNotification, ClientRequest, GetMeta as _, ServerJsonRpcMessage,
};
use rmcp::transport::Transport;
use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::jsonrpc::{self, Rejection};

/// The request ids handed to the service and not yet answered.
#[derive(Default)]
struct InFlight {
    ids: Mutex<HashSet<String>>,
    done: Notify,
}

impl InFlight {
    fn key(id: &impl serde::Serialize) -> String {
        serde_json::to_string(id).unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.ids.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Waits until every call handed out has been answered.
    async fn drained(&self) {
        loop {
            let notified = self.done.notified();
            if self.is_empty() {
                return;
            }
            notified.await;
        }
    }
}

/// A line for the writer task, and who waits to hear it was written.
type Queued = (Vec<u8>, Option<oneshot::Sender<std::io::Result<()>>>);

/// The queue of the task that writes stdout.
#[derive(Clone)]
struct Writer(mpsc::UnboundedSender<Queued>);

impl Writer {
    /// Starts the task writing to `out`, one queued line at a time, each flushed.
    fn spawn(mut out: impl AsyncWrite + Send + Unpin + 'static) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<Queued>();
        tokio::spawn(async move {
            while let Some((line, written)) = rx.recv().await {
                let result = async {
                    out.write_all(&line).await?;
                    out.flush().await
                }
                .await;
                if let Some(written) = written {
                    written.send(result).ok();
                }
            }
        });
        Self(tx)
    }

    /// Queues `line` without waiting: it keeps its place even if the caller is dropped.
    fn queue(&self, line: Vec<u8>) {
        self.0.send((line, None)).ok();
    }

    /// Queues `line` and waits until it (and so everything queued before it) is written.
    async fn write(&self, line: Vec<u8>) -> std::io::Result<()> {
        let (tx, rx) = oneshot::channel();
        let gone =
            || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the stdout writer ended");
        self.0.send((line, Some(tx))).map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?
    }
}

fn json_line(value: &impl serde::Serialize) -> std::io::Result<Vec<u8>> {
    let mut line = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    line.push(b'\n');
    Ok(line)
}

pub struct StdioTransport<R> {
    reader: R,
    writer: Writer,
    max_line_bytes: usize,
    in_flight: Arc<InFlight>,
    shutdown: CancellationToken,
    drain_timeout: Duration,
    /// A lifecycle is chosen: `initialize` was received, or a 2026-07-28 request with its
    /// protocol version in `_meta`.
    started: bool,
    /// The line read so far (at most `max_line_bytes` of it), and whether some was cut.
    partial: Vec<u8>,
    cut: bool,
}

impl<R: AsyncBufRead + Send + Unpin> StdioTransport<R> {
    /// Starts the task writing to `writer`: call it within the Tokio runtime.
    pub fn new(
        reader: R,
        writer: impl AsyncWrite + Send + Unpin + 'static,
        max_line_bytes: usize,
        shutdown: CancellationToken,
        drain_timeout: Duration,
    ) -> Self {
        Self {
            reader,
            writer: Writer::spawn(writer),
            max_line_bytes,
            in_flight: Arc::default(),
            shutdown,
            drain_timeout,
            started: false,
            partial: Vec::new(),
            cut: false,
        }
    }

    /// The next line, at most `max_line_bytes` of it (the rest is skipped); `None` at EOF.
    /// Cancel-safe: what is consumed from the reader is kept in `self` until the line ends.
    async fn read_line(&mut self) -> std::io::Result<Option<(Vec<u8>, bool)>> {
        loop {
            let buf = self.reader.fill_buf().await?;
            if buf.is_empty() {
                let (line, cut) = self.take_line();
                return Ok((!line.is_empty() || cut).then_some((line, cut)));
            }
            let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(n) => (&buf[..n], Some(n + 1)),
                None => (buf, None),
            };
            let room = self.max_line_bytes.saturating_sub(self.partial.len());
            if chunk.len() > room {
                self.cut = true;
            }
            self.partial
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
            let used = found.unwrap_or(buf.len());
            self.reader.consume(used);
            if found.is_some() {
                return Ok(Some(self.take_line()));
            }
        }
    }

    fn take_line(&mut self) -> (Vec<u8>, bool) {
        (
            std::mem::take(&mut self.partial),
            std::mem::take(&mut self.cut),
        )
    }

    /// Stops taking messages: what is queued is written, the calls in flight answered (each
    /// bounded by the drain time-out: a client that stops reading cannot hold the exit).
    async fn finish(&mut self) {
        tokio::time::timeout(self.drain_timeout, self.writer.write(Vec::new()))
            .await
            .ok();
        drain(&self.in_flight, self.drain_timeout).await;
    }
}

/// Queues the answer to a refused line (see the module comment: never awaited in `receive`).
fn answer(writer: &Writer, rejection: &Rejection) {
    tracing::debug!(code = rejection.code, message = %rejection.message, "refused a JSON-RPC message");
    // An unreadable line without a readable id stays unanswered, as in the official SDKs:
    // an answer nobody can match could start an error storm with a peer that echoes.
    if rejection.answer
        && !(rejection.code == jsonrpc::PARSE_ERROR && rejection.id.is_null())
        && let Ok(line) = json_line(&rejection.body())
    {
        writer.queue(line);
    }
}

impl<R: AsyncBufRead + Send + Unpin> StdioTransport<R> {
    /// Before a lifecycle starts, rmcp's own answer speaks of 2026-07-28 `_meta` fields and a
    /// stray notification ends the session; a legacy client gets its own protocol's terms.
    fn before_start(&mut self, message: &ClientJsonRpcMessage) -> Option<Rejection> {
        if self.started {
            return None;
        }
        match message {
            ClientJsonRpcMessage::Request(req) => match &req.request {
                ClientRequest::InitializeRequest(_) => {
                    self.started = true;
                    None
                }
                ClientRequest::PingRequest(_) | ClientRequest::DiscoverRequest(_) => None,
                other if other.get_meta().protocol_version().is_some() => {
                    self.started = true;
                    None
                }
                _ => Some(Rejection {
                    id: serde_json::to_value(&req.id).unwrap_or(Value::Null),
                    code: jsonrpc::INVALID_REQUEST,
                    message:
                        "Invalid Request: the session is not initialized; send `initialize` first"
                            .into(),
                    answer: true,
                }),
            },
            // Nothing to answer, and nothing for a session that has not started.
            _ => Some(Rejection {
                id: Value::Null,
                code: jsonrpc::INVALID_REQUEST,
                message: "a notification or response before `initialize`".into(),
                answer: false,
            }),
        }
    }
}

/// Stops taking messages and waits (bounded) for the calls in flight to be answered.
async fn drain(in_flight: &InFlight, drain_timeout: Duration) {
    {
        let pending = in_flight.lock().len();
        if pending > 0 {
            tracing::info!(
                pending,
                "draining: answering the calls in flight before exiting"
            );
        }
        if tokio::time::timeout(drain_timeout, in_flight.drained())
            .await
            .is_err()
        {
            tracing::warn!(
                abandoned = in_flight.lock().len(),
                "drain time-out: exiting with calls unanswered"
            );
        }
    }
}

impl<R: AsyncBufRead + Send + Unpin + 'static> Transport<RoleServer> for StdioTransport<R> {
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: ServerJsonRpcMessage,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let writer = self.writer.clone();
        let in_flight = self.in_flight.clone();
        async move {
            let answered = match &item {
                ServerJsonRpcMessage::Response(r) => Some(InFlight::key(&r.id)),
                ServerJsonRpcMessage::Error(e) => e.id.as_ref().map(InFlight::key),
                _ => None,
            };
            let written = match json_line(&item) {
                Ok(line) => writer.write(line).await,
                Err(e) => Err(e),
            };
            if let Some(key) = answered {
                in_flight.lock().remove(&key);
                in_flight.done.notify_waiters();
            }
            written
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            let shutdown = self.shutdown.clone();
            let line = tokio::select! {
                line = self.read_line() => Some(line),
                () = shutdown.cancelled() => None,
            };
            let (bytes, cut) = match line {
                Some(Ok(Some(line))) => line,
                // A shutdown signal, or EOF: no new calls, answer the ones in flight.
                None | Some(Ok(None)) => {
                    self.finish().await;
                    return None;
                }
                Some(Err(e)) => {
                    tracing::error!(error = %e, "reading stdin failed");
                    self.finish().await;
                    return None;
                }
            };
            if cut {
                answer(
                    &self.writer,
                    &Rejection {
                        id: jsonrpc::scan_id(&bytes).unwrap_or(Value::Null),
                        code: jsonrpc::PARSE_ERROR,
                        message: format!(
                            "Parse error: the message is longer than {} bytes (--max-body-bytes)",
                            self.max_line_bytes
                        ),
                        answer: true,
                    },
                );
                continue;
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let message = match jsonrpc::check(&bytes) {
                Ok(m) => m,
                Err(rejection) => {
                    answer(&self.writer, &rejection);
                    continue;
                }
            };
            if let Some(rejection) = self.before_start(&message) {
                answer(&self.writer, &rejection);
                continue;
            }
            match &message {
                ClientJsonRpcMessage::Request(req) => {
                    self.in_flight.lock().insert(InFlight::key(&req.id));
                }
                // A cancelled call gets no answer: the drain must not wait for one.
                ClientJsonRpcMessage::Notification(n) => {
                    if let ClientNotification::CancelledNotification(c) = &n.notification
                        && let Some(id) = &c.params.request_id
                    {
                        self.in_flight.lock().remove(&InFlight::key(id));
                        self.in_flight.done.notify_waiters();
                    }
                }
                _ => {}
            }
            return Some(message);
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        // Everything queued so far is written (and flushed) once this empty line is.
        self.writer.write(Vec::new()).await
    }
}
