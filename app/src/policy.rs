//! The access policy: every page, server function and HTTP route, who may use it and how far it
//! reaches. The server's middleware refuses anything not allowed here before a handler runs, and
//! server functions narrow their queries by the scope. Tests walk every registered server function
//! and page and fail when one is missing from this table.

use domain::{Role, Scope};

/// Who may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Anyone; a signed-in person is sent to their cabinet instead (sign-in and registration pages).
    Guest,
    /// Any signed-in person.
    SignedIn,
    /// Signed-in people with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Self::Public | Self::Guest, _) => true,
            (Self::SignedIn, r) => r.is_some(),
            (Self::Roles(allowed), Some(r)) => allowed.contains(&r),
            (Self::Roles(_), None) => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    ServerFn,
    Route,
}

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Exact path; `:name` matches one segment, a trailing `*` the rest.
    pub path: &'static str,
    pub kind: Kind,
    pub access: Access,
    pub scope: Scope,
}

const ADMIN: &[Role] = &[Role::Admin];

const fn p(path: &'static str, kind: Kind, access: Access, scope: Scope) -> Policy {
    Policy { path, kind, access, scope }
}

use Access::{Guest, Public, Roles, SignedIn};
use Kind::{Page, Route, ServerFn};
use Scope::{All, Own};

pub const POLICIES: &[Policy] = &[
    // Pages
    p("/login", Page, Guest, Scope::Public),
    p("/register", Page, Guest, Scope::Public),
    p("/password/:token", Page, Public, Scope::Public),
    p("/home", Page, SignedIn, Own),
    p("/profile", Page, SignedIn, Own),
    p("/admin/users", Page, Roles(ADMIN), All),
    // Server functions
    p("/api/current_user", ServerFn, Public, Own),
    p("/api/sign_in", ServerFn, Public, Scope::Public),
    p("/api/sign_out", ServerFn, SignedIn, Own),
    p("/api/sign_out_everywhere", ServerFn, SignedIn, Own),
    p("/api/register", ServerFn, Public, Scope::Public),
    p("/api/set_locale", ServerFn, Public, Own),
    p("/api/set_password_with_token", ServerFn, Public, Scope::Public),
    p("/api/update_profile", ServerFn, SignedIn, Own),
    p("/api/change_password", ServerFn, SignedIn, Own),
    p("/api/list_sessions", ServerFn, SignedIn, Own),
    p("/api/revoke_session", ServerFn, SignedIn, Own),
    p("/api/admin_list_users", ServerFn, Roles(ADMIN), All),
    p("/api/admin_list_organisations", ServerFn, Roles(ADMIN), All),
    p("/api/admin_create_user", ServerFn, Roles(ADMIN), All),
    p("/api/admin_reset_password", ServerFn, Roles(ADMIN), All),
    // Plain HTTP routes (forms that work without JavaScript, machines, static files)
    p("/", Route, Public, Own),
    p("/healthz", Route, Public, Scope::Public),
    p("/auth/login", Route, Public, Scope::Public),
    p("/auth/logout", Route, Public, Own),
    p("/auth/register", Route, Public, Scope::Public),
    p("/locale", Route, Public, Own),
    p("/sw.js", Route, Public, Scope::Public),
    p("/manifest.webmanifest", Route, Public, Scope::Public),
    p("/pkg/*", Route, Public, Scope::Public),
    p("/icons/*", Route, Public, Scope::Public),
];

fn matches(pattern: &str, path: &str) -> bool {
    if let Some(prefix) = pattern.strip_suffix('*') {
        return path.starts_with(prefix);
    }
    let mut pat = pattern.split('/');
    let mut actual = path.split('/');
    loop {
        match (pat.next(), actual.next()) {
            (None, None) => return true,
            (Some(p), Some(a)) if p.starts_with(':') && !a.is_empty() => {}
            (Some(p), Some(a)) if p == a => {}
            _ => return false,
        }
    }
}

/// The policy for a request path, if there is one. A path with none is refused.
pub fn policy_for(path: &str) -> Option<&'static Policy> {
    POLICIES.iter().find(|p| matches(p.path, path))
}

/// The policy of a server function by its endpoint name (`/api/<name>`).
pub fn server_fn_policy(path: &str) -> Option<&'static Policy> {
    policy_for(path).filter(|p| p.kind == Kind::ServerFn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches("/password/:token", "/password/abc"));
        assert!(!matches("/password/:token", "/password/"));
        assert!(!matches("/password/:token", "/password/a/b"));
        assert!(matches("/pkg/*", "/pkg/kabinet.wasm"));
        assert!(!matches("/home", "/home/x"));
        assert_eq!(policy_for("/admin/users").map(|p| p.access), Some(Roles(ADMIN)));
        assert!(policy_for("/api/unknown").is_none());
    }

    #[test]
    fn access() {
        assert!(Public.allows(None));
        assert!(!SignedIn.allows(None));
        assert!(SignedIn.allows(Some(Role::Cashier)));
        assert!(!Roles(ADMIN).allows(Some(Role::Head)));
        assert!(Roles(ADMIN).allows(Some(Role::Admin)));
    }

    #[test]
    fn every_path_is_listed_once() {
        let mut paths: Vec<_> = POLICIES.iter().map(|p| p.path).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(before, paths.len());
    }
}
