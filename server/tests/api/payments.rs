//! Payments area: signed, idempotent provider webhooks; an order's attempts settle it together and
//! count towards loyalty once; the sandbox only when configured, its pay page only for the buyer;
//! on both databases.

use app::model::{Cart, CheckoutOutcome, OrderDetail, PaymentStatus};
use app::ports::PaymentOutcome;
use server::integrations::sandbox_payments::Sandbox;

use crate::helpers::{
    Backend, Client, DEMO_PASSWORD, TestApp, add, checkout, checkout_delivery, eventually, spawn_app, spawn_app_with,
    stocked_at_pickup,
};

crate::on_both_backends!(
    payment_webhook_is_signed_and_idempotent,
    attempts_settle_the_order_together_and_loyalty_counts_once,
    the_pay_page_is_the_buyers_alone,
    without_a_provider_online_payment_is_not_offered,
    a_cancelled_paid_order_is_refunded_exactly_once,
);

/// A retail buyer's order of one unit for delivery, paid online: (order id, pay link, cart).
async fn online_order(app: &TestApp, buyer: &Client) -> (i64, String, Cart) {
    let (product, _) = stocked_at_pickup(app).await;
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let cart = add(buyer, product, "1").await.unwrap();
    // Paying online: the cart's total is for paying on pickup, the server adds any online-payment promotion itself.
    let outcome = checkout_delivery(buyer, "online", cart.total).await.unwrap();
    let CheckoutOutcome::Placed { order_id, pay_url: Some(pay_url), .. } = outcome else { panic!("{outcome:?}") };
    (order_id, pay_url, cart)
}

/// The payment's id at the provider, from its pay link.
fn external_id(pay_url: &str) -> String {
    pay_url.trim_start_matches("/sandbox-pay/").split('?').next().unwrap().to_string()
}

/// Posts a signed (or forged) sandbox report; answers the status.
async fn webhook(app: &TestApp, body: String, signature: String) -> u16 {
    let url = format!("{}/webhooks/payments/sandbox", app.base);
    let http = reqwest::Client::new();
    http.post(url).header("x-sandbox-signature", signature).body(body).send().await.unwrap().status().as_u16()
}

async fn accumulated(app: &TestApp, order_id: i64) -> i64 {
    app.number(
        "SELECT accumulated FROM organisations WHERE id = (SELECT organisation_id FROM orders WHERE id = $1)",
        order_id,
    )
    .await
}

async fn payment_webhook_is_signed_and_idempotent(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = app.client();
    let (order_id, pay_url, cart) = online_order(&app, &buyer).await;
    let external = external_id(&pay_url);
    let page = buyer.get(&pay_url).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("sandbox-banner"));

    let sandbox = Sandbox::new(app.secret.as_bytes());
    let webhook = |body: String, signature: String| webhook(&app, body, signature);
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
    let accumulated_after = accumulated(&app, order_id).await;
    // Replays change nothing, and a later decline does not undo a success.
    assert_eq!(webhook(body, signature).await, 200);
    let (decline, decline_sig) = sandbox.report(&external, PaymentOutcome::Declined, cart.total);
    assert_eq!(webhook(decline, decline_sig).await, 200);
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(order.payment_status, PaymentStatus::Paid);
    assert_eq!(order.payments.len(), 1);
    assert_eq!(order.events.len(), 2);
    assert_eq!(accumulated(&app, order_id).await, accumulated_after);
    assert_eq!(accumulated_after, 4_200_000 + cart.total);
}

async fn attempts_settle_the_order_together_and_loyalty_counts_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = app.client();
    let (order_id, first_link, cart) = online_order(&app, &buyer).await;
    let first = external_id(&first_link);
    // The buyer opens a second attempt: the first is cancelled and its page takes no card.
    let second_link: String = buyer.call("pay_order", &[("id", &order_id.to_string())]).await.unwrap();
    let second = external_id(&second_link);
    assert_ne!(first, second);
    let page = buyer.get(&format!("/sandbox-pay/{first}")).await.text().await.unwrap();
    assert!(!page.contains("sandbox-pay\""), "a cancelled attempt offers no pay button");
    let sandbox = Sandbox::new(app.secret.as_bytes());
    let report = |id: &str, outcome| {
        let (body, signature) = sandbox.report(id, outcome, cart.total);
        webhook(&app, body, signature)
    };
    let before = accumulated(&app, order_id).await;
    // The second succeeds; the first, cancelled, is declined later: the order stays paid.
    assert_eq!(report(&second, PaymentOutcome::Succeeded).await, 200);
    assert_eq!(report(&first, PaymentOutcome::Declined).await, 200);
    assert_eq!(get_order(&buyer, order_id).await.payment_status, PaymentStatus::Paid);
    // The first takes money after all (the provider was late): still paid, and loyalty counts the
    // order once, by its total.
    assert_eq!(report(&first, PaymentOutcome::Succeeded).await, 200);
    let paid = get_order(&buyer, order_id).await;
    assert_eq!(paid.payment_status, PaymentStatus::Paid);
    assert_eq!(paid.payments.iter().filter(|p| p.status.code() == "succeeded").count(), 2);
    assert!(!paid.payable_online);
    assert_eq!(accumulated(&app, order_id).await, before + cart.total);
    assert_eq!(app.number("SELECT loyalty_accrued FROM orders WHERE id = $1", order_id).await, cart.total);
    // A paid order cannot be paid again.
    let again = buyer.call::<String>("pay_order", &[("id", &order_id.to_string())]).await.unwrap_err();
    assert_eq!(again.0, 409);

    // Another order: a decline then a new attempt that is still open — pending, not declined.
    let (other, link, other_cart) = online_order(&app, &buyer).await;
    let (body, signature) = sandbox.report(&external_id(&link), PaymentOutcome::Declined, other_cart.total);
    assert_eq!(webhook(&app, body, signature).await, 200);
    assert_eq!(get_order(&buyer, other).await.payment_status, PaymentStatus::Declined);
    let _: String = buyer.call("pay_order", &[("id", &other.to_string())]).await.unwrap();
    assert_eq!(get_order(&buyer, other).await.payment_status, PaymentStatus::Pending);
}

async fn get_order(buyer: &Client, id: i64) -> OrderDetail {
    buyer.call("get_order", &[("id", &id.to_string())]).await.unwrap()
}

async fn the_pay_page_is_the_buyers_alone(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = app.client();
    let (order_id, pay_url, cart) = online_order(&app, &buyer).await;
    let external = external_id(&pay_url);
    let bare = format!("/sandbox-pay/{external}");
    // The page says which order and amount it settles.
    let page = buyer.get(&bare).await.text().await.unwrap();
    assert!(page.contains(&order_id.to_string()));
    assert!(page.contains("sandbox-amount"));
    // Someone else, with the address but not the signed link: as if there were no such payment.
    let stranger = app.client_from("10.0.0.9");
    stranger.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(stranger.get(&bare).await.status(), 404);
    let pay = |c: &Client, path: String| {
        let http = c.http.clone();
        let url = format!("{}{path}", app.base);
        let origin = app.base.clone();
        async move {
            http.post(url).header("origin", origin).form(&[("action", "pay")]).send().await.unwrap().status().as_u16()
        }
    };
    assert_eq!(pay(&stranger, bare.clone()).await, 404);
    // A forged or expired link does not open it either; the signed one does, without a session.
    let guest = app.client_from("10.0.0.10");
    assert_eq!(guest.get(&format!("{bare}?until=9999999999&sig={}", "0".repeat(64))).await.status(), 404);
    let sandbox = Sandbox::new(app.secret.as_bytes());
    let expired = sandbox.pay_link(&external, chrono::Utc::now().timestamp() - 1);
    assert_eq!(guest.get(&expired).await.status(), 404);
    assert_eq!(guest.get(&pay_url).await.status(), 200);
    assert_eq!(pay(&guest, pay_url.clone()).await, 303);
    let order = get_order(&buyer, order_id).await;
    assert_eq!(order.payment_status, PaymentStatus::Paid);
    assert_eq!(order.payments[0].amount, cart.total);
}

async fn without_a_provider_online_payment_is_not_offered(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.sandbox_payments = false).await;
    let (product, _) = stocked_at_pickup(&app).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let cart = add(&buyer, product, "1").await.unwrap();
    assert!(!cart.online_payment);
    let total = cart.total.to_string();
    let form = |fulfilment, payment| {
        vec![
            ("fulfilment", fulfilment),
            ("delivery_address", "Москва, ул. Тверская, 1, кв. 5"),
            ("payment", payment),
            ("comment", ""),
            ("expected_total", total.as_str()),
            ("guest_name", ""),
            ("guest_phone", ""),
        ]
    };
    // Delivery needs online payment for a retail buyer, so neither is offered nor accepted.
    let refused = checkout(&buyer, &form("delivery", "online")).await.unwrap_err();
    assert_eq!(refused.1.field_code("fulfilment"), Some("checkout.fulfilment"));
    let point = stocked_at_pickup(&app).await.1.to_string();
    let mut pickup_online = form("pickup", "online");
    pickup_online.push(("pickup_location_id", point.as_str()));
    let refused = checkout(&buyer, &pickup_online).await.unwrap_err();
    assert_eq!(refused.1.field_code("payment"), Some("checkout.payment"));
    // No sandbox pages or webhooks at all.
    assert_eq!(buyer.get("/sandbox-pay/anything").await.status(), 404);
    let sandbox = Sandbox::new(app.secret.as_bytes());
    let (body, signature) = sandbox.report("anything", PaymentOutcome::Succeeded, 100);
    assert_eq!(webhook(&app, body, signature).await, 404);
}

async fn a_cancelled_paid_order_is_refunded_exactly_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = app.client();
    let (order_id, pay_url, cart) = online_order(&app, &buyer).await;
    let held = app.number("SELECT CAST(SUM(quantity) AS BIGINT) FROM stock_reservations WHERE order_id = $1", order_id);
    assert_eq!(held.await, 1000);
    let sandbox = Sandbox::new(app.secret.as_bytes());
    let before = accumulated(&app, order_id).await;
    let (body, signature) = sandbox.report(&external_id(&pay_url), PaymentOutcome::Succeeded, cart.total);
    assert_eq!(webhook(&app, body, signature).await, 200);
    assert_eq!(accumulated(&app, order_id).await, before + cart.total);

    // The buyer cancels the paid order (nothing is assembled yet): the money goes back in full.
    let paid = get_order(&buyer, order_id).await;
    assert!(paid.moves.contains(&domain::status::OrderStatus::Cancelled));
    let cancelled: OrderDetail = buyer
        .call("move_order", &[("id", &order_id.to_string()), ("to", "cancelled"), ("note", "Передумал")])
        .await
        .unwrap();
    assert_eq!(cancelled.refunds.len(), 1);
    assert_eq!(cancelled.refunds[0].amount, cart.total, "exact to the kopeck");
    // Stock and loyalty are back in the same transaction; the provider reports the refund shortly.
    assert_eq!(app.number("SELECT COUNT(*) FROM stock_reservations WHERE order_id = $1", order_id).await, 0);
    assert_eq!(accumulated(&app, order_id).await, before);
    eventually(&app, "SELECT COUNT(*) FROM refunds WHERE order_id = $1 AND status = 'succeeded'", order_id, 1).await;
    let refunded = get_order(&buyer, order_id).await;
    assert!(refunded.refunds[0].done);
    assert_eq!(refunded.events.iter().filter(|e| e.note == "payment.refunded").count(), 1);

    // Reports again, forged, or for another amount change nothing; nothing is refunded twice.
    let refund_id: String = {
        let id = app.number("SELECT id FROM refunds WHERE order_id = $1", order_id).await;
        app.text("SELECT external_id FROM refunds WHERE id = $1", id).await
    };
    let (again, again_sig) = sandbox.report(&refund_id, PaymentOutcome::Refunded, cart.total);
    assert_eq!(webhook(&app, again.clone(), again_sig.clone()).await, 200);
    assert_eq!(webhook(&app, again, again_sig).await, 200);
    let (more, more_sig) = sandbox.report(&refund_id, PaymentOutcome::Refunded, cart.total + 1);
    assert_eq!(webhook(&app, more, more_sig).await, 409);
    let (unknown, unknown_sig) = sandbox.report("rf_nothing", PaymentOutcome::Refunded, cart.total);
    assert_eq!(webhook(&app, unknown, unknown_sig).await, 404);
    let (body, _) = sandbox.report(&refund_id, PaymentOutcome::Refunded, cart.total);
    assert_eq!(webhook(&app, body, "0".repeat(64)).await, 401);
    assert_eq!(
        app.number("SELECT CAST(SUM(amount) AS BIGINT) FROM refunds WHERE order_id = $1", order_id).await,
        cart.total
    );
    assert_eq!(get_order(&buyer, order_id).await.events.iter().filter(|e| e.note == "payment.refunded").count(), 1);
    // The buyer hears once that the money is back, in the cabinet (and by e-mail where configured).
    assert_eq!(
        app.number("SELECT COUNT(*) FROM notification_events WHERE kind = 'refund.done' AND order_id = $1", order_id)
            .await,
        1
    );
    eventually(
        &app,
        "SELECT COUNT(*) FROM notifications WHERE kind = 'refund_done' AND link LIKE '%/orders/' || $1",
        order_id,
        1,
    )
    .await;
    // Nothing is left to ask the provider for.
    assert_eq!(app.count("SELECT COUNT(*) FROM refunds WHERE external_id IS NULL").await, 0);

    // Another order cancelled unpaid, then paid on the page left open: the money goes back by itself,
    // and the order counts for loyalty neither way.
    let (late, late_link, late_cart) = online_order(&app, &buyer).await;
    let _: OrderDetail =
        buyer.call("move_order", &[("id", &late.to_string()), ("to", "cancelled"), ("note", "")]).await.unwrap();
    let before = accumulated(&app, late).await;
    let (body, signature) = sandbox.report(&external_id(&late_link), PaymentOutcome::Succeeded, late_cart.total);
    assert_eq!(webhook(&app, body, signature).await, 200);
    eventually(&app, "SELECT COUNT(*) FROM refunds WHERE order_id = $1 AND status = 'succeeded'", late, 1).await;
    let late_order = get_order(&buyer, late).await;
    assert_eq!(late_order.status, domain::status::OrderStatus::Cancelled);
    assert_eq!(late_order.refunds.iter().map(|r| r.amount).sum::<i64>(), late_cart.total);
    assert_eq!(accumulated(&app, late).await, before);
}
