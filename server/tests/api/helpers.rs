//! A fresh Kabinet per test: its own database (a new SQLite file or a new PostgreSQL database),
//! its own random port, demo data seeded, and an HTTP client that keeps cookies like a browser.

use std::net::SocketAddr;

use app::error::AppError;
use app::model::{Cart, CartSummary, CatalogPage, CheckoutOutcome};
use leptos::prelude::get_configuration;
use serde::de::DeserializeOwned;
use server::config::Config;
use server::db::Db;
use sqlx::Connection;

pub const DEMO_PASSWORD: &str = "demo-password";

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// PostgreSQL when configured: in CI always (and failing loudly if it is not reachable), on a
    /// developer machine when `KABINET_TEST_POSTGRES_URL` is set.
    pub fn postgres() -> Option<Self> {
        match std::env::var("KABINET_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Self::Postgres(url)),
            _ if std::env::var("CI").is_ok() => {
                Some(Self::Postgres("postgres://postgres@127.0.0.1:5432/postgres".into()))
            }
            _ => {
                eprintln!("PostgreSQL not configured (KABINET_TEST_POSTGRES_URL): this backend is not exercised here");
                None
            }
        }
    }
}

static PG_CLEANUP: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

pub fn random_suffix() -> String {
    app::services::crypto::random_token()[..12].to_string()
}

pub async fn fresh_postgres(admin_url: &str) -> String {
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required here and unreachable: {e}"));
    PG_CLEANUP
        .get_or_init(|| async {
            // Databases left by earlier runs of this suite.
            let mut c = sqlx::PgConnection::connect(admin_url).await.expect("PostgreSQL reachable");
            let stale: Vec<String> =
                sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'kabinet_test_%'")
                    .fetch_all(&mut c)
                    .await
                    .expect("list databases");
            for name in stale {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                    .execute(&mut c)
                    .await;
            }
        })
        .await;
    let name = format!("kabinet_test_{}", random_suffix());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
}

pub struct TestApp {
    pub base: String,
    /// The server secret (tests sign sandbox webhooks with the key derived from it).
    pub secret: String,
    pub db: Db,
    pub backend: &'static str,
    /// The site root the server serves `/pkg/` from.
    pub site: std::path::PathBuf,
    /// The notification worker (a test may stop it, as a server shutting down does).
    pub workers: Option<server::Workers>,
    /// What the app was built with (a test may start a second server on the same database).
    pub config: Config,
    _dir: TempDir,
}

/// A directory removed when the test ends.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// The app with its configuration changed by `adjust` first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = TempDir(std::env::temp_dir().join(format!("kabinet-test-{}", random_suffix())));
    let database_url = match &backend {
        Backend::Sqlite => None,
        Backend::Postgres(admin) => Some(fresh_postgres(admin).await),
    };
    let secret = format!("test-secret-{}-{}", random_suffix(), random_suffix());
    let mut config = Config {
        database_url,
        data_dir: dir.0.clone(),
        secret: Some(secret.clone()),
        secure_cookies: false,
        public_url: Some("http://kabinet.test".into()),
        demo: true,
        trusted_proxies: vec![server::config::IpRange::parse("127.0.0.1").unwrap()],
        sandbox_payments: true,
        sandbox_sms: true,
        session_days: 30,
        unpaid_hold_minutes: 30,
        housekeeping_every: std::time::Duration::from_millis(500),
        smtp: None,
        delivery_every: std::time::Duration::from_millis(100),
    };
    adjust(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
    let addr = listener.local_addr().expect("local address");
    let mut options = get_configuration(Some("../Cargo.toml")).expect("leptos configuration").leptos_options;
    options.site_addr = addr;
    // No release site here: the plain file names (`hash-files` would look for hash.txt), and a
    // site directory of the test's own, where a test can put built files.
    options.hash_files = false;
    let site = dir.0.join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site directory");
    options.site_root = site.to_string_lossy().into_owned().into();
    let server::Built { router, db, workers } = server::build(&config, options).await.expect("build the app");
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
    });
    let backend = db.backend();
    TestApp { base: format!("http://{addr}"), secret, db, backend, site, workers: Some(workers), config, _dir: dir }
}

/// One browser: its own cookies and its own network address (through X-Forwarded-For).
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub ip: String,
}

impl TestApp {
    pub fn client(&self) -> Client {
        self.client_from("10.0.0.1")
    }

    pub fn client_from(&self, ip: &str) -> Client {
        // A browser on one of our pages: every POST carries the page's origin.
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, self.base.parse().expect("origin"));
        self.client_with(ip, headers)
    }

    /// A client that sends exactly these headers by default (cross-site tests).
    pub fn client_with(&self, ip: &str, headers: reqwest::header::HeaderMap) -> Client {
        let http = reqwest::Client::builder()
            .default_headers(headers)
            // A request that hangs fails its test (naming the address) instead of the whole run.
            .timeout(std::time::Duration::from_secs(60))
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Client { http, base: self.base.clone(), ip: ip.into() }
    }

    /// The newest message queued for delivery to `recipient`.
    pub async fn last_message_to(&self, recipient: &str) -> String {
        let sql = "SELECT body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1";
        let body: Option<String> = match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).bind(recipient).fetch_optional(p).await.expect("outbox"),
            Db::Postgres(p) => sqlx::query_scalar(sql).bind(recipient).fetch_optional(p).await.expect("outbox"),
        };
        body.unwrap_or_else(|| panic!("no message to {recipient}"))
    }

    /// One number from the database, for a query with one bound integer.
    pub async fn number(&self, sql: &'static str, arg: i64) -> i64 {
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).bind(arg).fetch_one(p).await.expect(sql),
            Db::Postgres(p) => sqlx::query_scalar(sql).bind(arg).fetch_one(p).await.expect(sql),
        }
    }

    /// One text from the database, for a query with one bound integer.
    pub async fn text(&self, sql: &'static str, arg: i64) -> String {
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).bind(arg).fetch_one(p).await.expect(sql),
            Db::Postgres(p) => sqlx::query_scalar(sql).bind(arg).fetch_one(p).await.expect(sql),
        }
    }

    /// Runs a statement with two bound integers.
    pub async fn exec(&self, sql: &'static str, a: i64, b: i64) {
        match &self.db {
            Db::Sqlite(p) => sqlx::query(sql).bind(a).bind(b).execute(p).await.map(|_| ()).expect(sql),
            Db::Postgres(p) => sqlx::query(sql).bind(a).bind(b).execute(p).await.map(|_| ()).expect(sql),
        }
    }

    /// Runs a statement with a bound date and a bound integer.
    pub async fn exec_date(&self, sql: &'static str, date: chrono::NaiveDate, id: i64) {
        match &self.db {
            Db::Sqlite(p) => sqlx::query(sql).bind(date).bind(id).execute(p).await.map(|_| ()).expect(sql),
            Db::Postgres(p) => sqlx::query(sql).bind(date).bind(id).execute(p).await.map(|_| ()).expect(sql),
        }
    }

    /// Runs a statement with a bound time and a bound integer.
    pub async fn exec_at(&self, sql: &'static str, at: chrono::DateTime<chrono::Utc>, id: i64) {
        match &self.db {
            Db::Sqlite(p) => sqlx::query(sql).bind(at).bind(id).execute(p).await.map(|_| ()).expect(sql),
            Db::Postgres(p) => sqlx::query(sql).bind(at).bind(id).execute(p).await.map(|_| ()).expect(sql),
        }
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
            Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
        }
    }
}

impl Client {
    /// Calls a server function the way the hydrated app does; `Err` carries the status and error.
    pub async fn call<T: DeserializeOwned>(&self, name: &str, form: &[(&str, &str)]) -> Result<T, (u16, AppError)> {
        let response = self
            .http
            .post(format!("{}/api/{name}", self.base))
            .header("x-forwarded-for", &self.ip)
            .form(form)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        if (200..300).contains(&status) {
            Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: bad body {text:?}: {e}")))
        } else {
            let error = serde_json::from_str(&text).unwrap_or(AppError::Transport(text));
            Err((status, error))
        }
    }

    /// Calls a server function that takes a file (`multipart/form-data`, field `file`).
    pub async fn upload<T: DeserializeOwned>(
        &self,
        name: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<T, (u16, AppError)> {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
        let response = self
            .http
            .post(format!("{}/api/{name}", self.base))
            .header("x-forwarded-for", &self.ip)
            .multipart(form)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        if (200..300).contains(&status) {
            Ok(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: bad body {text:?}: {e}")))
        } else {
            Err((status, serde_json::from_str(&text).unwrap_or(AppError::Transport(text))))
        }
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> Result<String, (u16, AppError)> {
        self.call("sign_in", &[("identifier", login), ("password", password)]).await
    }

    /// Asks for a confirmation code by SMS for `phone`; the sandbox gateway answers with it.
    pub async fn phone_code(&self, phone: &str) -> Result<String, (u16, AppError)> {
        let sent: app::model::CodeSent = self.call("send_phone_code", &[("phone", phone)]).await?;
        Ok(sent.sandbox_code.expect("the sandbox SMS gateway shows the code"))
    }

    /// Registers a retail buyer as a person does: a code by SMS, then the form with it.
    pub async fn register(&self, name: &str, phone: &str, password: &str) -> Result<String, (u16, AppError)> {
        let code = self.phone_code(phone).await?;
        self.call("register", &[("name", name), ("phone", phone), ("code", &code), ("password", password)]).await
    }

    pub async fn me(&self) -> Option<app::model::CurrentUser> {
        self.call("current_user", &[]).await.expect("current_user answers")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).header("x-forwarded-for", &self.ip).send().await.expect("GET")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("x-forwarded-for", &self.ip)
            .form(form)
            .send()
            .await
            .expect("POST")
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

pub async fn search(client: &Client, query: &str) -> CatalogPage {
    client.call("search_catalog", &[("query", query)]).await.expect("search answers")
}

/// Adds to the cart and answers with the whole cart, as the cart page reads it next; `cart_add`'s
/// own answer (the cart's size and total) is checked against it.
pub async fn add(client: &Client, id: i64, qty: &str) -> Result<Cart, (u16, AppError)> {
    let summary: CartSummary = client.call("cart_add", &[("product_id", &id.to_string()), ("quantity", qty)]).await?;
    let cart: Cart = client.call("get_cart", &[]).await.expect("the cart after adding to it");
    assert_eq!(summary, CartSummary::of(&cart), "cart_add answers the cart's size and total");
    Ok(cart)
}

/// Checkout with the form's fields (`fulfilment`, `payment`, …), sent as the server function's
/// one `form` argument.
pub async fn checkout(client: &Client, form: &[(&str, &str)]) -> Result<CheckoutOutcome, (u16, AppError)> {
    let fields: Vec<(String, &str)> = form.iter().map(|(k, v)| (format!("form[{k}]"), *v)).collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    client.call("checkout", &fields).await
}

/// Checkout for delivery to a fixed test address, paid by `payment`, confirming `expected_total`.
pub async fn checkout_delivery(
    client: &Client,
    payment: &str,
    expected_total: i64,
) -> Result<CheckoutOutcome, (u16, AppError)> {
    let total = expected_total.to_string();
    let form = [
        ("fulfilment", "delivery"),
        ("delivery_address", "Москва, ул. Монтажная, 7, склад 2"),
        ("payment", payment),
        ("comment", ""),
        ("expected_total", total.as_str()),
        ("guest_name", ""),
        ("guest_phone", ""),
    ];
    checkout(client, &form).await
}

/// A product that is in stock at a pickup point, with that point's location id.
pub async fn stocked_at_pickup(app: &TestApp) -> (i64, i64) {
    let sql = "SELECT s.product_id * 100000 + s.location_id FROM stock s JOIN stock_locations l ON l.id = s.location_id \
               JOIN products p ON p.id = s.product_id WHERE l.kind = 'pickup' AND s.quantity >= $1 AND p.unit = 'pcs' \
               ORDER BY s.product_id LIMIT 1";
    let n = app.number(sql, 3000).await;
    (n / 100000, n % 100000)
}

/// A real SMTP server (nodemailer's smtp-server under Node, `end2end/smtp-sink.mjs`) on a free
/// port, collecting what it accepts with the subject and body decoded.
pub struct SmtpSink {
    pub port: u16,
    received: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
    _child: tokio::process::Child,
}

impl SmtpSink {
    /// `args`: `--fail N` (the first N messages get 451), `--delay-ms M` (a slow server).
    pub async fn start(args: &[&str]) -> Self {
        use tokio::io::AsyncBufReadExt;
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/smtp-sink.mjs");
        let mut child = tokio::process::Command::new("node")
            .arg(&script)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs the SMTP server (npm install puts smtp-server in node_modules)");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
            .await
            .expect("the SMTP server starts")
            .expect("its output")
            .expect("a first line");
        let port = first.strip_prefix("listening ").and_then(|p| p.parse().ok()).expect("listening <port>");
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = received.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let message = serde_json::from_str(&line).expect("one JSON message per line");
                sink.lock().expect("lock").push(message);
            }
        });
        Self { port, received, _child: child }
    }

    /// The mail server settings of an app that sends here.
    pub fn config(&self) -> server::config::SmtpConfig {
        server::config::SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: server::config::SmtpTls::None,
            user: None,
            password: None,
            from: "Кабинет <kabinet@kabinet.test>".into(),
            ca_pem: None,
        }
    }

    pub fn received(&self) -> Vec<serde_json::Value> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits (up to 20 s) until a message to `to` whose subject contains `subject` arrives.
    pub async fn wait_for(&self, to: &str, subject: &str) -> serde_json::Value {
        for _ in 0..200 {
            let found = self.received().into_iter().find(|m| {
                m["to"].as_array().is_some_and(|t| t.iter().any(|a| a == to))
                    && m["subject"].as_str().is_some_and(|s| s.contains(subject))
            });
            if let Some(m) = found {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no message to {to} about {subject:?}; received: {:?}", self.received())
    }
}

/// Waits (up to 20 s) until `sql` (one bound integer) answers `expected`.
pub async fn eventually(app: &TestApp, sql: &'static str, arg: i64, expected: i64) {
    let mut last = 0;
    for _ in 0..200 {
        last = app.number(sql, arg).await;
        if last == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{sql} ({arg}) stayed {last}, not {expected}");
}

impl TestApp {
    /// Another server on the same database (a restart, or a second app server).
    pub async fn another_server(&self) -> server::Workers {
        let mut options = get_configuration(Some("../Cargo.toml")).expect("leptos configuration").leptos_options;
        options.hash_files = false;
        options.site_root = self.site.to_string_lossy().into_owned().into();
        server::build(&self.config, options).await.expect("build the app").workers
    }
}
