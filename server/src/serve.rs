//! The HTTP server loop: axum's `serve`, with the limits it leaves unset. A
//! request's head must arrive within `head_timeout` (`KASSA_HEAD_TIMEOUT_MS`)
//! of the connection waiting for it, which also closes idle keep-alive
//! connections (a slowloris client trickling bytes holds nothing for long);
//! whole requests are bounded in `startup.rs` by a timeout layer. On shutdown no new
//! connection is taken and the ones in flight finish their requests.

use axum::{body::Body, extract::ConnectInfo, Router};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use std::{future::Future, time::Duration};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long the requests in flight get to finish once shutdown begins.
/// How long a request may take until its answer starts (a streamed export
/// then goes on as long as it needs).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

const DRAIN: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` resolves, then drains.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    head_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: pass, and try again.
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let service = app.clone().map_request(move |request: axum::http::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        // HTTP/1.1 only: browsers speak HTTP/2 over TLS alone, which the proxy
        // in front of Kassa ends; and the head timeout then runs from the
        // first byte the connection waits for (an auto-detecting server
        // would wait for that byte without a limit).
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(head_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("connections still open {DRAIN:?} after shutdown began; closing them");
    }
    Ok(())
}
