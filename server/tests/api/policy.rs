//! Every registered server function, page and plain route has exactly one row in the policy
//! table, and every row names something that exists.

use app::policy::{Access, Kind, POLICIES, policy_for};
use domain::Role;

use crate::helpers::{Backend, DEMO_PASSWORD, spawn_app};

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

/// The demo account of a role (README), to reach rows that admit only some roles.
fn demo_login(role: Role) -> &'static str {
    match role {
        Role::RetailBuyer => "retail@demo.test",
        Role::WholesaleBuyer => "wholesale@demo.test",
        Role::DealerManager => "dealer@demo.test",
        Role::DealerServiceEngineer => "dealer.service@demo.test",
        Role::DealerEmployee => "dealer.staff@demo.test",
        Role::Supplier => "supplier@demo.test",
        Role::SalesManager => "manager@demo.test",
        Role::Head => "head@demo.test",
        Role::Cashier => "cashier@demo.test",
        Role::ServiceEngineer => "service@demo.test",
        Role::Admin => "admin@demo.test",
    }
}

/// Every plain route in the policy table is served by a handler: asked by someone the row admits,
/// it never falls through to the application's "page not found".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_row_names_a_real_route() {
    let app = spawn_app(Backend::Sqlite).await;
    for row in POLICIES.iter().filter(|p| p.kind == Kind::Route && !p.path.ends_with('*')) {
        let path = row.path.replace(":provider", "sandbox").replace(":id", "1");
        let client = app.client();
        let role = match row.access {
            Access::Roles(roles) => Some(roles[0]),
            Access::SignedIn => Some(Role::Admin),
            Access::Public | Access::Guest | Access::GuestsAnd(_) => None,
        };
        if let Some(role) = role {
            client.sign_in(demo_login(role), DEMO_PASSWORD).await.expect("demo sign-in");
        }
        let response = client.get(&path).await;
        let status = response.status().as_u16();
        // Only a "not found" is read to the end (a live event stream never ends).
        let body = if status == 404 { response.text().await.unwrap_or_default() } else { String::new() };
        let fell_through = status == 404 && body.contains("<html");
        assert!(!fell_through && status != 403, "policy row {} ({path}): {status} {body:.200}", row.path);
    }
}
