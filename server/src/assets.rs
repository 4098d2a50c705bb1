//! Fingerprinted static files. At start Kassa hashes the built CSS, JS and
//! WASM and serves each under a name carrying its hash
//! (`/pkg/kassa.3f9c….wasm`), cached by browsers for a year: a new build
//! makes new names, so nobody runs yesterday's code against today's server.
//! Leptos names the JS and WASM from a hash file (its `hash_files` option),
//! which Kassa writes itself, so the debug server of the tests and a release
//! build find the same files.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode, Uri},
    middleware::Next,
    response::Response,
};
use sha2::{Digest, Sha256};
use std::{collections::HashMap, path::Path, sync::Arc};

const YEAR: &str = "public, max-age=31536000, immutable";

#[derive(Default)]
pub struct Assets {
    /// `/pkg/kassa.<hash>.css` → `/pkg/kassa.css`, and so on.
    hashed: HashMap<String, String>,
    stylesheet: Option<String>,
}

impl Assets {
    /// Hashes what the site root holds and writes Leptos's hash file into
    /// `data_dir`; returns the assets and the hash file's path (None when
    /// the site is not built, and the plain names are served).
    pub fn load(site_root: &str, output_name: &str, data_dir: &Path) -> std::io::Result<(Assets, Option<String>)> {
        let mut assets = Assets::default();
        let mut lines = Vec::new();
        for ext in ["js", "wasm", "css"] {
            let plain = format!("/pkg/{output_name}.{ext}");
            let Ok(bytes) = std::fs::read(format!("{site_root}{plain}")) else {
                tracing::warn!(site_root, "no built site here: pages will have no styles and no card form");
                return Ok((Assets::default(), None));
            };
            let hash: String = Sha256::digest(&bytes).iter().take(8).map(|b| format!("{b:02x}")).collect();
            let named = format!("/pkg/{output_name}.{hash}.{ext}");
            if ext == "css" {
                assets.stylesheet = Some(named.clone());
            }
            assets.hashed.insert(named, plain);
            lines.push(format!("{ext}: {hash}"));
        }
        let path = data_dir.join("asset-hashes.txt");
        std::fs::write(&path, lines.join("\n") + "\n")?;
        Ok((assets, Some(path.to_string_lossy().into_owned())))
    }

    /// The stylesheet's URL as pages should link it.
    pub fn stylesheet(&self) -> String {
        self.stylesheet.clone().unwrap_or_else(|| "/pkg/kassa.css".into())
    }
}

const PLAIN_SCRIPTS: [&str; 4] = ["/widget.js", "/embed.js", "/return.js", "/stripe-pay.js"];

/// Serves a hashed name from its plain file, cached for a year; the plain
/// names are revalidated on every use, the plain scripts (the widget's, which
/// merchants' pages name without a hash, and the return page's) every 5 minutes.
pub async fn serve(State(assets): State<Arc<Assets>>, mut request: Request, next: Next) -> Response {
    // Every request passes here: leave the API and the pages untouched.
    let path = request.uri().path();
    if !path.starts_with("/pkg/") && !PLAIN_SCRIPTS.contains(&path) {
        return next.run(request).await;
    }
    let path = path.to_string();
    let plain = assets.hashed.get(&path).cloned();
    if let Some(plain) = &plain {
        if let Ok(uri) = plain.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
    }
    let mut response = next.run(request).await;
    let cache = match (&plain, path.as_str()) {
        (Some(_), _) => Some(YEAR),
        (None, p) if PLAIN_SCRIPTS.contains(&p) => Some("public, max-age=300"),
        (None, p) if p.starts_with("/pkg/") => Some("no-cache"),
        _ => None,
    };
    if let (Some(cache), StatusCode::OK | StatusCode::NOT_MODIFIED) = (cache, response.status()) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}
