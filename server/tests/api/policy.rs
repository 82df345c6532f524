//! Every registered server function and page has an entry in the policy table, and every
//! server-function entry names a function that exists.

use app::policy::{Kind, POLICIES, policy_for};

#[test]
fn every_server_function_has_a_policy_and_every_policy_a_function() {
    let registered: Vec<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _method)| path.to_string()).collect();
    assert!(registered.len() >= 10, "server functions are registered: {registered:?}");
    for path in &registered {
        let policy = policy_for(path).unwrap_or_else(|| panic!("server function {path} has no policy"));
        assert_eq!(policy.kind, Kind::ServerFn, "{path}");
    }
    for p in POLICIES.iter().filter(|p| p.kind == Kind::ServerFn) {
        assert!(registered.iter().any(|r| r == p.path), "policy {} names no server function", p.path);
    }
}

#[tokio::test]
async fn every_page_has_a_policy() {
    let pages: Vec<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().replace('{', ":").replace('}', ""))
        .collect();
    assert!(pages.len() >= 6, "{pages:?}");
    for page in &pages {
        let policy = POLICIES.iter().find(|p| p.path == page).unwrap_or_else(|| panic!("page {page} has no policy"));
        assert_eq!(policy.kind, Kind::Page, "{page}");
    }
    for p in POLICIES.iter().filter(|p| p.kind == Kind::Page) {
        assert!(pages.iter().any(|page| page == p.path), "policy {} names no page", p.path);
    }
}
