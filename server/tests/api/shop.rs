//! Catalog, cart, checkout, credit, stock reservation and payments, on both databases.

use app::error::AppError;
use app::model::shop::{
    Cart, CatalogPage, CheckoutOutcome, OrderDetail, OrderSummary, PaymentStatus, ProductPage, QuickOrderResult, encode,
};
use app::ports::PaymentOutcome;
use app::services::payments::Sandbox;
use domain::credit::CreditDecision;

use crate::helpers::{Backend, Client, DEMO_PASSWORD, TestApp, spawn_app};

crate::on_both_backends!(
    search_understands_word_forms_and_prices_per_viewer,
    facets_count_what_a_choice_would_give,
    guest_cart_joins_the_account_on_sign_in,
    retail_checkout_to_a_pickup_point,
    checkout_refuses_a_total_the_buyer_did_not_see,
    wholesale_credit_needs_approval_or_blocks_with_numbers,
    concurrent_buyers_never_oversell,
    payment_webhook_is_signed_and_idempotent,
    quick_order_lists_what_it_could_not_read,
    quick_order_reads_excel_and_csv_files,
    excel_export_is_a_workbook,
    orders_of_others_are_not_found,
    open_pages_hear_price_and_stock_changes,
);

async fn search(client: &Client, query: &str) -> CatalogPage {
    client.call("search_catalog", &[("query", query)]).await.expect("search answers")
}

async fn add(client: &Client, id: i64, qty: &str) -> Result<Cart, (u16, AppError)> {
    client.call("cart_add", &[("product_id", &id.to_string()), ("quantity", qty)]).await
}

async fn checkout(client: &Client, form: &[(&str, &str)]) -> Result<CheckoutOutcome, (u16, AppError)> {
    client.call("checkout", form).await
}

/// A product that is in stock at a pickup point, with that point's location id.
async fn stocked_at_pickup(app: &TestApp) -> (i64, i64) {
    let sql = "SELECT s.product_id * 100000 + s.location_id FROM stock s JOIN stock_locations l ON l.id = s.location_id \
               JOIN products p ON p.id = s.product_id WHERE l.kind = 'pickup' AND s.quantity >= $1 AND p.unit = 'pcs' \
               ORDER BY s.product_id LIMIT 1";
    let n = app.number(sql, 3000).await;
    (n / 100000, n % 100000)
}

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

async fn guest_cart_joins_the_account_on_sign_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, _) = stocked_at_pickup(&app).await;
    let guest = app.client();
    let cart = add(&guest, product, "2").await.unwrap();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.total, cart.lines[0].list_price * 2 - cart.discount);
    // A fraction of a piece, nonsense and a missing product are refused with a reason.
    let fraction = add(&guest, product, "1,5").await.unwrap_err();
    assert_eq!((fraction.0, fraction.1.field_code("quantity")), (422, Some("quantity.fraction_not_allowed")));
    assert_eq!(add(&guest, product, "abc").await.unwrap_err().1.field_code("quantity"), Some("quantity.malformed"));
    assert_eq!(add(&guest, 999_999, "1").await.unwrap_err().0, 404);
    guest.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let mine: Cart = guest.call("get_cart", &[]).await.unwrap();
    assert_eq!(mine.lines.len(), 1);
    assert_eq!(mine.lines[0].quantity, 2000);
    // The demo buyer has 42 000 ₽ of purchases: no tier yet, so only the online-order promotion.
    let set: Cart = guest.call("cart_set", &[("product_id", &product.to_string()), ("quantity", "0")]).await.unwrap();
    assert!(set.lines.is_empty());
    // Staff do not have carts.
    let manager = app.client_from("10.0.0.3");
    manager.sign_in("manager@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(manager.call::<Cart>("get_cart", &[]).await.unwrap_err().0, 403);
}

async fn retail_checkout_to_a_pickup_point(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    let stock_before = app.number("SELECT stock_total FROM products WHERE id = $1", product).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let cart = add(&buyer, product, "2").await.unwrap();
    let point_s = point.to_string();
    let total = cart.total.to_string();
    let missing = checkout(
        &buyer,
        &[
            ("fulfilment", "pickup"),
            ("delivery_address", ""),
            ("payment", "on_pickup"),
            ("comment", ""),
            ("expected_total", &total),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap_err();
    assert_eq!(missing.1.field_code("pickup_location_id"), Some("checkout.pickup_point"));
    let outcome = checkout(
        &buyer,
        &[
            ("fulfilment", "pickup"),
            ("pickup_location_id", &point_s),
            ("delivery_address", ""),
            ("payment", "on_pickup"),
            ("comment", "Позвоните заранее"),
            ("expected_total", &total),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap();
    let CheckoutOutcome::Placed { order_id, pay_url: None, account_created: false } = outcome else {
        panic!("{outcome:?}")
    };
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(order.status, "new");
    assert_eq!(order.total, cart.total);
    assert_eq!(order.lines.len(), 1);
    assert_eq!(order.lines.iter().map(|l| l.total).sum::<i64>(), order.total);
    assert!(order.pickup_point.is_some());
    assert_eq!(order.events.len(), 1);
    assert_eq!(app.number("SELECT stock_total FROM products WHERE id = $1", product).await, stock_before - 2000);
    assert_eq!(
        app.number(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_reservations WHERE order_id = $1",
            order_id
        )
        .await,
        2000
    );
    let cart: Cart = buyer.call("get_cart", &[]).await.unwrap();
    assert!(cart.lines.is_empty(), "the cart is emptied");
    let orders: Vec<OrderSummary> = buyer.call("list_orders", &[]).await.unwrap();
    assert_eq!(orders.iter().map(|o| o.id).collect::<Vec<_>>(), vec![order_id]);
    // Repeat order puts the lines back.
    let again: Cart = buyer.call("repeat_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(again.lines[0].quantity, 2000);
}

async fn checkout_refuses_a_total_the_buyer_did_not_see(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let cart = add(&buyer, product, "1").await.unwrap();
    // Staff raise the price while the buyer looks.
    app.exec("UPDATE products SET price_retail = price_retail + $1 WHERE id = $2", 10_000, product).await;
    let seen = cart.total.to_string();
    let outcome = checkout(
        &buyer,
        &[
            ("fulfilment", "pickup"),
            ("pickup_location_id", &point.to_string()),
            ("delivery_address", ""),
            ("payment", "on_pickup"),
            ("comment", ""),
            ("expected_total", &seen),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap();
    let CheckoutOutcome::TotalChanged { expected, actual } = outcome else { panic!("{outcome:?}") };
    assert_eq!(expected, cart.total);
    assert!(actual > expected);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0, "nothing was placed");
}

async fn wholesale_credit_needs_approval_or_blocks_with_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    // Limit 500 000 ₽, 430 000 ₽ outstanding (not overdue): 70 000 ₽ available.
    let buyer = app.client();
    buyer.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    let big = app
        .number(
            "SELECT id FROM products WHERE category_id = (SELECT id FROM categories WHERE slug = 'boilers') \
                 AND stock_total >= $1 ORDER BY price_wholesale DESC LIMIT 1",
            3000,
        )
        .await;
    let cart = add(&buyer, big, "3").await.unwrap();
    let credit = cart.credit.expect("credit shown in the cart");
    assert_eq!(credit.limit, 50_000_000);
    assert_eq!(credit.outstanding, 43_000_000);
    assert_eq!(credit.available, 7_000_000);
    assert_eq!(credit.shortfall, cart.total - 7_000_000);
    assert_eq!(credit.decision, CreditDecision::NeedsApproval);
    // Retail payment methods are not for credit clients.
    let total = cart.total.to_string();
    let wrong = checkout(
        &buyer,
        &[
            ("fulfilment", "delivery"),
            ("delivery_address", "Москва, ул. Монтажная, 7, склад 2"),
            ("payment", "on_pickup"),
            ("comment", ""),
            ("expected_total", &total),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap_err();
    assert_eq!(wrong.1.field_code("payment"), Some("checkout.payment"));
    let outcome = checkout(
        &buyer,
        &[
            ("fulfilment", "delivery"),
            ("delivery_address", "Москва, ул. Монтажная, 7, склад 2"),
            ("payment", "invoice"),
            ("comment", ""),
            ("expected_total", &total),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = outcome else { panic!("{outcome:?}") };
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(order.status, "awaiting_approval");
    assert_eq!(order.invoice.as_ref().map(|i| i.amount), Some(order.total));
    assert_eq!(order.credit_check.map(|c| c.decision), Some(CreditDecision::NeedsApproval));
    // The invoice as a PDF with an embedded Cyrillic font; nobody else can download it.
    let pdf = buyer.get(&format!("/orders/{order_id}/invoice.pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers().get("content-type").unwrap(), "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert_eq!(&bytes[..5], b"%PDF-");
    assert!(bytes.windows(10).any(|w| w == b"DejaVuSans"), "the Cyrillic font is embedded");
    let stranger = app.client_from("10.0.0.8");
    stranger.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(stranger.get(&format!("/orders/{order_id}/invoice.pdf")).await.status(), 404);
    assert_eq!(app.client().get(&format!("/orders/{order_id}/invoice.pdf")).await.status(), 401);

    // The other client has an invoice 35 days overdue (grace 5): blocked, with the numbers.
    let blocked = app.client_from("10.0.0.4");
    blocked.sign_in("wholesale.overdue@demo.test", DEMO_PASSWORD).await.unwrap();
    let cart = add(&blocked, big, "1").await.unwrap();
    let total = cart.total.to_string();
    let outcome = checkout(
        &blocked,
        &[
            ("fulfilment", "delivery"),
            ("delivery_address", "Москва, ул. Монтажная, 7, склад 2"),
            ("payment", "invoice"),
            ("comment", ""),
            ("expected_total", &total),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap();
    let CheckoutOutcome::CreditBlocked(check) = outcome else { panic!("{outcome:?}") };
    assert_eq!(check.overdue, 12_000_000);
    assert_eq!(check.max_days_overdue, 35);
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 1);
}

async fn concurrent_buyers_never_oversell(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    // Five left, all at one pickup point.
    app.exec("UPDATE stock SET quantity = 0 WHERE product_id = $1 AND location_id <> $2", product, point).await;
    app.exec("UPDATE stock SET quantity = 5000 WHERE product_id = $1 AND location_id = $2", product, point).await;
    app.exec("UPDATE products SET stock_total = 5000 WHERE id = $1 AND $2 > 0", product, 1).await;
    let buyers = 16;
    let mut clients = Vec::new();
    for i in 0..buyers {
        let c = app.client_from(&format!("10.1.0.{i}"));
        let phone = format!("+7916{:07}", 1_000_000 + i);
        let _: String = c
            .call("register", &[("name", "Покупатель Тестов"), ("phone", &phone), ("password", "long-enough-password")])
            .await
            .unwrap();
        let cart = add(&c, product, "1").await.unwrap();
        clients.push((c, cart.total));
    }
    let point_s = point.to_string();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|(c, total)| {
            let point_s = point_s.clone();
            tokio::spawn(async move {
                let total = total.to_string();
                checkout(
                    &c,
                    &[
                        ("fulfilment", "pickup"),
                        ("pickup_location_id", &point_s),
                        ("delivery_address", ""),
                        ("payment", "on_pickup"),
                        ("comment", ""),
                        ("expected_total", &total),
                        ("guest_name", ""),
                        ("guest_phone", ""),
                    ],
                )
                .await
            })
        })
        .collect();
    let mut placed = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(CheckoutOutcome::Placed { .. }) => placed += 1,
            Ok(CheckoutOutcome::OutOfStock(names)) => assert_eq!(names.len(), 1),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(placed, 5, "exactly the five in stock were sold");
    assert_eq!(
        app.number("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock WHERE product_id = $1", product).await,
        0
    );
    assert_eq!(app.number("SELECT stock_total FROM products WHERE id = $1", product).await, 0);
    assert_eq!(
        app.number(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_reservations WHERE product_id = $1",
            product
        )
        .await,
        5000
    );
    assert_eq!(app.number("SELECT COUNT(*) FROM orders WHERE $1 > 0", 1).await, 5);
}

async fn payment_webhook_is_signed_and_idempotent(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, _) = stocked_at_pickup(&app).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let cart = add(&buyer, product, "1").await.unwrap();
    // Paying online: the cart's total is for paying on pickup, the server adds any online-payment promotion itself.
    let total = cart.total.to_string();
    let outcome = checkout(
        &buyer,
        &[
            ("fulfilment", "delivery"),
            ("delivery_address", "Москва, ул. Тверская, 1, кв. 5"),
            ("payment", "online"),
            ("comment", ""),
            ("expected_total", &total),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap();
    let CheckoutOutcome::Placed { order_id, pay_url: Some(pay_url), .. } = outcome else { panic!("{outcome:?}") };
    let external = pay_url.trim_start_matches("/sandbox-pay/").to_string();
    let page = buyer.get(&pay_url).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("sandbox-banner"));

    let sandbox = Sandbox::new(app.secret.as_bytes());
    let webhook = |body: String, signature: String| {
        let http = reqwest::Client::new();
        let url = format!("{}/webhooks/payments/sandbox", app.base);
        async move {
            http.post(url).header("x-sandbox-signature", signature).body(body).send().await.unwrap().status().as_u16()
        }
    };
    let (body, signature) = sandbox.report(&external, PaymentOutcome::Succeeded, cart.total);
    // A forged or missing signature changes nothing.
    assert_eq!(webhook(body.clone(), "0".repeat(64)).await, 401);
    assert_eq!(webhook(body.replace("succeeded", "declined"), signature.clone()).await, 401);
    let (wrong_amount, wrong_sig) = sandbox.report(&external, PaymentOutcome::Succeeded, cart.total + 1);
    assert_eq!(webhook(wrong_amount, wrong_sig).await, 409);
    let (unknown, unknown_sig) = sandbox.report("no-such-payment", PaymentOutcome::Succeeded, 100);
    assert_eq!(webhook(unknown, unknown_sig).await, 404);
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(order.payment_status, PaymentStatus::Pending);

    assert_eq!(webhook(body.clone(), signature.clone()).await, 200);
    let accumulated = app
        .number(
            "SELECT accumulated FROM organisations WHERE id = (SELECT organisation_id FROM orders WHERE id = $1)",
            order_id,
        )
        .await;
    // Replays change nothing, and a later decline does not undo a success.
    assert_eq!(webhook(body, signature).await, 200);
    let (decline, decline_sig) = sandbox.report(&external, PaymentOutcome::Declined, cart.total);
    assert_eq!(webhook(decline, decline_sig).await, 200);
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(order.payment_status, PaymentStatus::Paid);
    assert_eq!(order.payments.len(), 1);
    assert_eq!(order.events.len(), 2);
    assert_eq!(
        app.number(
            "SELECT accumulated FROM organisations WHERE id = (SELECT organisation_id FROM orders WHERE id = $1)",
            order_id
        )
        .await,
        accumulated
    );
    assert_eq!(accumulated, 4_200_000 + cart.total);
}

async fn quick_order_lists_what_it_could_not_read(backend: Backend) {
    let app = spawn_app(backend).await;
    let pipes = search(&app.client(), "cat=pipes").await;
    let pipe = &pipes.items[0];
    let boiler = &search(&app.client(), "cat=boilers").await.items[0];
    let dealer = app.client();
    dealer.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    let text = format!(
        "Артикул\tКол-во\n{}\t12,5\n{} 2\nNO-SUCH-1 3\n{} 1,5\nпросто текст\n",
        pipe.sku, boiler.sku, boiler.sku
    );
    let result: QuickOrderResult = dealer.call("quick_order", &[("lines", &text)]).await.unwrap();
    assert_eq!(result.added.len(), 2);
    assert_eq!(result.added[0].2, 12_500);
    let codes: Vec<(usize, &str)> = result.rejected.iter().map(|r| (r.line, r.code.as_str())).collect();
    assert_eq!(
        codes,
        vec![(4, "quick_order.unknown_sku"), (5, "quantity.fraction_not_allowed"), (6, "quick_order.no_quantity")]
    );
    let cart: Cart = dealer.call("get_cart", &[]).await.unwrap();
    assert_eq!(cart.lines.len(), 2);
    // Retail buyers do not have quick order.
    let retail = app.client_from("10.0.0.9");
    retail.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(retail.call::<QuickOrderResult>("quick_order", &[("lines", "A 1")]).await.unwrap_err().0, 403);
}

async fn quick_order_reads_excel_and_csv_files(backend: Backend) {
    let app = spawn_app(backend).await;
    let pipe = search(&app.client(), "cat=pipes").await.items[0].sku.clone();
    let boiler = search(&app.client(), "cat=boilers").await.items[0].sku.clone();
    let dealer = app.client();
    dealer.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();

    // A workbook as 1C or a buyer's own spreadsheet would have it: a header row, numbers as numbers.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Артикул").unwrap();
    sheet.write_string(0, 1, "Количество").unwrap();
    sheet.write_string(1, 0, &pipe).unwrap();
    sheet.write_number(1, 1, 7.5).unwrap();
    sheet.write_string(2, 0, &boiler).unwrap();
    sheet.write_number(2, 1, 2).unwrap();
    sheet.write_string(3, 0, "NO-SUCH-1").unwrap();
    sheet.write_number(3, 1, 1).unwrap();
    let xlsx = book.save_to_buffer().unwrap();
    let result: QuickOrderResult = dealer.upload("quick_order_file", "заказ.xlsx", xlsx).await.unwrap();
    assert_eq!(
        result.added.iter().map(|a| (a.0.as_str(), a.2)).collect::<Vec<_>>(),
        vec![(pipe.as_str(), 7_500), (boiler.as_str(), 2_000)]
    );
    let codes: Vec<(usize, &str)> = result.rejected.iter().map(|r| (r.line, r.code.as_str())).collect();
    assert_eq!(codes, vec![(4, "quick_order.unknown_sku")]);

    // A CSV saved by Excel: BOM, semicolons, decimal comma; the quantity adds to what is there.
    let csv = format!("\u{feff}Артикул;Количество\r\n{pipe};\"2,5\"\r\n");
    let result: QuickOrderResult = dealer.upload("quick_order_file", "заказ.csv", csv.into_bytes()).await.unwrap();
    assert_eq!(result.added.len(), 1);
    let cart: Cart = dealer.call("get_cart", &[]).await.unwrap();
    let pipe_line = cart.lines.iter().find(|l| l.sku == pipe).unwrap();
    assert_eq!(pipe_line.quantity, 10_000);

    // Not a spreadsheet, an empty file, a broken workbook: a message for the file field, cart untouched.
    for (name, bytes, code) in [
        ("photo.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A], "quick_order.file_unreadable"),
        ("empty.csv", Vec::new(), "quick_order.file_empty"),
        ("broken.xlsx", b"PK\x03\x04not really a zip".to_vec(), "quick_order.file_unreadable"),
    ] {
        let (status, error) = dealer.upload::<QuickOrderResult>("quick_order_file", name, bytes).await.unwrap_err();
        assert_eq!((status, error.field_code("file")), (422, Some(code)), "{name}");
    }
    let after: Cart = dealer.call("get_cart", &[]).await.unwrap();
    assert_eq!(after.lines.len(), cart.lines.len());
    let too_big = vec![b'a'; 3 * 1024 * 1024];
    assert_eq!(
        dealer
            .upload::<QuickOrderResult>("quick_order_file", "big.csv", too_big)
            .await
            .unwrap_err()
            .1
            .field_code("file"),
        Some("quick_order.too_large")
    );
    // A machine posting something that is not multipart is told so, and nothing breaks.
    assert_eq!(dealer.call::<QuickOrderResult>("quick_order_file", &[("file", "A;1")]).await.unwrap_err().0, 415);
    assert_eq!(dealer.call::<Cart>("get_cart", &[]).await.unwrap().lines.len(), cart.lines.len());
    // Retail buyers do not have quick order; strangers must sign in.
    assert_eq!(
        app.client().upload::<QuickOrderResult>("quick_order_file", "a.csv", b"A;1".to_vec()).await.unwrap_err().0,
        401
    );
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
}

async fn orders_of_others_are_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let cart = add(&buyer, product, "1").await.unwrap();
    let outcome = checkout(
        &buyer,
        &[
            ("fulfilment", "pickup"),
            ("pickup_location_id", &point.to_string()),
            ("delivery_address", ""),
            ("payment", "on_pickup"),
            ("comment", ""),
            ("expected_total", &cart.total.to_string()),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = outcome else { panic!() };
    let other = app.client_from("10.0.0.5");
    other.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(other.call::<OrderDetail>("get_order", &[("id", &order_id.to_string())]).await.unwrap_err().0, 404);
    assert_eq!(other.call::<Cart>("repeat_order", &[("id", &order_id.to_string())]).await.unwrap_err().0, 404);
    assert_eq!(app.client().call::<Vec<OrderSummary>>("list_orders", &[]).await.unwrap_err().0, 401);
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
    let sql = "UPDATE products SET price_wholesale = $1, updated_at = $2 WHERE id = $3";
    let now = chrono::Utc::now();
    match &app.db {
        server::db::Db::Sqlite(p) => {
            sqlx::query(sql).bind(1_000_000_i64).bind(now).bind(product).execute(p).await.map(|_| ())
        }
        server::db::Db::Postgres(p) => {
            sqlx::query(sql).bind(1_000_000_i64).bind(now).bind(product).execute(p).await.map(|_| ())
        }
    }
    .unwrap();
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
    let update: app::model::shop::LiveUpdate = serde_json::from_str(data).unwrap();
    assert_eq!(update.id, product);
    // The wholesale viewer's own price: list 10 000 ₽ less 3 % personal and 2 % online.
    assert_eq!((update.list_price, update.price), (1_000_000, 950_000));

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
