//! A fault-injecting HTTP proxy in front of the test S3 server. It reads each
//! request whole, then answers it with a fault or forwards it (one request per
//! connection, so every request can be judged), and records every request line.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::s3_server::S3Server;

/// What the proxy does to requests.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Answers the first N requests `503 SlowDown`, then forwards.
    Throttle(usize),
    /// Closes the connection without answer on the first N requests, then forwards.
    Drop(usize),
    /// Answers every request `403 AccessDenied`.
    Deny,
    /// Answers every upload of this part number `500 InternalError`.
    FailPart(u32),
}

/// A running proxy; it lives as long as the server's runtime.
pub struct Proxy {
    pub addr: SocketAddr,
    state: Arc<State>,
}

/// What the connections share.
struct State {
    fault: Fault,
    upstream: SocketAddr,
    faults_left: AtomicUsize,
    requests: Mutex<Vec<String>>,
}

/// What to do with one request.
enum Action {
    Forward,
    Answer(&'static str, &'static str),
    Hang,
}

impl Proxy {
    /// Starts a proxy in front of `server`.
    pub fn start(server: &S3Server, fault: Fault) -> Proxy {
        let count = match fault {
            Fault::Throttle(n) | Fault::Drop(n) => n,
            Fault::Deny | Fault::FailPart(_) => 0,
        };
        let state = Arc::new(State {
            fault,
            upstream: server.addr,
            faults_left: AtomicUsize::new(count),
            requests: Mutex::new(Vec::new()),
        });
        let runtime = server.runtime();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
        let addr = listener.local_addr().expect("proxy address");
        runtime.spawn(accept(listener, state.clone()));
        Proxy { addr, state }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request lines seen so far (`PUT /bucket/key?x-id=PutObject HTTP/1.1`).
    pub fn requests(&self) -> Vec<String> {
        self.state.requests.lock().expect("requests").clone()
    }

    /// How many requests started with `method` (e.g. `PUT`, `HEAD`, `DELETE`).
    pub fn count(&self, method: &str) -> usize {
        let prefix = format!("{method} ");
        self.requests().iter().filter(|line| line.starts_with(&prefix)).count()
    }
}

impl State {
    /// Judges one request by its line.
    fn decide(&self, line: &str) -> Action {
        let take = || {
            self.faults_left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
        };
        match self.fault {
            Fault::Throttle(_) if take() => Action::Answer("503 Service Unavailable", "SlowDown"),
            Fault::Drop(_) if take() => Action::Hang,
            Fault::Deny => Action::Answer("403 Forbidden", "AccessDenied"),
            Fault::FailPart(n) if is_part(line, n) => {
                Action::Answer("500 Internal Server Error", "InternalError")
            }
            _ => Action::Forward,
        }
    }
}

/// Whether a request line uploads part `n` (`...&partNumber=n&...`).
fn is_part(line: &str, n: u32) -> bool {
    let wanted = format!("partNumber={n}");
    line.split(['?', '&', ' ']).any(|param| param == wanted)
}

/// Accepts client connections.
async fn accept(listener: TcpListener, state: Arc<State>) {
    while let Ok((client, _)) = listener.accept().await {
        tokio::spawn(handle(client, state.clone()));
    }
}

/// Reads one request, then faults or forwards it.
async fn handle(mut client: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (head, body) = read_request(&mut client).await?;
    let line = head.lines().next().unwrap_or_default().to_string();
    state.requests.lock().expect("requests").push(line.clone());
    match state.decide(&line) {
        Action::Forward => forward(client, state.upstream, &head, &body).await,
        Action::Answer(status, code) => {
            client.write_all(error_response(status, code).as_bytes()).await?;
            client.shutdown().await
        }
        Action::Hang => Ok(()),
    }
}

/// The request head (up to the blank line) and its body (by `Content-Length`).
async fn read_request(client: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut body = buf[end..].to_vec();
    let length = content_length(&head);
    while body.len() < length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok((head, body))
}

/// The `Content-Length` of a request head, 0 when absent.
fn content_length(head: &str) -> usize {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

/// Sends the request upstream with `Connection: close` and relays the answer.
async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    head: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let kept: Vec<&str> = head
        .trim_end()
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let head = format!("{}\r\nConnection: close\r\n\r\n", kept.join("\r\n"));
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(head.as_bytes()).await?;
    server.write_all(body).await?;
    tokio::io::copy(&mut server, &mut client).await?;
    client.shutdown().await
}

/// An S3-style XML error answer that closes the connection.
fn error_response(status: &str, code: &str) -> String {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Error><Code>{code}</Code><Message>injected by the test proxy</Message></Error>"
    );
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
}
