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
    assert!(app.db.backup(&file).await.unwrap_err().contains("already exists"), "an existing file is never overwritten");

    // Into a new data directory: the copy is a working Kabinet database with the cart in it.
    let fresh = dir.join("fresh");
    assert_eq!(server::db::restore(&file, &fresh).await.unwrap(), None);
    let restored = Db::open(None, &fresh).await.unwrap();
    let Db::Sqlite(pool) = &restored else { unreachable!() };
    let quantity: i64 = sqlx::query_scalar(
        "SELECT i.quantity FROM cart_items i JOIN carts c ON c.id = i.cart_id JOIN users u ON u.id = c.user_id \
         WHERE u.email = 'retail@demo.test' AND i.product_id = $1")
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
