//! A small JSON-RPC-over-stdio client that drives the real `rocky-lsp` binary, for the LSP
//! integration tests and the LSP benchmark.
//!
//! Server→client requests (`client/registerCapability`, `workspace/inlayHint/refresh`, …) are
//! answered with `null` automatically and also recorded like notifications, so tests can see
//! them. Every wait has a timeout; nothing here measures or asserts speed.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Generous default for waiting on the server (never a speed assertion).
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The `rocky-lsp` binary next to the running test or bench executable
/// (`target/<profile>/deps/<exe>` → `target/<profile>/rocky-lsp`), or `ROCKY_LSP_BIN`.
pub fn server_binary() -> PathBuf {
    built_binary("rocky-lsp", "ROCKY_LSP_BIN", "rocky-lsp")
}

/// The `rocky` CLI binary, found the same way (or `ROCKY_BIN`).
pub fn rocky_binary() -> PathBuf {
    built_binary("rocky", "ROCKY_BIN", "rocky-runner")
}

fn built_binary(name: &str, env: &str, package: &str) -> PathBuf {
    if let Ok(p) = std::env::var(env) {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the current executable's path");
    let mut dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let bin = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} does not exist: run `cargo build -p {package}` (same profile) first, or set {env}",
        bin.display()
    );
    bin
}

/// What the test client tells the server it supports in `initialize`.
#[derive(Clone, Copy, Debug)]
pub struct ClientOptions {
    /// Offer UTF-8 positions (else UTF-16 only).
    pub utf8: bool,
    /// The client can register file watchers.
    pub watch_dynamic: bool,
    /// The client pulls diagnostics (`textDocument.diagnostic`).
    pub pull_diagnostics: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    /// The client shows server-initiated progress (`window.workDoneProgress`).
    pub work_done_progress: bool,
    /// The client applies workspace edits that rename files (`workspace.workspaceEdit`).
    pub rename_files: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            utf8: false,
            watch_dynamic: true,
            pull_diagnostics: false,
            diagnostic_refresh: false,
            work_done_progress: false,
            rename_files: false,
        }
    }
}

impl ClientOptions {
    /// A client like VS Code's: pulls diagnostics and accepts refresh requests.
    pub fn pull() -> Self {
        ClientOptions { pull_diagnostics: true, diagnostic_refresh: true, ..Self::default() }
    }
}

/// `file://` URI of an absolute path (ASCII paths; what the tests use).
pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A running server and the messages it sent that no one has consumed yet.
pub struct LspClient {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    incoming: Receiver<Value>,
    /// Notifications and server requests received while waiting for something else.
    backlog: VecDeque<Value>,
    next_id: i64,
    stderr: Arc<Mutex<String>>,
    stderr_reader: Option<std::thread::JoinHandle<()>>,
    /// The server's `capabilities` from its `initialize` answer (null before initializing).
    pub server_capabilities: Value,
}

fn write_frame(stdin: &Mutex<Option<ChildStdin>>, body: &[u8]) -> std::io::Result<()> {
    let mut guard = stdin.lock().unwrap_or_else(|e| e.into_inner());
    let w = guard.as_mut().ok_or_else(|| std::io::Error::other("stdin is closed"))?;
    write!(w, "Content-Length: {}\r\n\r\n", body.len())?;
    w.write_all(body)?;
    w.flush()
}

/// Reads `Content-Length` framed messages until end of stream.
fn read_messages(out: impl Read, stdin: Arc<Mutex<Option<ChildStdin>>>, tx: mpsc::Sender<Value>) {
    let mut r = BufReader::new(out);
    loop {
        let mut len = None;
        loop {
            let mut line = String::new();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                len = v.trim().parse::<usize>().ok();
            }
        }
        let Some(len) = len else { continue };
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        let Ok(msg) = serde_json::from_slice::<Value>(&body) else { continue };
        if msg.get("method").is_some() {
            if let Some(id) = msg.get("id") {
                let reply = json!({ "jsonrpc": "2.0", "id": id, "result": null });
                let _ = write_frame(&stdin, reply.to_string().as_bytes());
            }
        }
        if tx.send(msg).is_err() {
            return;
        }
    }
}

impl LspClient {
    /// Starts the server and initializes it with `root` as the workspace folder. `utf8` offers
    /// UTF-8 positions; `watch_dynamic` says the client can register file watchers.
    pub fn start(root: &Path) -> LspClient {
        Self::start_with(root, false, true)
    }

    pub fn start_with(root: &Path, utf8: bool, watch_dynamic: bool) -> LspClient {
        Self::start_opts(root, ClientOptions { utf8, watch_dynamic, ..ClientOptions::default() })
    }

    /// Starts the server and initializes it with `root` as the workspace folder.
    pub fn start_opts(root: &Path, options: ClientOptions) -> LspClient {
        let mut client = Self::spawn();
        client.initialize(root, options);
        client
    }

    /// Sends `initialize` (with `root` as the workspace folder) and `initialized`.
    pub fn initialize(&mut self, root: &Path, options: ClientOptions) {
        let encodings = if options.utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
        let mut capabilities = json!({
            "general": { "positionEncodings": encodings },
            "workspace": {
                "didChangeWatchedFiles": { "dynamicRegistration": options.watch_dynamic },
                "inlayHint": { "refreshSupport": true },
                "semanticTokens": { "refreshSupport": true },
                "workspaceFolders": true
            },
            "textDocument": {
                "publishDiagnostics": { "relatedInformation": true, "versionSupport": true }
            }
        });
        if options.pull_diagnostics {
            capabilities["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
        }
        if options.diagnostic_refresh {
            capabilities["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
        }
        if options.rename_files {
            capabilities["workspace"]["workspaceEdit"] =
                json!({ "documentChanges": true, "resourceOperations": ["create", "rename", "delete"] });
        }
        if options.work_done_progress {
            capabilities["window"] = json!({ "workDoneProgress": true });
        }
        let init = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": file_uri(root),
                    "workspaceFolders": [{ "uri": file_uri(root), "name": "test" }],
                    "capabilities": capabilities
                }),
            )
            .expect("initialize succeeds");
        assert!(init.get("capabilities").is_some(), "initialize result: {init}");
        self.server_capabilities = init["capabilities"].clone();
        self.notify("initialized", json!({}));
    }

    /// Starts the server without initializing it.
    pub fn spawn() -> LspClient {
        Self::spawn_command(Command::new(server_binary()))
    }

    /// Starts a server with this command line (e.g. `rocky lsp`) without initializing it. Its
    /// log level is the test's `RUST_LOG`, else `info`, unless `command` sets or removes it.
    pub fn spawn_command(mut command: Command) -> LspClient {
        if !command.get_envs().any(|(k, _)| k == "RUST_LOG") {
            command.env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()));
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the language server");
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().expect("stdout");
        let stderr_pipe = child.stderr.take().expect("stderr");
        let (tx, incoming) = mpsc::channel();
        let s = stdin.clone();
        std::thread::spawn(move || read_messages(stdout, s, tx));
        let stderr = Arc::new(Mutex::new(String::new()));
        let e = stderr.clone();
        let stderr_reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
                e.lock().unwrap().push_str(&line);
                e.lock().unwrap().push('\n');
            }
        });
        LspClient {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 1,
            stderr,
            stderr_reader: Some(stderr_reader),
            server_capabilities: Value::Null,
        }
    }

    /// The server's process id (for reading its memory use).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server logged so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends raw bytes (for malformed-input tests).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let mut guard = self.stdin.lock().unwrap();
        let w = guard.as_mut().expect("stdin is open");
        w.write_all(bytes).expect("write to the server");
        w.flush().expect("flush");
    }

    /// Sends a framed body as is.
    pub fn send_body(&mut self, body: &[u8]) {
        write_frame(&self.stdin, body).expect("write to the server");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let msg = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        self.send_body(msg.to_string().as_bytes());
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.send_body(msg.to_string().as_bytes());
        id
    }

    /// Waits for the response to request `id`: `Ok(result)` or `Err(error object)`.
    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let msg = self
            .next_matching(TIMEOUT, |m| m.get("method").is_none() && m.get("id") == Some(&json!(id)))
            .unwrap_or_else(|| {
                panic!("no response to request {id} within {TIMEOUT:?}; server log:\n{}", self.stderr())
            });
        match msg.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// Sends a request and waits for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The next message (from the backlog first) satisfying `pred`, waiting up to `timeout`.
    /// Messages that do not match stay in the backlog, in order.
    pub fn next_matching(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) if pred(&m) => return Some(m),
                Ok(m) => self.backlog.push_back(m),
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Waits until a whole-project check finishes (its `$/progress` end says "done"; needs
    /// `ClientOptions::work_done_progress`). Returns false on timeout.
    pub fn wait_project_checked(&mut self) -> bool {
        self.wait_for("$/progress", |p| p["value"]["kind"] == "end" && p["value"]["message"] == "done").is_some()
    }

    /// Waits for a notification (or server request) with this method whose params satisfy `pred`.
    pub fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        self.next_matching(TIMEOUT, |m| m["method"] == method && pred(&m["params"])).map(|m| m["params"].clone())
    }

    /// Waits until diagnostics published for `uri` satisfy `pred`; returns them.
    pub fn wait_diagnostics(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let found = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && pred(p["diagnostics"].as_array().map(Vec::as_slice).unwrap_or(&[]))
        });
        match found {
            Some(p) => p["diagnostics"].as_array().cloned().unwrap_or_default(),
            None => {
                let last = self
                    .backlog
                    .iter()
                    .rev()
                    .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
                panic!(
                    "no matching diagnostics for {uri} within {TIMEOUT:?}; last published: {}; server log:\n{}",
                    last.map_or_else(|| "none".to_string(), |m| m["params"].to_string()),
                    self.stderr()
                )
            }
        }
    }

    /// `textDocument/diagnostic` for `uri`: the report.
    pub fn pull_diagnostics(&mut self, uri: &str) -> Value {
        self.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }))
            .unwrap_or_else(|e| panic!("textDocument/diagnostic failed: {e}"))
    }

    /// Drops everything received so far (e.g. before waiting for the effect of the next edit).
    pub fn drain(&mut self) {
        self.backlog.clear();
        while self.incoming.try_recv().is_ok() {}
    }

    /// Opens a file with its disk contents; returns its URI.
    pub fn open(&mut self, path: &Path) -> String {
        let text = std::fs::read_to_string(path).expect("read the file to open");
        self.open_text(path, &text)
    }

    pub fn open_text(&mut self, path: &Path, text: &str) -> String {
        let uri = file_uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "sql", "version": 1, "text": text } }),
        );
        uri
    }

    /// One incremental change replacing `[start, end)` (line, character pairs) with `text`.
    pub fn change(&mut self, uri: &str, version: i32, start: (u32, u32), end: (u32, u32), text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": { "start": { "line": start.0, "character": start.1 },
                               "end": { "line": end.0, "character": end.1 } },
                    "text": text
                }]
            }),
        );
    }

    /// `textDocument/*` request at a position.
    pub fn at(&mut self, method: &str, uri: &str, line: u32, character: u32) -> Result<Value, Value> {
        self.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )
    }

    /// Asks the server to shut down and exit; returns its exit status.
    pub fn shutdown(mut self) -> std::process::ExitStatus {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Waits for the process to end (see [`LspClient::wait_exit`]) and returns its exit status
    /// and everything it logged.
    pub fn wait_exit_with_log(&mut self) -> (std::process::ExitStatus, String) {
        let status = self.wait_exit();
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join(); // ends with the process's stderr
        }
        (status, self.stderr())
    }

    /// Waits (up to [`TIMEOUT`]) for the process to end; kills it after that.
    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit within {TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Closes the server's stdin (as an editor that went away).
    pub fn close_stdin(&mut self) {
        self.stdin.lock().unwrap().take();
    }

    /// Peak resident memory of the server in MiB (`VmHWM`), Linux only.
    pub fn peak_rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A temporary copy of a fixture project (`fixtures/<name>`).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(name);
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create dir");
    for entry in std::fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let target = dst.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}
