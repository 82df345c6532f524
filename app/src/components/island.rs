//! What every island shares in the browser: the "hydrated" mark on `<body>` and the store of
//! prices and stock that changed while the page was open.

/// Called first thing in every island's body. Once the last island of the page has hydrated,
/// `<body data-hydrated="true">` tells browser tests (and anyone else) that input will be handled;
/// input typed before that would go to plain HTML.
pub fn hydrated() {
    #[cfg(feature = "hydrate")]
    browser::island_started();
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
    use wasm_bindgen::prelude::Closure;

    thread_local! {
        static STARTED: Cell<u32> = const { Cell::new(0) };
        static MARKED: Cell<bool> = const { Cell::new(false) };
    }

    pub fn island_started() {
        STARTED.with(|s| s.set(s.get() + 1));
        check_all_started();
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
