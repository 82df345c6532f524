//! Catalog area: search with Russian word forms, facets, per-viewer prices, staff price changes, the Excel export and live updates, on both databases.

use app::model::{CatalogPage, ProductPage, url::encode};

use crate::helpers::{Backend, DEMO_PASSWORD, search, spawn_app, stocked_at_pickup};

crate::on_both_backends!(
    search_understands_word_forms_and_prices_per_viewer,
    facets_count_what_a_choice_would_give,
    excel_export_is_a_workbook,
    open_pages_hear_price_and_stock_changes,
    search_follows_every_change_to_the_catalog,
    guests_get_kept_pages_that_follow_the_catalog,
);

async fn search_understands_word_forms_and_prices_per_viewer(backend: Backend) {
    let app = spawn_app(backend).await;
    let guest = app.client();
    let boilers = search(&guest, "q=котлы").await;
    assert!(boilers.total >= 20, "{}", boilers.total);
    // Boilers, and parts for boilers ("Запчасти для котлов"): every word form of «котёл».
    assert!(boilers.items.iter().all(|p| p.category.to_lowercase().contains("котл")), "{:?}", boilers.items);
    // Another word form and a partial word find the same products.
    assert_eq!(search(&guest, "q=котлов").await.total, boilers.total);
    let partial = search(&guest, "q=радиат").await;
    assert!(partial.total > 0 && partial.items.iter().all(|p| p.name.starts_with("Радиатор")));
    assert_eq!(search(&guest, "q=несуществующийтовар").await.total, 0);
    // Hostile input is only text.
    assert_eq!(search(&guest, "q=%22%29%20OR%201%3D1%20--").await.total, 0);

    // The guest sees retail prices less the online-order promotion (2 %); the wholesale client
    // its own (lower) list less its personal 3 % plus the promotion.
    let first = &boilers.items[0];
    assert_eq!(first.price, (first.list_price as f64 * 0.98).round() as i64);
    let wholesale = app.client_from("10.0.0.2");
    wholesale.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    let theirs = search(&wholesale, "q=котлы").await;
    let same = theirs.items.iter().find(|p| p.id == first.id).expect("same product");
    assert_eq!(same.list_price, first.list_price * 85 / 100);
    assert_eq!(same.price, (same.list_price as f64 * 0.95).round() as i64);
    // The product page agrees with the list.
    let page: ProductPage = wholesale.call("get_product", &[("id", &first.id.to_string())]).await.unwrap();
    assert_eq!(page.card.price, same.price);
    assert!(!page.stock.is_empty());
    assert!(!page.attributes.is_empty());
    let missing = guest.call::<ProductPage>("get_product", &[("id", "999999")]).await.unwrap_err();
    assert_eq!(missing.0, 404);
}

async fn facets_count_what_a_choice_would_give(backend: Backend) {
    let app = spawn_app(backend).await;
    let guest = app.client();
    let all = search(&guest, "cat=boilers").await;
    let brand = all.facets.brands.first().expect("brands").clone();
    let by_brand = search(&guest, &format!("cat=boilers&brand={}", brand.value)).await;
    assert_eq!(by_brand.total, brand.count);
    assert!(by_brand.items.iter().all(|p| p.brand == brand.value));
    // The brand facet still lists the other brands while one is chosen.
    assert_eq!(by_brand.facets.brands.len(), all.facets.brands.len());
    let stocked = search(&guest, "cat=boilers&stock=1").await;
    assert_eq!(stocked.total, all.facets.in_stock);
    assert!(stocked.items.iter().all(|p| p.stock > 0));
    let power = all.facets.attributes.iter().find(|a| a.name == "Мощность, кВт").expect("power facet");
    let value = &power.values[0];
    let by_power = search(&guest, &format!("cat=boilers&{}={}", encode("a.Мощность, кВт"), encode(&value.value))).await;
    assert_eq!(by_power.total, value.count);
    let (min, max) = (all.facets.price_min.unwrap(), all.facets.price_max.unwrap());
    let cheap = search(&guest, &format!("cat=boilers&max={}", (min + max) / 200)).await;
    assert!(cheap.total > 0 && cheap.total < all.total);
    assert!(cheap.items.iter().all(|p| p.list_price <= (min + max) / 2));
    let sorted = search(&guest, "cat=boilers&sort=price_asc").await;
    assert!(sorted.items.windows(2).all(|w| w[0].list_price <= w[1].list_price));
    assert_eq!(
        search(&guest, "cat=heating").await.total,
        search(&guest, "cat=boilers").await.total + search(&guest, "cat=radiators").await.total
    );
    assert_eq!(guest.call::<CatalogPage>("search_catalog", &[("query", "cat=nope")]).await.unwrap_err().0, 404);
}

async fn excel_export_is_a_workbook(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.client().get("/export/catalog.xlsx?cat=valves&stock=1").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx file is a zip archive");
    assert!(bytes.len() > 3000);
    assert_eq!(app.client().get("/export/catalog.xlsx?cat=nope").await.status(), 404);
    // Exports are costly: ten per address in ten minutes, then a wait.
    let busy = app.client_from("10.7.7.7");
    for _ in 0..10 {
        assert_eq!(busy.get("/export/catalog.xlsx?cat=pipes").await.status(), 200);
    }
    assert_eq!(busy.get("/export/catalog.xlsx?cat=pipes").await.status(), 429);
    assert_eq!(app.client_from("10.7.7.8").get("/export/catalog.xlsx?cat=pipes").await.status(), 200);
}

async fn open_pages_hear_price_and_stock_changes(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, _) = stocked_at_pickup(&app).await;
    let wholesale = app.client();
    wholesale.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    let mut events = wholesale.get(&format!("/events/products?ids={product},999999")).await;
    assert_eq!(events.status(), 200);
    assert_eq!(events.headers().get("content-type").unwrap(), "text/event-stream");
    // Staff (or a 1C import) change the price; someone buys.
    let db = &app.db;
    let set_price = |price: i64| async move {
        let sql = "UPDATE products SET price_wholesale = $1, updated_at = $2 WHERE id = $3";
        let now = chrono::Utc::now();
        match db {
            server::db::Db::Sqlite(p) => {
                sqlx::query(sql).bind(price).bind(now).bind(product).execute(p).await.map(|_| ())
            }
            server::db::Db::Postgres(p) => {
                sqlx::query(sql).bind(price).bind(now).bind(product).execute(p).await.map(|_| ())
            }
        }
        .unwrap()
    };
    set_price(1_000_000).await;
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains("\n\n") && std::time::Instant::now() < deadline {
        match tokio::time::timeout(std::time::Duration::from_secs(5), events.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    assert!(seen.contains("event: product"), "{seen:?}");
    let data = seen.lines().find_map(|l| l.strip_prefix("data: ")).expect("data line");
    let update: app::model::LiveUpdate = serde_json::from_str(data).unwrap();
    assert_eq!(update.id, product);
    // The wholesale viewer's own price: list 10 000 ₽ less 3 % personal and 2 % online.
    assert_eq!((update.list_price, update.price), (1_000_000, 950_000));
    // Signing out ends the stream: the next change reaches this browser as nothing at all (its
    // reconnect is a guest's, with guest prices).
    wholesale.post_form("/auth/logout", &[]).await;
    set_price(1_100_000).await;
    let mut after = String::new();
    let ended = loop {
        match tokio::time::timeout(std::time::Duration::from_secs(10), events.chunk()).await {
            Ok(Ok(Some(bytes))) => after.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(Ok(None)) | Ok(Err(_)) => break true,
            Err(_) => break false,
        }
    };
    assert!(ended && !after.contains("event: product"), "{after:?}");
    wholesale.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();

    // Staff set prices and stock through the cabinet: bad input is refused field by field.
    let manager = app.client_from("10.0.0.7");
    manager.sign_in("manager@demo.test", DEMO_PASSWORD).await.unwrap();
    let page: ProductPage = manager.call("get_product", &[("id", &product.to_string())]).await.unwrap();
    assert!(page.staff_prices.is_some());
    let location = page.stock[0].location_id.to_string();
    let id = product.to_string();
    let bad = manager
        .call::<()>(
            "set_price_stock",
            &[
                ("product_id", &id),
                ("retail", "abc"),
                ("wholesale", "-5"),
                ("dealer", "1,005"),
                ("location_id", "999999"),
                ("quantity", "1,5"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(bad.0, 422);
    for (field, code) in [
        ("retail", "money.malformed"),
        ("wholesale", "money.negative"),
        ("dealer", "money.fraction_of_kopeck"),
        ("location_id", "stock.location"),
        ("quantity", "quantity.fraction_not_allowed"),
    ] {
        assert_eq!(bad.1.field_code(field), Some(code), "{field}");
    }
    manager
        .call::<()>(
            "set_price_stock",
            &[
                ("product_id", &id),
                ("retail", "15 000,50"),
                ("wholesale", "12000"),
                ("dealer", "11000"),
                ("location_id", &location),
                ("quantity", "7"),
            ],
        )
        .await
        .unwrap();
    let guest: ProductPage = app.client_from("10.0.0.6").call("get_product", &[("id", &id)]).await.unwrap();
    assert_eq!(guest.card.list_price, 1_500_050);
    assert!(guest.staff_prices.is_none(), "buyers never see the price list of other types");
    assert_eq!(guest.stock.iter().find(|s| s.location_id.to_string() == location).unwrap().quantity, 7000);
    assert_eq!(
        wholesale
            .call::<()>(
                "set_price_stock",
                &[
                    ("product_id", &id),
                    ("retail", "1"),
                    ("wholesale", "1"),
                    ("dealer", "1"),
                    ("location_id", &location),
                    ("quantity", "1")
                ]
            )
            .await
            .unwrap_err()
            .0,
        403
    );
}

/// The search runs over an in-memory index of the catalog: whatever changes the products — this
/// server, another app server, an import, a transaction that commits after a newer one — the next
/// search answers from the changed catalog.
async fn search_follows_every_change_to_the_catalog(backend: Backend) {
    let app = spawn_app(backend).await;
    let guest = app.client();
    let boilers = search(&guest, "cat=boilers&sort=price_asc").await;
    let (x, y) = (boilers.items[0].id, boilers.items[1].id);
    let stocked = search(&guest, "cat=boilers&stock=1").await.total;
    let now = chrono::Utc::now();
    let price = "UPDATE products SET price_retail = 100, stock_total = 0, updated_at = $1 WHERE id = $2";
    // Another server changed Y now; then a transaction stamped a second earlier commits X's change
    // after Y's (the search between them saw Y's version), and something else moves the version.
    app.exec_at("UPDATE products SET stock_total = stock_total + 1, updated_at = $1 WHERE id = $2", now, y).await;
    assert_eq!(search(&guest, "cat=boilers&sort=price_asc").await.items[0].id, x);
    app.exec_at(price, now - chrono::TimeDelta::seconds(1), x).await;
    app.exec_at("UPDATE products SET updated_at = $1 WHERE id = $2", now + chrono::TimeDelta::milliseconds(5), y).await;
    let cheapest = search(&guest, "cat=boilers&sort=price_asc").await;
    assert_eq!((cheapest.items[0].id, cheapest.items[0].list_price, cheapest.items[0].stock), (x, 100, 0));
    let x_was_stocked = boilers.items[0].stock > 0;
    assert_eq!(search(&guest, "cat=boilers&stock=1").await.total, stocked - i64::from(x_was_stocked));
    assert_eq!(search(&guest, "cat=boilers&max=1").await.total, 1);

    // Renamed (another text): found by its new name only.
    let later = now + chrono::TimeDelta::seconds(1);
    app.exec_at(
        "UPDATE products SET name = 'Котёл-уникум', search_text = 'котел уникум', updated_at = $1 WHERE id = $2",
        later,
        x,
    )
    .await;
    let found = search(&guest, "q=уникум").await;
    assert_eq!((found.total, found.items[0].name.as_str()), (1, "Котёл-уникум"));
    // Taken off sale: gone from every answer.
    let hidden_at = later + chrono::TimeDelta::milliseconds(5);
    app.exec_at("UPDATE products SET active = FALSE, updated_at = $1 WHERE id = $2", hidden_at, x).await;
    assert_eq!(search(&guest, "q=уникум").await.total, 0);
    assert_eq!(search(&guest, "cat=boilers").await.total, boilers.total - 1);
}

/// A guest's page, checked for its nonce: every inline script carries this answer's nonce (the
/// one its Content-Security-Policy allows), and only this answer's.
async fn guest_page(app: &crate::helpers::TestApp, address: &str) -> (String, String) {
    let answer = app.client_from("10.0.0.9").get(address).await;
    assert_eq!(answer.status(), 200, "{address}");
    let policy = answer.headers()["content-security-policy"].to_str().unwrap().to_string();
    let nonce = policy.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).unwrap().to_string();
    let html = answer.text().await.unwrap();
    assert_eq!(html.matches("<script").count(), html.matches(&format!("nonce=\"{nonce}\"")).count(), "{html}");
    (nonce, html)
}

/// The id of the first product tile of a catalog page.
fn first_tile(html: &str) -> i64 {
    let after =
        html.split("href=\"/catalog/").find(|rest| rest.starts_with(|c: char| c.is_ascii_digit())).expect("a tile");
    after[..after.find('"').unwrap()].parse().unwrap()
}

/// A guest's catalog and product pages are kept for a few seconds and served again without
/// rendering — with this answer's own script nonce, and never once the catalog has changed; a
/// signed-in person always gets a page rendered for them.
async fn guests_get_kept_pages_that_follow_the_catalog(backend: Backend) {
    let app = spawn_app(backend).await;
    let list = "/catalog?cat=boilers&sort=price_asc";
    let (_, before) = guest_page(&app, list).await;
    let cheapest = first_tile(&before);
    let product = format!("/catalog/{cheapest}");
    for address in [list, product.as_str()] {
        let (first_nonce, first) = guest_page(&app, address).await;
        let (second_nonce, second) = guest_page(&app, address).await;
        assert_ne!(first_nonce, second_nonce);
        assert_eq!(first.replace(&first_nonce, "N"), second.replace(&second_nonce, "N"), "{address}");
    }

    // A price change (made on any server) shows on the next page at once.
    let now = chrono::Utc::now();
    app.exec_at("UPDATE products SET price_retail = 12345600, updated_at = $1 WHERE id = $2", now, cheapest).await;
    let (_, after) = guest_page(&app, list).await;
    assert_ne!(first_tile(&after), cheapest, "no longer the cheapest");
    let (_, product_page) = guest_page(&app, &product).await;
    assert!(product_page.contains("120\u{a0}986,88"), "123 456,00 less the promotion's 2 %: {product_page}");

    // Signed in, the same address is rendered for the person.
    let buyer = app.client_from("10.0.0.10");
    buyer.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    let theirs = buyer.get(list).await.text().await.unwrap();
    assert!(!theirs.contains("data-testid=\"nav-login\""), "{theirs}");
    let (_, guests) = guest_page(&app, list).await;
    assert!(guests.contains("data-testid=\"nav-login\""), "{guests}");
}
