//! Durability: a backup of the embedded database taken while the server works, restored into a
//! new data directory and over an existing one (which is kept), and refused when it is not one.

use server::db::Db;

use crate::helpers::{Backend, DEMO_PASSWORD, add, spawn_app, stocked_at_pickup};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores() {
    let app = spawn_app(Backend::Sqlite).await;
    let (product, _) = stocked_at_pickup(&app).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    add(&buyer, product, "3").await.unwrap();
    let dir = std::env::temp_dir().join(format!("kabinet-backup-{}", crate::helpers::random_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("kabinet-backup.db");
    // Buyers keep working while the copy is taken.
    let busy = {
        let buyer = app.client_from("10.0.0.12");
        tokio::spawn(async move {
            buyer.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
            for _ in 0..5 {
                add(&buyer, product, "1").await.unwrap();
            }
        })
    };
    let bytes = app.db.backup(&file).await.unwrap();
    busy.await.unwrap();
    assert!(bytes > 100_000, "{bytes}");
    assert!(
        app.db.backup(&file).await.unwrap_err().contains("already exists"),
        "an existing file is never overwritten"
    );

    // Into a new data directory: the copy is a working Kabinet database with the cart in it.
    let fresh = dir.join("fresh");
    assert_eq!(server::db::restore(&file, &fresh).await.unwrap(), None);
    let restored = Db::open(None, &fresh).await.unwrap();
    let Db::Sqlite(pool) = &restored else { unreachable!() };
    let quantity: i64 = sqlx::query_scalar(
        "SELECT i.quantity FROM cart_items i JOIN carts c ON c.id = i.cart_id JOIN users u ON u.id = c.user_id \
         WHERE u.email = 'retail@demo.test' AND i.product_id = $1",
    )
    .bind(product)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(quantity, 3000);
    restored.close().await;

    // Over an existing database: it is kept beside, whole.
    let kept = server::db::restore(&file, &fresh).await.unwrap().expect("the replaced database is kept");
    assert!(kept.file_name().unwrap().to_string_lossy().starts_with("kabinet.db.before-restore-"));
    assert!(std::fs::metadata(&kept).unwrap().len() > 100_000);

    // Not a database, or not Kabinet's: refused, nothing replaced.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(server::db::restore(&junk, &fresh).await.is_err());
    let empty = dir.join("empty.db");
    let other = sqlx::sqlite::SqlitePoolOptions::new()
        .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&empty).create_if_missing(true))
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)").execute(&other).await.unwrap();
    other.close().await;
    assert!(server::db::restore(&empty, &fresh).await.unwrap_err().contains("not a Kabinet database"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The release or debug server binary as a child process on its own SQLite data directory.
struct Served {
    child: std::process::Child,
    base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the server on `port` (the same each time, so browsers keep their cookies and origin).
async fn serve(data: &std::path::Path, port: u16) -> Served {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(root)
        .env("KABINET_ADDR", format!("127.0.0.1:{port}"))
        .env("KABINET_DATA_DIR", data)
        .env("KABINET_DEMO", "1")
        .env("KABINET_TRUST_PROXY", "1")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the server starts");
    let base = format!("http://127.0.0.1:{port}");
    let probe = reqwest::Client::new();
    for _ in 0..300 {
        if probe.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            return Served { child, base };
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not come up");
}

/// A browser of one buyer, at its own address.
fn browser(base: &str, ip: String) -> crate::helpers::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, base.parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    crate::helpers::Client { http, base: base.to_string(), ip }
}

/// Places an order without panicking when the server dies under it: the order id if the server
/// acknowledged it.
async fn try_checkout(c: &crate::helpers::Client, point: i64, expected: i64) -> Option<i64> {
    let form = [
        ("form[fulfilment]", "pickup".to_string()),
        ("form[pickup_location_id]", point.to_string()),
        ("form[delivery_address]", String::new()),
        ("form[payment]", "on_pickup".into()),
        ("form[comment]", String::new()),
        ("form[expected_total]", expected.to_string()),
        ("form[guest_name]", String::new()),
        ("form[guest_phone]", String::new()),
    ];
    let r = c
        .http
        .post(format!("{}/api/checkout", c.base))
        .header("x-forwarded-for", &c.ip)
        .form(&form)
        .send()
        .await
        .ok()?;
    let outcome: app::model::CheckoutOutcome = r.json().await.ok()?;
    match outcome {
        app::model::CheckoutOutcome::Placed { order_id, .. } => Some(order_id),
        _ => None,
    }
}

/// `kill -9` in the middle of 50 concurrent checkouts, ten times: no acknowledged order is lost,
/// no reservation is left without its order, and every unit of stock is either on the shelf or
/// reserved by an order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_mid_checkout_loses_nothing() {
    let data = std::env::temp_dir().join(format!("kabinet-kill-{}", crate::helpers::random_suffix()));
    let port = free_port();
    let mut served = serve(&data, port).await;
    // Fifty buyers, each registered from an address of their own.
    let mut buyers = Vec::new();
    for i in 0..50 {
        let c = browser(&served.base, format!("10.50.{}.{}", i / 200, i % 200 + 1));
        let phone = format!("+7 913 000 {:02} {:02}", i / 100, i % 100);
        let _: String = c.register("Покупатель", &phone, "тёплый-пол-2026").await.unwrap();
        buyers.push(c);
    }
    let db = || async { Db::open(None, &data).await.unwrap() };
    let (product, point, initial) = {
        let db = db().await;
        let Db::Sqlite(pool) = &db else { unreachable!() };
        let (product, point): (i64, i64) = sqlx::query_as(
            "SELECT s.product_id, s.location_id FROM stock s JOIN stock_locations l ON l.id = s.location_id \
             JOIN products p ON p.id = s.product_id WHERE l.kind = 'pickup' AND p.unit = 'pcs' \
             ORDER BY s.quantity DESC LIMIT 1",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        let initial: i64 = sqlx::query_scalar("SELECT SUM(quantity) FROM stock WHERE product_id = $1")
            .bind(product)
            .fetch_one(pool)
            .await
            .unwrap();
        db.close().await;
        (product, point, initial)
    };
    let mut acknowledged: Vec<i64> = Vec::new();
    for round in 0..10u64 {
        let mut totals = Vec::new();
        for c in &buyers {
            totals.push(add(c, product, "1").await.map(|cart| cart.total).unwrap_or(0));
        }
        let tasks: Vec<_> = buyers
            .iter()
            .zip(totals)
            .map(|(c, total)| {
                let c = crate::helpers::Client { http: c.http.clone(), base: c.base.clone(), ip: c.ip.clone() };
                tokio::spawn(async move { try_checkout(&c, point, total).await })
            })
            .collect();
        // Somewhere in the middle of them.
        tokio::time::sleep(std::time::Duration::from_millis(150 + round * 60)).await;
        served.child.kill().expect("kill -9");
        served.child.wait().unwrap();
        for t in tasks {
            if let Ok(Some(id)) = t.await {
                acknowledged.push(id);
            }
        }
        // The database as the next start finds it.
        let db = db().await;
        let Db::Sqlite(pool) = &db else { unreachable!() };
        for id in &acknowledged {
            let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_lines WHERE order_id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
                .unwrap();
            assert_eq!(lines, 1, "acknowledged order {id} is there, whole (round {round})");
        }
        let orphans: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM stock_reservations r LEFT JOIN orders o ON o.id = r.order_id WHERE o.id IS NULL",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(orphans, 0, "no reservation without its order (round {round})");
        let shelf: i64 = sqlx::query_scalar("SELECT SUM(quantity) FROM stock WHERE product_id = $1")
            .bind(product)
            .fetch_one(pool)
            .await
            .unwrap();
        let reserved: i64 =
            sqlx::query_scalar("SELECT COALESCE(SUM(quantity), 0) FROM stock_reservations WHERE product_id = $1")
                .bind(product)
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(shelf + reserved, initial, "no unit lost or made up (round {round})");
        let total: i64 = sqlx::query_scalar("SELECT stock_total FROM products WHERE id = $1")
            .bind(product)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(total, shelf, "the product's total is its shelves (round {round})");
        db.close().await;
        served = serve(&data, port).await;
    }
    assert!(!acknowledged.is_empty(), "some checkouts were acknowledged before the kills");
    eprintln!("kill -9 ×10 during 50 concurrent checkouts: {} acknowledged orders, all kept", acknowledged.len());
    served.child.kill().unwrap();
    let _ = served.child.wait();
    let _ = std::fs::remove_dir_all(&data);
}
