//! Ordering area: checkout, the confirmed total, credit checks, stock never oversold, orders within reach, on both databases.

use app::error::AppError;
use app::model::{Cart, CheckoutOutcome, OrderDetail, OrderSummary};
use domain::StatusMachine;
use domain::credit::CreditDecision;

use crate::helpers::{Backend, DEMO_PASSWORD, add, checkout, spawn_app, stocked_at_pickup};

mod assembly;
mod workflow;

crate::on_both_backends!(
    retail_checkout_to_a_pickup_point,
    guests_confirm_their_phone_by_sms_code,
    checkout_refuses_a_total_the_buyer_did_not_see,
    wholesale_credit_needs_approval_or_blocks_with_numbers,
    concurrent_buyers_never_oversell,
    orders_of_others_are_not_found,
);

/// A guest's checkout form for pickup at `point`.
fn guest_form<'a>(
    point: &'a str,
    total: &'a str,
    name: &'a str,
    phone: &'a str,
    code: &'a str,
) -> [(&'a str, &'a str); 9] {
    [
        ("fulfilment", "pickup"),
        ("pickup_location_id", point),
        ("delivery_address", ""),
        ("payment", "on_pickup"),
        ("comment", ""),
        ("expected_total", total),
        ("guest_name", name),
        ("guest_phone", phone),
        ("guest_code", code),
    ]
}

async fn guests_confirm_their_phone_by_sms_code(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    let point = point.to_string();
    let guest = app.client();
    let total = add(&guest, product, "1").await.unwrap().total.to_string();
    let users = "SELECT COUNT(*) FROM users";
    let before = app.count(users).await;

    // No code, a wrong code: nothing is created or placed.
    let none = checkout(&guest, &guest_form(&point, &total, "Гость Тестов", "+7 915 000 11 22", "")).await;
    assert_eq!(none.unwrap_err(), (422, AppError::field("guest_code", "code.missing")));
    let code = guest.phone_code("+7 915 000 11 22").await.unwrap();
    let wrong = if code == "111111" { "222222" } else { "111111" };
    let bad = checkout(&guest, &guest_form(&point, &total, "Гость Тестов", "+7 915 000 11 22", wrong)).await;
    assert_eq!(bad.unwrap_err(), (422, AppError::field("guest_code", "code.wrong")));
    assert_eq!((app.count(users).await, app.count("SELECT COUNT(*) FROM orders").await > 0), (before, false));

    // The right code: a new retail buyer, signed in, with the order and a link to set a password.
    let placed =
        checkout(&guest, &guest_form(&point, &total, "Гость Тестов", "+7 915 000 11 22", &code)).await.unwrap();
    let CheckoutOutcome::Placed { order_id, account_created: true, .. } = placed else { panic!("{placed:?}") };
    let me = guest.me().await.expect("signed in");
    assert_eq!((me.role, me.phone.as_deref()), (domain::Role::RetailBuyer, Some("+79150001122")));
    let _: OrderDetail = guest.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(app.count(users).await, before + 1);
    // (The notification worker may have sent it already, and the order's own SMS goes there too.)
    let invites = "SELECT COUNT(*) FROM outbox WHERE recipient = '+79150001122' AND kind = 'invitation'";
    assert_eq!(app.count(invites).await, 1);

    // A returning buyer's number signs them in to their account, and nothing is placed yet: they
    // see their own cart (with the guest's line in it) and their own prices first.
    let returning = app.client();
    let total = add(&returning, product, "1").await.unwrap().total.to_string();
    let orders = app.count("SELECT COUNT(*) FROM orders").await;
    let code = returning.phone_code("+7 900 000 00 01").await.unwrap();
    let outcome = checkout(&returning, &guest_form(&point, &total, "Ирина", "+7 900 000 00 01", &code)).await.unwrap();
    assert_eq!(outcome, CheckoutOutcome::SignedIn);
    assert_eq!(returning.me().await.map(|u| u.email), Some(Some("retail@demo.test".to_string())));
    let cart: Cart = returning.call("get_cart", &[]).await.unwrap();
    assert!(cart.lines.iter().any(|l| l.product_id == product));
    assert_eq!((app.count(users).await, app.count("SELECT COUNT(*) FROM orders").await), (before + 1, orders));

    // A company account's number is not signed in by a code.
    let company = app.client();
    let total = add(&company, product, "1").await.unwrap().total.to_string();
    let code = company.phone_code("+7 900 000 00 02").await.unwrap();
    let refused = checkout(&company, &guest_form(&point, &total, "Олег", "+7 900 000 00 02", &code)).await;
    assert_eq!(refused.unwrap_err().1.field_code("guest_phone"), Some("phone.business_account"));
    assert_eq!(company.me().await, None);
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
    assert_eq!(order.status.code(), "new");
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
    assert_eq!(order.status.code(), "awaiting_approval");
    assert_eq!(order.invoices.first().map(|i| i.amount), Some(order.total));
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
        let _: String = c.register("Покупатель Тестов", &phone, "long-enough-password").await.unwrap();
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
