//! Payments area: signed, idempotent provider webhooks, on both databases.

use app::model::{CheckoutOutcome, OrderDetail, PaymentStatus};
use app::ports::PaymentOutcome;
use server::integrations::sandbox_payments::Sandbox;

use crate::helpers::{Backend, DEMO_PASSWORD, add, checkout, spawn_app, stocked_at_pickup};

crate::on_both_backends!(payment_webhook_is_signed_and_idempotent,);

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
