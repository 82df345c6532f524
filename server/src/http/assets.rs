//! The built files under `/pkg/` (JS, wasm pieces, CSS): served from the files compressed at build
//! time (`cargo leptos build --precompress`: brotli at its best level and gzip beside each file),
//! never compressed again per request. A file whose name carries its content's hash
//! (`kabinet.<hash>.wasm`, `hash-files` in the workspace manifest) never changes under that name,
//! so browsers keep it for a year without asking; anything else is revalidated on every use.

use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The length of cargo-leptos's file hash: an MD5 digest in unpadded base64url.
const HASH_LEN: usize = 22;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The directory service for the built files of `site_root/pkg_dir`.
pub fn service(site_root: &str, pkg_dir: &str) -> ServeDir {
    ServeDir::new(std::path::Path::new(site_root).join(pkg_dir)).precompressed_br().precompressed_gzip()
}

/// `GET /pkg/{*file}`.
pub async fn built_file(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let Some(file) = parts.uri.path().strip_prefix("/pkg").map(str::to_owned) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if is_hashed(&file) { IMMUTABLE } else { REVALIDATE };
    parts.uri = match Uri::try_from(file) {
        Ok(uri) => uri,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let Ok(response) = state.assets.as_ref().clone().oneshot(Request::from_parts(parts, body)).await;
    let mut response = response.map(Body::new);
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    } else {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Whether a file name carries a content hash: one of its dot-separated parts (not the first) is
/// exactly a 22-character base64url word, as cargo-leptos names `kabinet.<hash>.js`,
/// `__wasm_split.<hash>.js` and every wasm piece.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.')
        .skip(1)
        .any(|part| part.len() == HASH_LEN && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/kabinet.Xk3_9aQw-LmNoPqRsTuVwx.wasm"));
        assert!(is_hashed("/__wasm_split.Xk3_9aQw-LmNoPqRsTuVwx.js"));
        assert!(is_hashed("/split_cart_abc.Xk3_9aQw-LmNoPqRsTuVwx.wasm"));
        assert!(!is_hashed("/kabinet.wasm"));
        assert!(!is_hashed("/snippets/leptos-abc/inline0.js"));
        // 22 characters but the stem: a plain name, not a hash.
        assert!(!is_hashed("/Xk3_9aQw-LmNoPqRsTuVwx.js"));
        assert!(!is_hashed("/kabinet.Xk3_9aQw+LmNoPqRsTuVwx.js"));
        assert!(!is_hashed("/kabinet.Xk3_9aQw-LmNoPqRsTuVw.js"));
    }
}
