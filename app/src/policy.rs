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
    /// Guests, and signed-in people with one of these roles (a guest may fill a cart and check out).
    GuestsAnd(&'static [Role]),
}

impl Access {
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Self::Public | Self::Guest, _) => true,
            (Self::SignedIn, r) => r.is_some(),
            (Self::Roles(allowed), Some(r)) => allowed.contains(&r),
            (Self::Roles(_), None) => false,
            (Self::GuestsAnd(_), None) => true,
            (Self::GuestsAnd(allowed), Some(r)) => allowed.contains(&r),
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
/// Who buys through the cabinet for themselves or their company.
pub const BUYERS: &[Role] = &[Role::RetailBuyer, Role::WholesaleBuyer, Role::DealerManager, Role::DealerEmployee];
/// Who orders in bulk (quick order by article).
pub const BULK_BUYERS: &[Role] = &[Role::WholesaleBuyer, Role::DealerManager, Role::DealerEmployee];
const RETAIL: &[Role] = &[Role::RetailBuyer];
/// Who works the orders queue (each within their reach: `Scope::Managed`).
pub const ORDER_STAFF: &[Role] = &[Role::SalesManager, Role::Head, Role::Admin];
/// Who checks that invoices are paid and records payments from the bank statement: there is no
/// accountant role yet, so regional heads (within their region) and administrators.
pub const ACCOUNTING: &[Role] = &[Role::Head, Role::Admin];
/// Who gives clients their responsible sales manager (heads within their region).
pub const ASSIGNING: &[Role] = &[Role::Head, Role::Admin];
/// Who may change prices and stock by hand.
pub const PRICING_STAFF: &[Role] = &[Role::SalesManager, Role::Head, Role::Admin];

const fn p(path: &'static str, kind: Kind, access: Access, scope: Scope) -> Policy {
    Policy { path, kind, access, scope }
}

use Access::{Guest, GuestsAnd, Public, Roles, SignedIn};
use Kind::{Page, Route, ServerFn};
use Scope::{All, Managed, Own, OwnOrganisation};

pub const POLICIES: &[Policy] = &[
    // Pages
    p("/login", Page, Guest, Scope::Public),
    p("/register", Page, Guest, Scope::Public),
    p("/password/:token", Page, Public, Scope::Public),
    p("/home", Page, SignedIn, Own),
    p("/profile", Page, SignedIn, Own),
    p("/admin/users", Page, Roles(ADMIN), All),
    p("/catalog", Page, Public, Scope::Public),
    p("/catalog/:id", Page, Public, Scope::Public),
    p("/cart", Page, GuestsAnd(BUYERS), Own),
    p("/orders", Page, Roles(BUYERS), OwnOrganisation),
    p("/orders/:id", Page, Roles(BUYERS), OwnOrganisation),
    p("/quick-order", Page, Roles(BULK_BUYERS), Own),
    p("/staff/orders", Page, Roles(ORDER_STAFF), Managed),
    p("/staff/orders/:id", Page, Roles(ORDER_STAFF), Managed),
    p("/notifications", Page, SignedIn, Own),
    p("/admin/notifications", Page, Roles(ADMIN), All),
    p("/admin/notifications/:notice", Page, Roles(ADMIN), All),
    p("/admin/outbox", Page, Roles(ADMIN), All),
    p("/admin/channels", Page, Roles(ADMIN), All),
    p("/staff/payments", Page, Roles(ACCOUNTING), Managed),
    p("/staff/tasks", Page, Roles(ORDER_STAFF), Managed),
    // Server functions
    p("/api/current_user", ServerFn, Public, Own),
    p("/api/sign_in", ServerFn, Public, Scope::Public),
    p("/api/sign_out", ServerFn, SignedIn, Own),
    p("/api/sign_out_everywhere", ServerFn, SignedIn, Own),
    p("/api/send_phone_code", ServerFn, Public, Scope::Public),
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
    p("/api/search_catalog", ServerFn, Public, Scope::Public),
    p("/api/get_product", ServerFn, Public, Scope::Public),
    p("/api/get_cart", ServerFn, GuestsAnd(BUYERS), Own),
    p("/api/cart_add", ServerFn, GuestsAnd(BUYERS), Own),
    p("/api/cart_set", ServerFn, GuestsAnd(BUYERS), Own),
    p("/api/checkout", ServerFn, GuestsAnd(BUYERS), Own),
    p("/api/quick_order", ServerFn, Roles(BULK_BUYERS), Own),
    p("/api/quick_order_file", ServerFn, Roles(BULK_BUYERS), Own),
    p("/api/list_orders", ServerFn, Roles(BUYERS), OwnOrganisation),
    p("/api/get_order", ServerFn, Roles(BUYERS), OwnOrganisation),
    p("/api/move_order", ServerFn, Roles(BUYERS), OwnOrganisation),
    p("/api/repeat_order", ServerFn, Roles(BUYERS), OwnOrganisation),
    p("/api/staff_orders", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/staff_order", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/staff_move_order", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/record_picks", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/comment_order", ServerFn, Roles(BUYERS), OwnOrganisation),
    p("/api/staff_comment_order", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/record_shipment", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/record_bank_payment", ServerFn, Roles(ACCOUNTING), Managed),
    p("/api/payment_checks", ServerFn, Roles(ACCOUNTING), Managed),
    p("/api/set_payment_schedule", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/assign_manager", ServerFn, Roles(ASSIGNING), Managed),
    p("/api/payment_tasks", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/close_payment_task", ServerFn, Roles(ORDER_STAFF), Managed),
    p("/api/sales_channels", ServerFn, Roles(ADMIN), All),
    p("/api/set_channel_prepay", ServerFn, Roles(ADMIN), All),
    p("/api/pay_order", ServerFn, Roles(BUYERS), OwnOrganisation),
    p("/api/get_loyalty", ServerFn, Roles(RETAIL), Own),
    p("/api/set_price_stock", ServerFn, Roles(PRICING_STAFF), All),
    p("/api/list_notifications", ServerFn, SignedIn, Own),
    p("/api/mark_notifications_read", ServerFn, SignedIn, Own),
    p("/api/notification_preferences", ServerFn, SignedIn, Own),
    p("/api/set_notification_preference", ServerFn, SignedIn, Own),
    p("/api/notice_settings", ServerFn, Roles(ADMIN), All),
    p("/api/switch_notice_channel", ServerFn, Roles(ADMIN), All),
    p("/api/notice_template", ServerFn, Roles(ADMIN), All),
    p("/api/save_notice_template", ServerFn, Roles(ADMIN), All),
    p("/api/reset_notice_template", ServerFn, Roles(ADMIN), All),
    p("/api/outbox_messages", ServerFn, Roles(ADMIN), All),
    p("/api/retry_message", ServerFn, Roles(ADMIN), All),
    // Plain HTTP routes (forms that work without JavaScript, machines, static files)
    p("/", Route, Public, Own),
    p("/healthz", Route, Public, Scope::Public),
    p("/auth/login", Route, Public, Scope::Public),
    p("/auth/logout", Route, Public, Own),
    p("/auth/phone-code", Route, Public, Scope::Public),
    p("/auth/register", Route, Public, Scope::Public),
    p("/locale", Route, Public, Own),
    p("/export/catalog.xlsx", Route, Public, Scope::Public),
    p("/staff/orders.xlsx", Route, Roles(ORDER_STAFF), Managed),
    p("/orders/:id/invoice.pdf", Route, Roles(BUYERS), OwnOrganisation),
    p("/staff/orders/:id/invoice.pdf", Route, Roles(ORDER_STAFF), Managed),
    p("/sandbox-pay/:id", Route, Public, Scope::Public),
    p("/events/products", Route, Public, Scope::Public),
    p("/events/notifications", Route, SignedIn, Own),
    p("/events/orders/:id", Route, Roles(BUYERS), OwnOrganisation),
    p("/webhooks/payments/:provider", Route, Public, Scope::Public),
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

/// Whether a person with this role (`None`: a guest) may use the page, function or route at
/// `path`: what the interface offers is decided by the same rows that enforce access.
pub fn allows(path: &str, role: Option<Role>) -> bool {
    policy_for(path).is_some_and(|p| p.access.allows(role))
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
