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
