//! A guard between the client's byte stream and tower-lsp-server's codec.
//!
//! tower-lsp-server stops serving after the first frame it cannot decode (tokio-util's
//! `FramedRead` ends the stream after a decoder error), so one malformed message would kill the
//! session. This guard frames stdin itself, answers what is not JSON-RPC with an error response
//! (`-32700` parse error, `-32600` invalid request), logs it, and forwards only well-formed
//! messages. Frames the server writes pass through unchanged; error responses are written between
//! them, never inside one.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Bodies larger than this are refused (a 5 MiB document is well below it, even escaped).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// One framed message's body, or what was wrong with the framing.
enum Frame {
    Body(Vec<u8>),
    BadHeader(String),
    Eof,
}

/// Reads the next `Content-Length` framed message. A header block without a usable
/// `Content-Length` is skipped (reported as `BadHeader`), so reading resynchronizes at the next
/// header block.
async fn read_frame<R: AsyncRead + Unpin>(input: &mut BufReader<R>) -> std::io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line).await? == 0 {
            return Ok(Frame::Eof);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_header {
                continue; // stray blank line between messages
            }
            break;
        }
        saw_header = true;
        // Find the header even after garbage on the same line (e.g. an unframed body).
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find("content-length") {
            let value = text[at + "content-length".len()..].trim_start().trim_start_matches(':').trim();
            length = Some(value.parse::<usize>().map_err(|_| format!("invalid Content-Length `{value}`")));
        }
    }
    match length {
        Some(Ok(n)) if n <= MAX_BODY_BYTES => {
            let mut body = vec![0; n];
            match input.read_exact(&mut body).await {
                Ok(_) => Ok(Frame::Body(body)),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(Frame::Eof),
                Err(e) => Err(e),
            }
        }
        Some(Ok(n)) => Ok(Frame::BadHeader(format!("Content-Length {n} is larger than {MAX_BODY_BYTES} bytes"))),
        Some(Err(e)) => Ok(Frame::BadHeader(e)),
        None => Ok(Frame::BadHeader("a header block without Content-Length".into())),
    }
}

/// Frames one message body.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Why a body is refused, as a JSON-RPC error response, or `None` when it is a message the
/// server's codec accepts.
fn check_body(body: &[u8]) -> Option<Value> {
    let error = |id: Value, code: i64, message: String| json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } });
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(error(Value::Null, -32700, format!("Parse error: {e}"))),
    };
    if serde_json::from_value::<Request>(value.clone()).is_ok()
        || serde_json::from_value::<Response>(value.clone()).is_ok()
    {
        return None;
    }
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    Some(error(id, -32600, "Invalid request: not a JSON-RPC 2.0 request, notification or response".into()))
}

/// Copies client messages from `input` to `to_server`, replying to malformed ones through
/// `replies`. Returns at end of input (the server then sees end of input too).
pub async fn guard_input<R, W>(input: R, mut to_server: W, replies: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut input = BufReader::new(input);
    loop {
        let next = match read_frame(&mut input).await {
            Ok(f) => f,
            Err(e) => {
                tracing::error!("cannot read from the client: {e}");
                break;
            }
        };
        match next {
            Frame::Eof => break,
            Frame::BadHeader(why) => {
                tracing::warn!("skipped a malformed message header: {why}");
                let reply = json!({ "jsonrpc": "2.0", "id": null,
                    "error": { "code": -32700, "message": format!("Parse error: {why}") } });
                let _ = replies.send(frame(reply.to_string().as_bytes()));
            }
            Frame::Body(body) => match check_body(&body) {
                None => {
                    if to_server.write_all(&frame(&body)).await.is_err() || to_server.flush().await.is_err() {
                        break; // the server has stopped
                    }
                }
                Some(reply) => {
                    let shown = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
                    tracing::warn!("refused a malformed message ({}): {shown}", reply["error"]["message"]);
                    let _ = replies.send(frame(reply.to_string().as_bytes()));
                }
            },
        }
    }
    let _ = to_server.shutdown().await;
}

/// Copies the server's frames from `from_server` into `out` (whole frames, so injected replies
/// never split one).
pub async fn pump_output<R: AsyncRead + Unpin>(from_server: R, out: mpsc::UnboundedSender<Vec<u8>>) {
    let mut input = BufReader::new(from_server);
    loop {
        match read_frame(&mut input).await {
            Ok(Frame::Body(body)) => {
                if out.send(frame(&body)).is_err() {
                    break;
                }
            }
            Ok(Frame::BadHeader(why)) => tracing::error!("the server wrote a malformed frame: {why}"),
            Ok(Frame::Eof) | Err(_) => break,
        }
    }
}

/// Writes frames to the client in the order they arrive.
pub async fn write_output<W: AsyncWrite + Unpin>(mut out: W, mut frames: mpsc::UnboundedReceiver<Vec<u8>>) {
    while let Some(f) = frames.recv().await {
        if out.write_all(&f).await.is_err() || out.flush().await.is_err() {
            tracing::error!("cannot write to the client; stopping");
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_classified() {
        assert!(check_body(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#).is_none());
        assert!(check_body(br#"{"jsonrpc":"2.0","method":"x"}"#).is_none());
        assert!(check_body(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_none());
        assert_eq!(check_body(b"{not json").unwrap()["error"]["code"], -32700);
        let r = check_body(br#"{"id":7,"foo":1}"#).unwrap();
        assert_eq!((r["error"]["code"].as_i64(), r["id"].as_i64()), (Some(-32600), Some(7)));
    }

    #[tokio::test]
    async fn resynchronizes_after_a_bad_header() {
        let input = b"Content-Length: abc\r\n\r\nxxContent-Length: 2\r\n\r\n{}".to_vec();
        let mut reader = BufReader::new(&input[..]);
        assert!(matches!(read_frame(&mut reader).await.unwrap(), Frame::BadHeader(_)));
        match read_frame(&mut reader).await.unwrap() {
            Frame::Body(b) => assert_eq!(b, b"{}"),
            _ => panic!("expected the second frame"),
        }
        assert!(matches!(read_frame(&mut reader).await.unwrap(), Frame::Eof));
    }
}
