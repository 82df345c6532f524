//! What every island shares in the browser: the "hydrated" mark on `<body>`, and a form sent to
//! its server function without the generic client.

/// Called first thing in every island's body. Once the last island of the page has hydrated,
/// `<body data-hydrated="true">` tells browser tests (and anyone else) that input will be handled;
/// input typed before that would go to plain HTML.
pub fn hydrated() {
    #[cfg(feature = "hydrate")]
    browser::island_started();
}

/// Sends a form to the server function in its `action` as that function's own client would (the
/// fields URL-encoded, the answer as JSON) and gives back the answer's body, or the function's
/// error. For the islands of the first-load wasm (the catalog's add to cart): `ServerAction` and
/// `ActionForm` link the generic client, form decoding and URL error recovery, a third of the
/// first load; the lazy islands use them freely.
#[cfg(feature = "hydrate")]
pub async fn post_form(form: &web_sys::HtmlFormElement) -> Result<String, crate::error::AppError> {
    browser::post_form(form).await
}

/// Called once by `hydrate()`: a page without islands is ready at once.
#[cfg(feature = "hydrate")]
pub fn expect_islands() {
    browser::check_all_started();
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::{Closure, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use crate::error::AppError;

    thread_local! {
        static STARTED: Cell<u32> = const { Cell::new(0) };
        static MARKED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn island_started() {
        STARTED.with(|s| s.set(s.get() + 1));
        check_all_started();
    }

    pub async fn post_form(form: &web_sys::HtmlFormElement) -> Result<String, AppError> {
        let failed = |e: JsValue| AppError::Transport(e.as_string().unwrap_or_else(|| "fetch failed".into()));
        let fields = web_sys::FormData::new_with_form(form).map_err(failed)?;
        let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&fields).map_err(failed)?;
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers.set("Accept", "application/json").map_err(failed)?;
        headers.set("Content-Type", "application/x-www-form-urlencoded").map_err(failed)?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&body.to_string().into());
        let answer = JsFuture::from(window().fetch_with_str_and_init(&form.action(), &init)).await.map_err(failed)?;
        let answer: web_sys::Response = answer.dyn_into().map_err(failed)?;
        let text =
            JsFuture::from(answer.text().map_err(failed)?).await.map_err(failed)?.as_string().unwrap_or_default();
        if answer.ok() {
            return Ok(text);
        }
        // The function's error, as its JSON encoding sends it; anything else (a proxy's page) is a
        // transport failure.
        Err(serde_json::from_str(&text).unwrap_or_else(|_| AppError::Transport(format!("HTTP {}", answer.status()))))
    }

    pub fn check_all_started() {
        let islands = document().query_selector_all("leptos-island").map(|l| l.length()).unwrap_or(0);
        if STARTED.with(Cell::get) < islands || MARKED.with(Cell::get) {
            return;
        }
        MARKED.with(|m| m.set(true));
        // The island's body runs before its view is attached to the page's HTML (event handlers
        // included); the mark waits for the task that attaches it to finish.
        let mark = Closure::once_into_js(|| {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        });
        let _ = window().set_timeout_with_callback(mark.unchecked_ref());
    }
}
