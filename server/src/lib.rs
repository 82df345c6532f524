//! The Kabinet server: wires configuration, the database, the access middleware, plain routes and
//! the Leptos application into one axum router.
#![recursion_limit = "512"]

pub mod config;
pub mod db;
pub mod http;
pub mod integrations;
mod invoice_pdf;
pub mod memory;
pub mod middleware;
mod xlsx;

use std::sync::Arc;

use app::services::ServerState;
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list_with_exclusions_and_ssg_and_context};

use crate::config::Config;
use crate::db::{Db, SqlStore};
use crate::http::pwa::AppShell;
use crate::http::{assets, catalog, identity, invoicing, live, notifications, ordering, payments, pwa};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub server: ServerState,
    pub shell: Arc<AppShell>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<Vec<config::IpRange>>,
    /// The sandbox payment provider, whose pay page reports through signed webhooks; only when
    /// configured (`KABINET_SANDBOX_PAYMENTS`, on with the demo data).
    pub sandbox: Option<Arc<integrations::sandbox_payments::Sandbox>>,
    /// Catalog and product pages as guests see them, kept for a few seconds.
    pub guest_pages: Arc<http::catalog::GuestPages>,
    /// Changes of prices and stock, for the live pages.
    pub live: tokio::sync::broadcast::Sender<Vec<db::ProductChange>>,
    /// The newest notification's id, for the live bells.
    pub bell: tokio::sync::broadcast::Sender<i64>,
    /// The ids of orders just changed, for the live order pages.
    pub orders: tokio::sync::broadcast::Sender<std::sync::Arc<Vec<i64>>>,
    /// The built files under `/pkg/`, precompressed (`http::assets`).
    pub assets: Arc<tower_http::services::ServeDir>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Opens the database (migrating it, seeding demo data when asked) and builds the router.
pub async fn build(config: &Config, leptos_options: LeptosOptions) -> Result<Built, String> {
    let db = Db::open(config.database_url.as_deref(), &config.data_dir).await.map_err(|e| format!("database: {e}"))?;
    if config.demo && db::demo::seed(&db).await.map_err(|e| format!("demo data: {e}"))? {
        tracing::info!("demo organisations and users created");
    }
    if config.demo {
        let created = db::catalog_seed::seed_catalog(&db, db::demo::DEMO_PRODUCTS)
            .await
            .map_err(|e| format!("demo catalog: {e}"))?;
        if created > 0 {
            tracing::info!(created, "demo catalog created");
        }
    }
    let secret = config.load_secret().map_err(|e| format!("secret: {e}"))?;
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{}", leptos_options.site_addr));
    let store = Arc::new(SqlStore::new(db.clone()));
    // The catalog's search index is built while the server starts taking requests (a search that
    // comes first waits for it).
    store.warm_catalog();
    let (refund_reports, mut sandbox_reports) = tokio::sync::mpsc::unbounded_channel::<(String, String)>();
    let sandbox = config
        .sandbox_payments
        .then(|| Arc::new(integrations::sandbox_payments::Sandbox::reporting(&secret, refund_reports)));
    if sandbox.is_some() {
        tracing::warn!(
            "the sandbox payment provider is on: orders are marked paid without money (demo and tests only)"
        );
    }
    let sms = config.sandbox_sms.then(|| {
        tracing::warn!("the sandbox SMS gateway is on: nothing is sent, pages show the codes (demo and tests only)");
        Arc::new(integrations::sandbox_sms::SandboxSms) as Arc<dyn app::ports::SmsGateway>
    });
    let mailer = match &config.smtp {
        Some(smtp) => Some(Arc::new(integrations::smtp::Smtp::new(smtp)?) as Arc<dyn app::ports::Mailer>),
        None => {
            tracing::warn!("no SMTP server is configured (KABINET_SMTP_HOST): e-mails wait in the outbox");
            None
        }
    };
    let server = ServerState {
        store: store.clone(),
        payments: sandbox.clone().map(|s| s as Arc<dyn app::services::payments::PaymentProvider>),
        sms,
        mailer,
        secret: Arc::new(secret),
        secure_cookies: config.secure_cookies,
        public_url,
        session_days: config.session_days,
        unpaid_hold: chrono::Duration::minutes(config.unpaid_hold_minutes),
    };
    housekeeping(server.clone(), config.housekeeping_every);
    // The sandbox's refund reports reach the webhook handler a moment after it took the refund,
    // signed, as a real provider's call would.
    let reporting = server.clone();
    tokio::spawn(async move {
        while let Some((body, signature)) = sandbox_reports.recv().await {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let result =
                app::services::payments::handle_webhook(&reporting, "sandbox", Some(&signature), body.as_bytes()).await;
            tracing::info!(?result, "sandbox refund reported");
        }
    });
    let workers = Workers::start(server.clone(), config.delivery_every);
    let shell_files = AppShell::scan(std::path::Path::new(&*leptos_options.site_root), &leptos_options.site_pkg_dir);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        server: server.clone(),
        shell: Arc::new(shell_files),
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        sandbox,
        guest_pages: Default::default(),
        live: live::watch(store.clone(), std::time::Duration::from_secs(1)),
        orders: ordering::watch(store.clone(), std::time::Duration::from_secs(1)),
        bell: notifications::watch(store, std::time::Duration::from_secs(1)),
        assets: Arc::new(assets::service(&leptos_options.site_root, &leptos_options.site_pkg_dir)),
    };
    Ok(Built { router: router(state), db, workers })
}

/// The application ready to serve, and its background workers.
pub struct Built {
    pub router: Router,
    pub db: Db,
    pub workers: Workers,
}

/// The notification worker: dispatches events into notifications and messages, and delivers the
/// outbox. Stopped with [`Workers::stop`], it finishes the message it is sending and records it,
/// so a restart neither loses nor repeats one.
pub struct Workers {
    stop: tokio::sync::watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl Workers {
    fn start(server: ServerState, every: std::time::Duration) -> Self {
        use app::services::notifications::{DISPATCH_BATCH, deliver, dispatch};
        let (stop, rx) = tokio::sync::watch::channel(false);
        // Two loops, so a long delivery never holds back the dispatch of new events, nor the other way.
        let dispatcher = every_tick(every, rx.clone(), {
            let (server, rx) = (server.clone(), rx.clone());
            move || {
                let (server, rx) = (server.clone(), rx.clone());
                async move {
                    // A full batch means more are waiting: go on until the backlog is gone.
                    loop {
                        match dispatch(&server, chrono::Utc::now()).await {
                            Ok(n) if n >= DISPATCH_BATCH && !*rx.borrow() => {}
                            Ok(_) => break,
                            Err(e) => {
                                tracing::error!(error = %e, "dispatching notifications failed");
                                break;
                            }
                        }
                    }
                }
            }
        });
        let deliverer = every_tick(every, rx.clone(), move || {
            let (server, watched) = (server.clone(), rx.clone());
            async move {
                let stopping = move || *watched.borrow();
                if let Err(e) = deliver(&server, &stopping).await {
                    tracing::error!(error = %e, "delivering messages failed");
                }
            }
        });
        let handle = tokio::spawn(async move {
            let _ = tokio::join!(dispatcher, deliverer);
        });
        Self { stop, handle }
    }

    /// Asks the worker to stop and waits until the messages in hand are sent and recorded.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

/// Runs `work` on every tick until `stop` turns true.
fn every_tick<F, W>(
    every: std::time::Duration,
    stop: tokio::sync::watch::Receiver<bool>,
    work: W,
) -> tokio::task::JoinHandle<()>
where
    W: Fn() -> F + Send + 'static,
    F: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut changes = stop.clone();
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = changes.changed() => {}
            }
            if *stop.borrow() {
                break;
            }
            work().await;
        }
    })
}

/// Work nobody asks for: orders paid online that stayed unpaid past their hold are cancelled and
/// their stock released (every server may run it: each order moves once, by its status); refunds
/// not yet asked of the provider are asked; unpaid invoices due today or overdue are reminded of
/// (each reminder once, by its row).
fn housekeeping(server: ServerState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::services::ordering::release_unpaid(&server, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(orders = n, "unpaid orders cancelled, their stock released"),
                Err(e) => tracing::error!(error = %e, "releasing unpaid orders failed"),
            }
            match app::services::payments::request_refunds(&server).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(refunds = n, "refunds asked of the payment provider"),
                Err(e) => tracing::error!(error = %e, "asking for refunds failed"),
            }
            match app::services::invoicing::remind_payments(&server, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reminders = n, "reminders of unpaid invoices sent"),
                Err(e) => tracing::error!(error = %e, "reminding of unpaid invoices failed"),
            }
        }
    });
}

fn router(state: AppState) -> Router {
    let context = {
        let server = state.server.clone();
        move || {
            provide_context(server.clone());
            app::services::context::provide_script_nonce();
        }
    };
    // Listing the routes renders `App`, whose current-user resource calls a server function that
    // needs the server's state: without it that call panics (intermittently, depending on when
    // the resource is first polled).
    let (routes, _) = generate_route_list_with_exclusions_and_ssg_and_context(App, None, context.clone());
    let options = state.leptos_options.clone();
    Router::new()
        .route("/", get(identity::root))
        .route("/healthz", get(identity::healthz))
        .route("/auth/login", post(identity::login))
        .route("/auth/logout", post(identity::logout))
        .route("/auth/phone-code", post(identity::phone_code))
        .route("/auth/register", post(identity::register))
        .route("/locale", post(identity::locale))
        .route("/webhooks/payments/{provider}", post(payments::payment_webhook))
        .route("/sandbox-pay/{id}", get(payments::sandbox_page).post(payments::sandbox_act))
        .route("/export/catalog.xlsx", get(catalog::export_catalog))
        .route("/staff/orders.xlsx", get(ordering::export_queue))
        .route("/orders/{id}/invoice.pdf", get(invoicing::invoice_pdf))
        .route("/staff/orders/{id}/invoice.pdf", get(invoicing::invoice_pdf))
        .route("/events/products", get(live::product_events))
        .route("/events/notifications", get(notifications::bell_events))
        .route("/events/orders/{id}", get(ordering::order_events))
        .route("/sw.js", get(pwa::service_worker))
        .route("/manifest.webmanifest", get(pwa::manifest))
        .route("/pkg/{*file}", get(assets::built_file))
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::from_fn(middleware::guard_body))
        // A panic in a handler becomes a 500 answer instead of a dropped connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(middleware::time_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), catalog::guest_pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::request_context))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
