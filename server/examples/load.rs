//! A load generator for the release build (numbers for the README and the issue notes).
//!
//!   cargo run --release -p server --example load -- search http://127.0.0.1:3000 50 20
//!       catalog search + facets through the server function the browser calls, 50 connections,
//!       20 seconds, a rotating mix of 16 queries and filters (answers come from the cache):
//!       requests/s and latency percentiles.
//!   … -- distinct http://127.0.0.1:3000 50 20
//!       a question never asked before on every request (words, prefixes, categories, brands,
//!       price ranges, an attribute, sorts, pages): nothing cached. 1 connection: each alone.
//!   … -- catalog-page | distinct-page http://127.0.0.1:3000 50 20: the two mixes as pages.
//!   … -- product | product-page http://127.0.0.1:3000 50 20 100000
//!       products with ids spread over 1..=100000: the server function, or the server-rendered page.
//!   cargo run --release -p server --example load -- orders http://127.0.0.1:3000 50 400
//!       400 orders of 10 lines each by 50 concurrent buyers (registered first, carts filled
//!       first): orders/s of checkout, and whether anything was oversold (checked by the caller
//!       in the database afterwards). Each buyer comes from an address of its own (X-Forwarded-For:
//!       run the server with KABINET_TRUST_PROXY=1) and confirms its phone by the sandbox's code.
//!   cargo run --release -p server --example load -- moves http://127.0.0.1:3000 50
//!       50 staff members at once (each a session of its own) take every new order of the queue
//!       (place them first with `orders`) through In work → Awaiting confirmation → Confirmed:
//!       status changes/s and their latency; each change also records its notification event.
//!   cargo run --release -p server --example load -- burst http://127.0.0.1:3000 32 60
//!       what an unfriendly minute looks like, for the memory figures: pages, searches, product
//!       pages, sign-ins (right and wrong passwords, Argon2 each), registrations, 10 MB bodies
//!       and built files, 32 at a time for 60 seconds; answers counted by kind and status.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "q=котел",
    "q=котлы газовые",
    "q=радиатор&stock=1",
    "q=насос&sort=price_asc",
    "cat=boilers",
    "cat=pipes&stock=1",
    "q=кран шаровой",
    "cat=radiators&brand=Rifar",
    "q=труба 20",
    "",
    "q=водонагреватель 80&stock=1",
    "cat=valves&sort=price_desc&page=3",
    "q=вентилятор канальный",
    "q=baxi",
    "cat=fittings&min=30&max=200",
    "q=теплообм",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(label: &str, mut latencies: Vec<Duration>, elapsed: Duration, errors: usize) {
    latencies.sort();
    let n = latencies.len();
    println!(
        "{label}: {n} ok, {errors} errors in {:.1} s = {:.0}/s; latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

/// A client as a browser on this site: it sends the site's `Origin` (state-changing requests
/// from elsewhere are refused) and, when given, its own address through `X-Forwarded-For`.
fn browser(base: &str, address: Option<String>, cookies: bool) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, base.parse().expect("base URL as an origin"));
    if let Some(address) = address {
        headers.insert("x-forwarded-for", address.parse().expect("address"));
    }
    reqwest::Client::builder().default_headers(headers).cookie_store(cookies).build().expect("client")
}

/// Words and prefixes buyers type, categories, brands and a boiler's power, for distinct queries.
const WORDS: &[&str] = &[
    "котел",
    "котлы газовые",
    "радиатор",
    "радиаторы стальные",
    "насос",
    "насос циркуляционный",
    "кран шаровой",
    "труба",
    "водонагреватель",
    "вентилятор канальный",
    "фитинг",
    "муфта",
    "отвод",
    "воздуховод",
    "теплообм",
    "baxi",
    "rifar",
    "grundfos",
    "valtec",
    "кот",
    "рад",
    "нас",
    "тру",
    "вент",
    "элект",
    "настенн",
    "20",
    "32",
];
const CATEGORIES: &[&str] = &[
    "boilers",
    "radiators",
    "pumps",
    "water-heaters",
    "pipes",
    "fittings",
    "valves",
    "fans",
    "ducts",
    "heating",
    "water",
];
const BRANDS: &[&str] = &["Baxi", "Navien", "Rifar", "Grundfos", "Valtec", "Bosch", "Protherm", "Vaillant"];

/// The `i`-th of a sequence of distinct questions with a mix of facets: words alone, categories
/// with stock, brands, price ranges, an attribute, sorts and later pages. A price bound that moves
/// by a rouble with each question keeps any two of them from being the same (no cached answers).
fn distinct_query(i: usize) -> String {
    let word = WORDS[(i / 7 + i) % WORDS.len()];
    let category = CATEGORIES[(i / 3) % CATEGORIES.len()];
    let brand = BRANDS[(i / 5) % BRANDS.len()];
    let min = i % 1500;
    let q: String = word
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    match i % 6 {
        0 => format!("q={q}&min={min}"),
        1 => format!("cat={category}&stock=1&min={min}"),
        2 => format!("cat={category}&brand={brand}&min={min}&max={}", 5_000 + (i * 53) % 200_000),
        3 => format!("q={q}&sort=price_asc&page={}&min={min}", 1 + i % 4),
        4 => format!(
            "cat=boilers&a.%D0%9C%D0%BE%D1%89%D0%BD%D0%BE%D1%81%D1%82%D1%8C%2C+%D0%BA%D0%92%D1%82={}&min={min}",
            ["12", "18", "24", "28", "35"][i % 5]
        ),
        _ => format!("q={q}&stock=1&sort=price_desc&min={min}"),
    }
}

/// What each mode asks for its `i`-th request.
#[derive(Clone, Copy)]
enum Ask {
    /// The server function the browser calls, a rotating set of 16 questions (answers kept).
    Search,
    /// The same server function, a question never asked before each time.
    Distinct,
    /// The server-rendered catalog page for the rotating set, or for distinct questions.
    CatalogPage,
    DistinctPage,
    /// A product: the server function, or the server-rendered page; ids spread over 1..=`max`.
    Product(usize),
    ProductPage(usize),
}

impl Ask {
    fn request(self, http: &reqwest::Client, base: &str, i: usize) -> reqwest::RequestBuilder {
        let spread = |max: usize| 1 + (i * 7919) % max.max(1);
        match self {
            Ask::Search => {
                http.post(format!("{base}/api/search_catalog")).form(&[("query", QUERIES[i % QUERIES.len()])])
            }
            Ask::Distinct => http.post(format!("{base}/api/search_catalog")).form(&[("query", distinct_query(i))]),
            Ask::CatalogPage => http.get(format!("{base}/catalog?{}", QUERIES[i % QUERIES.len()])),
            Ask::DistinctPage => http.get(format!("{base}/catalog?{}", distinct_query(i))),
            Ask::Product(max) => http.post(format!("{base}/api/get_product")).form(&[("id", spread(max).to_string())]),
            Ask::ProductPage(max) => http.get(format!("{base}/catalog/{}", spread(max))),
        }
    }
}

/// `connections` clients asking as fast as answers come for `seconds`: requests/s and latencies
/// (an answer counts when it is a 2xx and its body arrived).
async fn measure(label: &str, ask: Ask, base: String, connections: usize, seconds: u64) {
    let http = browser(&base, None, false);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let counter = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (http, base, counter) = (http.clone(), base.clone(), counter.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                while Instant::now() < deadline {
                    let i = counter.fetch_add(1, Ordering::Relaxed);
                    let t = Instant::now();
                    let ok = match ask.request(&http, &base, i).send().await {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    if ok {
                        latencies.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("task");
        all.extend(l);
        errors += e;
    }
    report(label, all, started.elapsed(), errors);
}

async fn call(
    http: &reqwest::Client,
    base: &str,
    name: &str,
    form: &[(&str, String)],
) -> Result<serde_json::Value, String> {
    let r = http.post(format!("{base}/api/{name}")).form(form).send().await.map_err(|e| e.to_string())?;
    let status = r.status();
    let text = r.text().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        Err(format!("{name}: {status} {text}"))
    }
}

async fn orders(base: String, connections: usize, total: usize) {
    // Products with plenty of stock: the first pages of a few categories.
    let probe = browser(&base, None, false);
    let mut products: Vec<i64> = Vec::new();
    for q in ["cat=pipes&stock=1", "cat=fittings&stock=1", "cat=valves&stock=1", "cat=ducts&stock=1"] {
        let page = call(&probe, &base, "search_catalog", &[("query", q.to_string())]).await.expect("search");
        products.extend(page["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_i64()));
    }
    assert!(products.len() >= 10, "not enough products in stock");
    let per_buyer = total.div_ceil(connections);
    println!("preparing {connections} buyers, {per_buyer} orders each, 10 lines per order…");
    let placed = Arc::new(AtomicUsize::new(0));
    let out_of_stock = Arc::new(AtomicUsize::new(0));
    let mut buyers = Vec::new();
    for b in 0..connections {
        let run = std::process::id() as usize % 1000;
        let http = browser(&base, Some(format!("10.{}.{}.{}", 100 + run % 100, b / 250, b % 250 + 1)), true);
        let phone = format!("+7917{:07}", 2_000_000 + b + run * 100);
        register(&http, &base, phone).await;
        buyers.push(http);
    }
    let checkout_time = Arc::new(std::sync::Mutex::new(Vec::new()));
    let started = Instant::now();
    let tasks: Vec<_> = buyers
        .into_iter()
        .enumerate()
        .map(|(b, http)| {
            let (base, products, placed, out_of_stock, checkout_time) =
                (base.clone(), products.clone(), placed.clone(), out_of_stock.clone(), checkout_time.clone());
            tokio::spawn(async move {
                for o in 0..per_buyer {
                    let mut cart = serde_json::Value::Null;
                    for l in 0..10 {
                        let id = products[(b * 7 + o * 3 + l) % products.len()];
                        cart =
                            call(&http, &base, "cart_add", &[("product_id", id.to_string()), ("quantity", "1".into())])
                                .await
                                .expect("cart_add");
                    }
                    let total = cart["total"].as_i64().expect("total");
                    let t = Instant::now();
                    let outcome = call(
                        &http,
                        &base,
                        "checkout",
                        &[
                            ("form[fulfilment]", "delivery".into()),
                            ("form[delivery_address]", "Москва, ул. Нагрузочная, 1".into()),
                            ("form[payment]", "online".into()),
                            ("form[comment]", String::new()),
                            ("form[expected_total]", total.to_string()),
                            ("form[guest_name]", String::new()),
                            ("form[guest_phone]", String::new()),
                        ],
                    )
                    .await
                    .expect("checkout");
                    checkout_time.lock().expect("lock").push(t.elapsed());
                    if outcome.get("Placed").is_some() {
                        placed.fetch_add(1, Ordering::Relaxed);
                    } else {
                        out_of_stock.fetch_add(1, Ordering::Relaxed);
                        // Empty the cart of what could not be ordered.
                        for id in &products {
                            let _ = call(
                                &http,
                                &base,
                                "cart_set",
                                &[("product_id", id.to_string()), ("quantity", "0".into())],
                            )
                            .await;
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let elapsed = started.elapsed();
    let latencies = checkout_time.lock().expect("lock").clone();
    let n = placed.load(Ordering::Relaxed);
    println!(
        "orders: {n} placed, {} refused for stock, in {:.1} s including filling carts (11 requests per order) = {:.0} orders/s",
        out_of_stock.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
    let busy: f64 = latencies.iter().map(|d| d.as_secs_f64()).sum::<f64>() / connections as f64;
    report("checkout alone", latencies, Duration::from_secs_f64(busy), 0);
}

/// Registers a buyer with the code the sandbox SMS gateway shows.
async fn register(http: &reqwest::Client, base: &str, phone: String) {
    let sent = call(http, base, "send_phone_code", &[("phone", phone.clone())]).await.expect("send_phone_code");
    let code = sent["sandbox_code"].as_str().expect("the server runs the sandbox SMS gateway (demo)").to_string();
    let form = [
        ("name", "Нагрузочный Тест".into()),
        ("phone", phone),
        ("code", code),
        ("password", "load-test-password".into()),
    ];
    call(http, base, "register", &form).await.expect("register");
}

/// Staff moving orders: every new order three steps along the site's workflow.
async fn moves(base: String, staff: usize) {
    let mut people = Vec::new();
    for s in 0..staff {
        let http = browser(&base, Some(format!("10.250.{}.{}", s / 250, s % 250 + 1)), true);
        let form = [("identifier", "admin@demo.test".to_string()), ("password", "demo-password".to_string())];
        call(&http, &base, "sign_in", &form).await.expect("the demo administrator signs in");
        people.push(http);
    }
    let mut orders: Vec<i64> = Vec::new();
    for page in 1.. {
        let form = [
            ("filter[status]", "new".to_string()),
            ("filter[sort]", "oldest".to_string()),
            ("filter[page]", page.to_string()),
            ("filter[who]", String::new()),
        ];
        let queue = call(&people[0], &base, "staff_orders", &form).await.expect("staff_orders");
        let rows: Vec<i64> = queue["rows"].as_array().expect("rows").iter().filter_map(|r| r["id"].as_i64()).collect();
        if rows.is_empty() {
            break;
        }
        orders.extend(rows);
    }
    println!("{staff} staff sessions, {} new orders, 3 moves each…", orders.len());
    let orders = Arc::new(orders);
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = people
        .into_iter()
        .enumerate()
        .map(|(s, http)| {
            let (base, orders, errors) = (base.clone(), orders.clone(), errors.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                for id in orders.iter().skip(s).step_by(staff) {
                    for to in ["in_work", "awaiting_confirmation", "confirmed"] {
                        let form = [("id", id.to_string()), ("to", to.to_string()), ("note", String::new())];
                        let t = Instant::now();
                        match call(&http, &base, "staff_move_order", &form).await {
                            Ok(_) => latencies.push(t.elapsed()),
                            Err(e) => {
                                if errors.fetch_add(1, Ordering::Relaxed) < 3 {
                                    eprintln!("{e}");
                                }
                            }
                        }
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("staff task"));
    }
    report("status changes", all, started.elapsed(), errors.load(Ordering::Relaxed));
}

/// One unfriendly minute: every kind of request at once, each answer counted by kind and status.
async fn burst(base: String, connections: usize, seconds: u64) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let counts = Arc::new(std::sync::Mutex::new(std::collections::BTreeMap::<(String, u16), usize>::new()));
    let big = Arc::new(vec![b'a'; 10 << 20]);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|t| {
            let (base, counts, big) = (base.clone(), counts.clone(), big.clone());
            tokio::spawn(async move {
                let http = browser(&base, Some(format!("10.200.{}.{}", t / 250, t % 250 + 1)), true);
                let mut i = 0usize;
                while Instant::now() < deadline {
                    i += 1;
                    let (kind, request) = match (t + i) % 10 {
                        0 => (
                            "sign-in",
                            http.post(format!("{base}/api/sign_in")).form(&[
                                ("identifier", "retail@demo.test"),
                                ("password", if i.is_multiple_of(3) { "wrong-password" } else { "demo-password" }),
                            ]),
                        ),
                        1 => ("10 MB body", http.post(format!("{base}/api/search_catalog")).body(big.as_ref().clone())),
                        2 => ("product page", http.get(format!("{base}/catalog/{}", 1 + (t * 31 + i * 7) % 300))),
                        3 => (
                            "register",
                            http.post(format!("{base}/api/send_phone_code"))
                                .form(&[("phone", format!("+7918{:07}", t * 10_000 + i))]),
                        ),
                        4 | 5 => (
                            "search",
                            http.post(format!("{base}/api/search_catalog"))
                                .form(&[("query", QUERIES[i % QUERIES.len()])]),
                        ),
                        6 => (
                            "cart",
                            http.post(format!("{base}/api/cart_add"))
                                .form(&[("product_id", (1 + i % 300).to_string()), ("quantity", "1".into())]),
                        ),
                        7 => ("home page", http.get(format!("{base}/"))),
                        _ => ("catalog page", http.get(format!("{base}/catalog?{}", QUERIES[i % QUERIES.len()]))),
                    };
                    let status = match request.send().await {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let _ = r.bytes().await;
                            status
                        }
                        Err(_) => 0,
                    };
                    *counts.lock().expect("lock").entry((kind.to_string(), status)).or_default() += 1;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let counts = counts.lock().expect("lock").clone();
    let total: usize = counts.values().sum();
    println!("burst: {total} requests in {:.1} s", started.elapsed().as_secs_f64());
    for ((kind, status), n) in counts {
        println!("  {kind:>13} {status}: {n}");
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args.get(2).cloned().unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let connections: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(50);
    let number = |n: usize, default: u64| args.get(n).and_then(|s| s.parse().ok()).unwrap_or(default);
    let seconds = number(4, 20);
    let max_id = number(5, 100_000) as usize;
    let measured = |label: &'static str, ask: Ask| measure(label, ask, base.clone(), connections, seconds);
    match args.get(1).map(String::as_str) {
        Some("search") => measured("search + facets, 16 questions (server function)", Ask::Search).await,
        Some("distinct") => measured("search + facets, distinct questions (server function)", Ask::Distinct).await,
        Some("catalog-page") => measured("catalog page, 16 questions (server-rendered)", Ask::CatalogPage).await,
        Some("distinct-page") => {
            measured("catalog page, distinct questions (server-rendered)", Ask::DistinctPage).await
        }
        Some("product") => measured("product (server function)", Ask::Product(max_id)).await,
        Some("product-page") => measured("product page (server-rendered)", Ask::ProductPage(max_id)).await,
        Some("orders") => orders(base, connections, number(4, 400) as usize).await,
        Some("moves") => moves(base, connections).await,
        Some("burst") => burst(base, connections, number(4, 60)).await,
        _ => eprintln!(
            "usage: load search|distinct|catalog-page|distinct-page|product|product-page <base url> <connections> \
             <seconds> [largest product id]\n       load orders <base url> <connections> <orders>\n       \
             load moves|burst <base url> <connections> [seconds]"
        ),
    }
}
