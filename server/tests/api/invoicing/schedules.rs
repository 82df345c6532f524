//! Invoicing area: a manager's payment schedule (seed 001) — bad rows refused at their field, the
//! order's invoice replaced by one per instalment adding up to the total, each with its own due
//! day and PDF; an overdue instalment blocking the client's credit; the manager's payment task on
//! the due day, closed with a note; instalments paid one by one until the order is paid; a schedule
//! locked once something was paid — on both databases.

use app::error::AppError;
use app::model::{BankPaymentReply, CheckoutOutcome, OrderChange, OrderDetail, PaymentTask, TaskOutcome};
use domain::ordering::PaymentStatus;

use crate::helpers::{Backend, Client, DEMO_PASSWORD, TestApp, add, checkout_delivery, eventually, spawn_app};

crate::on_both_backends!(a_manager_splits_an_order_into_instalments_followed_to_the_last_payment,);

async fn signed_in(app: &TestApp, login: &str) -> Client {
    let c = app.client();
    c.sign_in(login, DEMO_PASSWORD).await.unwrap();
    c
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&domain::locale::moscow()).date_naive()
}

async fn schedule(c: &Client, id: i64, plan: &str) -> Result<OrderDetail, (u16, AppError)> {
    c.call("set_payment_schedule", &[("id", &id.to_string()), ("plan", plan)]).await
}

async fn tasks(c: &Client, open: bool) -> Vec<PaymentTask> {
    c.call("payment_tasks", &[("open", if open { "true" } else { "false" })]).await.unwrap()
}

async fn pay(c: &Client, id: i64, invoice: &str, amount: i64, document: &str) -> BankPaymentReply {
    let amount = format!("{},{:02}", amount / 100, amount % 100);
    let today = today().to_string();
    let form = [
        ("id", id.to_string()),
        ("invoice", invoice.into()),
        ("amount", amount),
        ("paid_on", today),
        ("document", document.into()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.call("record_bank_payment", &form).await.unwrap()
}

fn fields(error: &AppError) -> Vec<(String, String)> {
    match error {
        AppError::Validation(f) => f.iter().map(|e| (e.field.clone(), e.code.clone())).collect(),
        AppError::Conflict(e) => vec![(e.field.clone(), e.code.clone())],
        other => panic!("{other:?}"),
    }
}

async fn a_manager_splits_an_order_into_instalments_followed_to_the_last_payment(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let manager = signed_in(&app, "manager@demo.test").await;
    let head = signed_in(&app, "head@demo.test").await;
    let product =
        app.number("SELECT id FROM products WHERE unit = 'pcs' AND stock_total >= $1 ORDER BY id LIMIT 1", 5_000).await;
    let cart = add(&buyer, product, "3").await.unwrap();
    let CheckoutOutcome::Placed { order_id: id, .. } = checkout_delivery(&buyer, "invoice", cart.total).await.unwrap()
    else {
        panic!("not placed")
    };
    let order: OrderDetail = manager.call("staff_order", &[("id", &id.to_string())]).await.unwrap();
    assert!(order.may_schedule);
    assert_eq!(order.invoices.len(), 1);
    let single = order.invoices[0].clone();
    assert_eq!(single.due_on, single.issued_on + chrono::Days::new(30), "the client's deferral");
    let total = order.total;
    let day = |n: u64| (today() + chrono::Days::new(n)).to_string();

    // Every bad row is refused at its field; the percentages must make 100 %; nothing changes.
    let (status, error) = schedule(&manager, id, "2020-01-01;50%\n2026-13-01;abc").await.unwrap_err();
    assert_eq!(status, 422);
    assert_eq!(
        fields(&error),
        [
            ("due.0".into(), "schedule.date_past".into()),
            ("due.1".into(), "schedule.date".into()),
            ("share.1".into(), "money.malformed".into())
        ]
    );
    let (_, error) = schedule(&manager, id, &format!("{};50 %\n{};40 %", day(5), day(35))).await.unwrap_err();
    assert_eq!(fields(&error), [("plan".into(), "schedule.percents_not_100".into())]);
    let (_, error) = schedule(&manager, id, "").await.unwrap_err();
    assert_eq!(fields(&error), [("plan".into(), "schedule.empty".into())]);
    let many: String = (0..13).map(|k| format!("{};1\n", day(k + 1))).collect();
    let (_, error) = schedule(&manager, id, &many).await.unwrap_err();
    assert_eq!(fields(&error), [("plan".into(), "schedule.too_many".into())]);
    let (status, error) = schedule(&manager, id, &"2027-01-01;1\n".repeat(1000)).await.unwrap_err();
    assert_eq!((status, fields(&error)), (422, vec![("plan".into(), "schedule.too_many".into())]));
    // Buyers do not set schedules.
    assert_eq!(schedule(&buyer, id, &format!("{};100%", day(5))).await.unwrap_err().0, 403);

    // 1 000 ₽ today, then the rest split 30 / 70 %: three invoices adding up to the total.
    let plan = format!("{};1 000\n{};30 %\n{};70%", day(0), day(31), day(61));
    let order = schedule(&manager, id, &plan).await.unwrap();
    let parts: Vec<(String, i64, Option<u32>)> =
        order.invoices.iter().map(|i| (i.number.clone(), i.amount, i.instalment)).collect();
    let rest = total - 100_000;
    let third = (rest * 30 + 50) / 100;
    let base = &single.number;
    assert_eq!(
        parts,
        [
            (format!("{base}-1"), 100_000, Some(1)),
            (format!("{base}-2"), third, Some(2)),
            (format!("{base}-3"), rest - third, Some(3))
        ]
    );
    assert_eq!(order.invoices.iter().map(|i| i.amount).sum::<i64>(), total);
    assert_eq!(order.invoices[1].due_on.to_string(), day(31));
    // The one due today is the manager's to follow from now on.
    let due_now = tasks(&manager, true).await;
    assert_eq!((due_now.len(), due_now[0].invoice.clone()), (1, format!("{}-1", single.number)));
    // The timeline tells the schedule before and after; the buyer sees the three invoices.
    let entry = order.events.iter().find_map(|e| match &e.change {
        OrderChange::Schedule { before, after } => Some((before.clone(), after.clone())),
        _ => None,
    });
    let (before, after) = entry.expect("a schedule entry");
    assert_eq!(before, [(single.due_on, total)]);
    assert_eq!(after.len(), 3);
    let seen: OrderDetail = buyer.call("get_order", &[("id", &id.to_string())]).await.unwrap();
    assert_eq!(seen.invoices.len(), 3);
    assert!(!seen.may_schedule);
    // Each instalment has its own PDF, asking for its own part.
    let pdf = buyer.get(&format!("/orders/{id}/invoice.pdf?invoice={base}-2")).await;
    assert_eq!(pdf.status(), 200);
    let rows = super::pdf_rows(&pdf.bytes().await.unwrap());
    assert_eq!(super::printed_after(&rows, "К оплате (платёж 2):"), third);
    assert_eq!(super::printed_after(&rows, "Итого:"), total);
    assert_eq!(buyer.get(&format!("/orders/{id}/invoice.pdf?invoice=2026-000000")).await.status(), 404);
    // A second schedule replaces the first while nothing is paid.
    let order = schedule(&manager, id, &format!("{};50%\n{};50%", day(1), day(31))).await.unwrap();
    assert_eq!(order.invoices.len(), 2);
    assert_eq!(order.invoices.iter().map(|i| i.amount).sum::<i64>(), total);
    let first = order.invoices[0].number.clone();
    let second = order.invoices[1].clone();
    assert!(tasks(&manager, true).await.is_empty(), "the replaced instalment's task went with it");

    // The first instalment falls due 10 days ago (grace 5 days): the client's credit is blocked by it.
    let ten_ago = today() - chrono::Days::new(10);
    app.exec_date("UPDATE invoices SET due_on = $1 WHERE order_id = $2 AND instalment = 1", ten_ago, id).await;
    let again = add(&buyer, product, "1").await.unwrap();
    let blocked = checkout_delivery(&buyer, "invoice", again.total).await.unwrap();
    let CheckoutOutcome::CreditBlocked(check) = blocked else { panic!("{blocked:?}") };
    assert_eq!(check.max_days_overdue, 10);

    // The housekeeping gives the client's manager a task for it (and the head sees it in the region).
    eventually(
        &app,
        "SELECT COUNT(*) FROM payment_tasks t JOIN invoices i ON i.id = t.invoice_id WHERE i.order_id = $1",
        id,
        1,
    )
    .await;
    let open = tasks(&manager, true).await;
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].order_id, open[0].invoice.as_str(), open[0].instalment), (id, first.as_str(), Some((1, 2))));
    assert_eq!(open[0].due_on, ten_ago);
    assert_eq!(tasks(&head, true).await.len(), 1);
    assert_eq!(buyer.call::<Vec<PaymentTask>>("payment_tasks", &[("open", "true")]).await.unwrap_err().0, 403);
    // Closed with what was agreed; a note is required; closing twice is a conflict.
    let close = |c: Client, note: &'static str| {
        let task = open[0].id.to_string();
        async move { c.call::<()>("close_payment_task", &[("id", task.as_str()), ("note", note)]).await }
    };
    let (_, error) = close(manager.clone(), "  ").await.unwrap_err();
    assert_eq!(fields(&error), [("note".into(), "task.note_missing".into())]);
    close(manager.clone(), "Клиент оплатит до пятницы").await.unwrap();
    assert_eq!(close(manager.clone(), "ещё раз").await.unwrap_err().0, 409);
    let done = tasks(&manager, false).await;
    let closed = done[0].closed.clone().unwrap();
    assert_eq!((closed.outcome, closed.note.as_str()), (TaskOutcome::Done, "Клиент оплатит до пятницы"));
    assert!(tasks(&manager, true).await.is_empty());

    // The head records the first instalment: the order is not paid yet, and the schedule is locked.
    let reply = pay(&head, id, &first, order.invoices[0].amount, "п/п 101").await;
    assert!(!reply.duplicate);
    assert_eq!(reply.order.payment_status, PaymentStatus::Unpaid);
    assert_eq!(reply.order.invoices[0].outstanding(), 0);
    let (status, error) = schedule(&manager, id, &format!("{};100%", day(3))).await.unwrap_err();
    assert_eq!((status, fields(&error)), (422, vec![("plan".into(), "schedule.locked".into())]));
    // The second instalment's task opens on its day and closes by itself when it is paid.
    app.exec_date("UPDATE invoices SET due_on = $1 WHERE order_id = $2 AND instalment = 2", today(), id).await;
    let yesterday = today() - chrono::Days::new(1);
    app.exec_date("UPDATE invoices SET issued_on = $1 WHERE order_id = $2 AND instalment = 2", yesterday, id).await;
    eventually(
        &app,
        "SELECT COUNT(*) FROM payment_tasks t JOIN invoices i ON i.id = t.invoice_id WHERE i.order_id = $1",
        id,
        2,
    )
    .await;
    let reply = pay(&head, id, &second.number, second.amount, "п/п 102").await;
    assert_eq!(reply.order.payment_status, PaymentStatus::Paid);
    assert!(tasks(&manager, true).await.is_empty());
    let outcomes: Vec<TaskOutcome> =
        tasks(&manager, false).await.iter().filter_map(|t| t.closed.as_ref().map(|c| c.outcome)).collect();
    assert_eq!(outcomes, [TaskOutcome::Paid, TaskOutcome::Done]);
}
