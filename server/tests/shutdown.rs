//! SIGTERM (what service managers send) stops Kassa gracefully: a request
//! in flight is answered in full, then the process exits cleanly.

mod common;

use common::process::{free_port, start};
use std::{
    io::{Read, Write},
    net::TcpStream,
    time::{Duration, Instant},
};

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut kassa, key) = start(port, &[("KASSA_DATA_DIR", data.path().to_str().unwrap())]);
    let key = key.expect("the demo key");

    // Half a request: the headers and the start of the body.
    let body = r#"{"amount": 2500, "currency": "EUR"}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /v1/checkout/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let sent = std::process::Command::new("kill").args(["-TERM", &kassa.id().to_string()]).status().unwrap();
    assert!(sent.success());
    std::thread::sleep(Duration::from_millis(300));
    assert!(kassa.try_wait().unwrap().is_none(), "still serving the request in flight");

    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut answer = String::new();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("\"id\":\"cs_"), "{answer}");

    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = kassa.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "Kassa did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "a clean exit, not death by the signal");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "no longer listening");
}

/// Reads until the server closes the connection; how long that took.
fn closed_after(stream: &mut TcpStream, trickle: Option<&[u8]>) -> Duration {
    let started = Instant::now();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut buffer = [0u8; 1024];
    loop {
        assert!(started.elapsed() < Duration::from_secs(10), "the connection was never closed");
        if let Some(bytes) = trickle {
            // A slowloris client: one more header line now and then, never the end.
            if stream.write_all(bytes).is_err() {
                return started.elapsed();
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) => return started.elapsed(),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return started.elapsed(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_request_head_and_an_idle_connection_are_closed() {
    let app = common::TestApp::spawn_with(|c| c.head_timeout_ms = 1_000).await;
    let port = app.url.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    tokio::task::spawn_blocking(move || {
        let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
        slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
        let took = closed_after(&mut slow, Some(b"X-Slow: 1\r\n"));
        // 1 s, give or take a loaded machine's late timer; without the head
        // timeout the connection stays open for good (`closed_after` gives up at 10 s).
        assert!(took < Duration::from_secs(6), "slowloris held the connection for {took:?}");

        let mut idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let took = closed_after(&mut idle, None);
        assert!(took >= Duration::from_millis(800) && took < Duration::from_secs(6), "idle for {took:?}");
    })
    .await
    .unwrap();
    // A request that arrives whole is served as ever.
    assert_eq!(app.page("/healthz").await.0, 200);
}
