//! Invoicing area: a channel that assembles invoice orders only once paid — the payment check in
//! the accountant's queue, due three banking days ahead; bank payments recorded against the invoice
//! (partial, repeated, over the rest, concurrent); the order moving on once paid; a cancelled
//! order's invoice void and no longer a debt; the switch backfilling and closing checks.

use app::error::AppError;
use app::model::{BankPaymentReply, ChannelSettings, CheckOutcome, OrderChange, OrderDetail, PaymentCheck};
use domain::ordering::PaymentStatus;
use domain::ordering::workflow::SalesChannel;
use domain::status::OrderStatus;

use crate::helpers::{Backend, Client, DEMO_PASSWORD, TestApp, add, checkout_delivery, eventually, spawn_app};

crate::on_both_backends!(
    assembly_waits_until_the_bank_payment_is_recorded,
    cancelled_orders_void_their_invoice_and_the_switch_backfills,
    unpaid_invoices_are_reminded_once_on_the_due_day_and_once_overdue,
);

async fn signed_in(app: &TestApp, login: &str) -> Client {
    let c = app.client();
    c.sign_in(login, DEMO_PASSWORD).await.unwrap();
    c
}

async fn prepay(admin: &Client, channel: &str, on: bool) -> Result<Vec<ChannelSettings>, (u16, AppError)> {
    admin.call("set_channel_prepay", &[("channel", channel), ("prepay", if on { "true" } else { "false" })]).await
}

/// A delivery order on the wholesale client's credit (paid by invoice).
async fn invoice_order(app: &TestApp, buyer: &Client) -> i64 {
    let product =
        app.number("SELECT id FROM products WHERE unit = 'pcs' AND stock_total >= $1 ORDER BY id LIMIT 1", 5_000).await;
    let cart = add(buyer, product, "2").await.unwrap();
    let outcome = checkout_delivery(buyer, "invoice", cart.total).await.unwrap();
    let app::model::CheckoutOutcome::Placed { order_id, .. } = outcome else { panic!("{outcome:?}") };
    order_id
}

async fn record(
    c: &Client,
    id: i64,
    amount: &str,
    paid_on: &str,
    document: &str,
) -> Result<BankPaymentReply, (u16, AppError)> {
    c.call(
        "record_bank_payment",
        &[("id", &id.to_string()), ("invoice", ""), ("amount", amount), ("paid_on", paid_on), ("document", document)],
    )
    .await
}

async fn staff_move(c: &Client, id: i64, to: &str, note: &str) -> Result<OrderDetail, (u16, AppError)> {
    c.call("staff_move_order", &[("id", &id.to_string()), ("to", to), ("note", note)]).await
}

async fn checks(c: &Client, open: bool) -> Vec<PaymentCheck> {
    c.call("payment_checks", &[("open", if open { "true" } else { "false" })]).await.unwrap()
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&domain::locale::moscow()).date_naive()
}

/// Roubles as typed in the form, from kopecks.
fn rub(kopecks: i64) -> String {
    format!("{},{:02}", kopecks / 100, kopecks % 100)
}

async fn assembly_waits_until_the_bank_payment_is_recorded(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = signed_in(&app, "admin@demo.test").await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let manager = signed_in(&app, "manager@demo.test").await;
    let head = signed_in(&app, "head@demo.test").await;
    // Only administrators switch a channel; a buyer cannot.
    assert_eq!(prepay(&buyer, "site", true).await.unwrap_err().0, 403);
    let settings = prepay(&admin, "site", true).await.unwrap();
    assert_eq!(
        settings.iter().map(|s| (s.channel, s.prepay)).collect::<Vec<_>>(),
        [
            (SalesChannel::Site, true),
            (SalesChannel::Manager, false),
            (SalesChannel::Shop, false),
            (SalesChannel::Dealer, false)
        ]
    );

    let id = invoice_order(&app, &buyer).await;
    let due = domain::invoicing::banking_days_after(today(), 3);
    let open = checks(&head, true).await;
    assert_eq!(open.iter().map(|c| (c.order_id, c.due_on, c.paid)).collect::<Vec<_>>(), [(id, due, 0)]);
    // The sales manager is not the accountant: no queue, no recording.
    assert_eq!(manager.call::<Vec<PaymentCheck>>("payment_checks", &[("open", "true")]).await.unwrap_err().0, 403);
    assert_eq!(record(&manager, id, "1", &today().to_string(), "1").await.unwrap_err().0, 403);

    // Confirmed, the order does not go to assembly until the invoice is paid.
    staff_move(&manager, id, "in_work", "").await.unwrap();
    let confirmed = staff_move(&manager, id, "confirmed", "").await.unwrap();
    assert!(!confirmed.moves.contains(&OrderStatus::AwaitingAssembly), "{:?}", confirmed.moves);
    assert_eq!(confirmed.invoices.first().and_then(|i| i.check_due), Some(due));
    let refused = staff_move(&manager, id, "awaiting_assembly", "").await.unwrap_err();
    assert_eq!(refused, (422, AppError::field("status", "status.unpaid")));
    let total = confirmed.total;
    let day = today().to_string();

    // Bad input is named field by field and records nothing.
    let bad = record(&head, id, &rub(total + 1), "2999-01-01", " ").await.unwrap_err();
    let AppError::Validation(fields) = bad.1 else { panic!("{bad:?}") };
    let fields: Vec<(&str, &str)> = fields.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
    assert_eq!(
        fields,
        [("amount", "invoice.overpaid"), ("paid_on", "invoice.date_future"), ("document", "invoice.document_missing")]
    );

    // Part of it: recorded once, however many times it is sent.
    let part = 100_000.min(total - 1);
    let first = record(&head, id, &rub(part), &day, "п/п 417").await.unwrap();
    assert!(!first.duplicate);
    let invoice = first.order.invoices.first().cloned().unwrap();
    assert_eq!((invoice.paid, invoice.payments.len(), first.order.payment_status), (part, 1, PaymentStatus::Unpaid));
    assert_eq!(invoice.payments[0].recorded_by, "Николай Фёдоров");
    let again = record(&head, id, &rub(part), &day, "  п/п   417 ").await.unwrap();
    assert!(again.duplicate);
    assert_eq!(again.order.invoices.first().map(|i| i.paid), Some(part));
    assert_eq!(
        first.order.events.last().map(|e| e.change.clone()),
        Some(OrderChange::Payment { amount: part, document: "п/п 417".into() })
    );
    assert_eq!(staff_move(&manager, id, "awaiting_assembly", "").await.unwrap_err().0, 422);

    // The rest, sent twice at once under two documents: one is recorded, the other finds nothing left.
    let rest = rub(total - part);
    let (a, b) = tokio::join!(record(&head, id, &rest, &day, "418"), record(&admin, id, &rest, &day, "419"));
    let outcomes = [&a, &b].map(|r| match r {
        Ok(reply) => Ok(reply.duplicate),
        Err((status, e)) => Err((*status, e.field_code("amount").map(str::to_string))),
    });
    assert!(outcomes.contains(&Ok(false)), "{outcomes:?}");
    assert!(
        outcomes.iter().any(|o| matches!(o, Err((409, Some(c))) if c == "invoice.changed")
            || matches!(o, Err((422, Some(c))) if c == "invoice.overpaid" || c == "invoice.settled")),
        "{outcomes:?}"
    );
    assert_eq!(app.number("SELECT paid FROM invoices WHERE order_id = $1", id).await, total);
    assert_eq!(app.number("SELECT COUNT(*) FROM invoice_payments WHERE amount > $1", 0).await, 2);

    // Paid in full: the order is paid, the check closed, and assembly may start.
    let paid: OrderDetail = manager.call("staff_order", &[("id", &id.to_string())]).await.unwrap();
    assert_eq!(paid.payment_status, PaymentStatus::Paid);
    assert!(paid.moves.contains(&OrderStatus::AwaitingAssembly));
    assert!(checks(&head, true).await.is_empty());
    let closed = checks(&head, false).await;
    assert_eq!(
        closed.iter().map(|c| (c.order_id, c.closed.map(|x| x.1))).collect::<Vec<_>>(),
        [(id, Some(CheckOutcome::Paid))]
    );
    staff_move(&manager, id, "awaiting_assembly", "").await.unwrap();
    // Staff download the invoice by their own address; a buyer cannot use it.
    let pdf = head.get(&format!("/staff/orders/{id}/invoice.pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(buyer.get(&format!("/staff/orders/{id}/invoice.pdf")).await.status(), 403);
    // Nothing is left to record; the buyer and the manager heard of the payments.
    let settled = record(&head, id, "1", &day, "420").await.unwrap_err();
    assert_eq!(settled, (422, AppError::field("amount", "invoice.settled")));
    assert_eq!(
        app.number("SELECT COUNT(*) FROM notification_events WHERE kind = 'payment.received' AND order_id = $1", id)
            .await,
        2
    );
}

async fn cancelled_orders_void_their_invoice_and_the_switch_backfills(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = signed_in(&app, "admin@demo.test").await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let head = signed_in(&app, "head@demo.test").await;
    let debt =
        || app.count("SELECT CAST(COALESCE(SUM(amount - paid), 0) AS BIGINT) FROM invoices WHERE cancelled_at IS NULL");

    // Placed while the channel does not wait: no check; switched on, the waiting order gets one.
    let waiting = invoice_order(&app, &buyer).await;
    assert!(checks(&head, true).await.is_empty());
    let settings = prepay(&admin, "site", true).await.unwrap();
    assert_eq!(settings[0].open_checks, 1);
    assert_eq!(checks(&head, true).await.iter().map(|c| c.order_id).collect::<Vec<_>>(), [waiting]);
    // Switched off, the check is closed as not needed; the order may go to assembly unpaid.
    prepay(&admin, "site", false).await.unwrap();
    let closed = checks(&head, false).await;
    assert_eq!(closed.first().map(|c| c.closed.map(|x| x.1)), Some(Some(CheckOutcome::NotNeeded)));
    let unpaid: OrderDetail = head.call("staff_order", &[("id", &waiting.to_string())]).await.unwrap();
    assert!(!unpaid.prepay && unpaid.invoices.first().is_some_and(|i| i.check_due.is_none()));

    // Cancelled: the invoice is void, no longer a debt, and takes no payment.
    prepay(&admin, "site", true).await.unwrap();
    let before = debt().await;
    let amount = app.number("SELECT amount FROM invoices WHERE order_id = $1", waiting).await;
    let cancelled = staff_move(&head, waiting, "cancelled", "Клиент отказался").await.unwrap();
    assert!(cancelled.invoices.first().is_some_and(|i| i.cancelled && i.outstanding() == 0));
    assert!(!cancelled.may_record_payment);
    assert_eq!(debt().await, before - amount);
    let refused = record(&head, waiting, "1", &today().to_string(), "1").await.unwrap_err();
    assert_eq!(refused, (422, AppError::field("invoice", "invoice.void")));
    let outcomes: Vec<_> = checks(&head, false).await.iter().map(|c| c.closed.map(|x| x.1)).collect();
    assert!(outcomes.contains(&Some(CheckOutcome::Cancelled)), "{outcomes:?}");
    assert!(checks(&head, true).await.is_empty());
    // A dealer's order is out of the head's region: not in the queue, not found.
    let dealer = signed_in(&app, "dealer@demo.test").await;
    prepay(&admin, "dealer", true).await.unwrap();
    let theirs = invoice_order(&app, &dealer).await;
    assert!(checks(&head, true).await.is_empty());
    assert_eq!(checks(&admin, true).await.iter().map(|c| c.order_id).collect::<Vec<_>>(), [theirs]);
    assert_eq!(record(&head, theirs, "1", &today().to_string(), "1").await.unwrap_err().0, 404);
    assert_eq!(head.get(&format!("/staff/orders/{theirs}/invoice.pdf")).await.status(), 404);
}

async fn unpaid_invoices_are_reminded_once_on_the_due_day_and_once_overdue(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let id = invoice_order(&app, &buyer).await;
    let events =
        "SELECT COUNT(*) FROM notification_events WHERE order_id = $1 AND kind IN ('payment.due', 'payment.overdue')";
    // Issued today with a 30-day deferral: nothing to remind of yet (the housekeeping runs every 0.5 s here).
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(app.number(events, id).await, 0);

    // Issued 30 days ago: due today. The buyer hears it once.
    let back = |days| today() - chrono::Days::new(days);
    app.exec_date("UPDATE invoices SET issued_on = $1 WHERE order_id = $2", back(30), id).await;
    eventually(
        &app,
        "SELECT COUNT(*) FROM notifications WHERE kind = 'payment_due' AND link LIKE '%/orders/' || $1",
        id,
        1,
    )
    .await;
    let body =
        app.text("SELECT body FROM notifications WHERE kind = 'payment_due' AND link LIKE '%/orders/' || $1", id).await;
    assert!(body.contains("Сегодня") && body.contains(&format!("-{id:06}")), "{body}");

    // A day later it is overdue: the buyer and the client's manager hear it, once.
    app.exec_date("UPDATE invoices SET issued_on = $1 WHERE order_id = $2", back(31), id).await;
    eventually(
        &app,
        "SELECT COUNT(*) FROM notifications WHERE kind = 'payment_overdue' AND link LIKE '%/orders/' || $1",
        id,
        1,
    )
    .await;
    eventually(
        &app,
        "SELECT COUNT(*) FROM notifications WHERE kind = 'payment_overdue_staff' AND link LIKE '%/staff/orders/' || $1",
        id,
        1,
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(app.number(events, id).await, 2);
    assert_eq!(
        app.number(
            "SELECT COUNT(*) FROM notifications WHERE link LIKE '%/orders/' || $1 AND kind LIKE 'payment_%'",
            id
        )
        .await,
        3
    );
}
