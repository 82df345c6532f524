//! The installable app: web manifest (in the visitor's language) and a versioned service worker.

use std::path::Path;

use app::services::context::RequestInfo;
use axum::Extension;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::Locale;
use sha2::{Digest, Sha256};

use crate::AppState;

/// Files the service worker keeps for offline start, and the version that names its cache.
#[derive(Clone, Debug)]
pub struct AppShell {
    pub version: String,
    pub files: Vec<String>,
}

impl AppShell {
    /// Hashes the built assets so that every deployment with different assets gets a new version,
    /// which makes browsers install the new worker and drop the old cache.
    pub fn scan(site_root: &Path, pkg_dir: &str) -> Self {
        let mut files =
            vec!["/offline.html".to_string(), "/icons/icon-192.png".to_string(), "/icons/icon-512.png".to_string()];
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        let mut built: Vec<_> = std::fs::read_dir(site_root.join(pkg_dir))
            .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect())
            .unwrap_or_default();
        built.sort();
        for path in built {
            if let (Some(name), Ok(bytes)) = (path.file_name().and_then(|n| n.to_str()), std::fs::read(&path)) {
                hasher.update(name.as_bytes());
                hasher.update(&bytes);
                // Pages' own pieces of the split wasm are cached when first used, not all at
                // install: a phone opening one page should not download every cabinet.
                let page_piece = name.starts_with("chunk_") || name.starts_with("split_");
                // The precompressed twins (.br, .gz) are how the server sends a file, not files
                // of their own.
                let twin = name.ends_with(".br") || name.ends_with(".gz");
                if !page_piece && !twin && !name.ends_with(".ts") {
                    files.push(format!("/{pkg_dir}/{name}"));
                }
            }
        }
        for name in ["offline.html", "icons/icon-192.png", "icons/icon-512.png"] {
            if let Ok(bytes) = std::fs::read(site_root.join(name)) {
                hasher.update(&bytes);
            }
        }
        let version = hasher.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect();
        Self { version, files }
    }
}

const WORKER: &str = include_str!("sw.js");

pub async fn service_worker(State(app): State<AppState>) -> Response {
    let files = serde_json::to_string(&app.shell.files).unwrap_or_else(|_| "[]".into());
    let body = WORKER.replace("__VERSION__", &app.shell.version).replace("__FILES__", &files);
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], body)
        .into_response()
}

pub async fn manifest(Extension(info): Extension<RequestInfo>) -> Response {
    let t = app::i18n::texts(info.locale);
    let description = match info.locale {
        Locale::Ru => "Личный кабинет покупателей, дилеров, поставщиков и сотрудников",
        Locale::En => "The cabinet for buyers, dealers, suppliers and staff",
    };
    let manifest = serde_json::json!({
        "name": format!("{} — {}", t.app_name, t.tagline),
        "short_name": t.app_name,
        "description": description,
        "lang": info.locale.code(),
        "start_url": "/home",
        "scope": "/",
        "id": "/home",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f8fafc",
        "theme_color": "#0f4c81",
        "icons": [
            { "src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
            { "src": "/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
        ]
    });
    ([(header::CONTENT_TYPE, "application/manifest+json"), (header::CACHE_CONTROL, "no-cache")], manifest.to_string())
        .into_response()
}
