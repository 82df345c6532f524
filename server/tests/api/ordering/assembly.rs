//! Ordering area: the warehouse picks an order line by line and ships it in parts — what leaves
//! stops being held, a partly shipped order is no longer cancelled, the order moves on by itself
//! when all is picked or gone, every change is in the timeline, the buyer follows it live — and
//! concurrent shipments never send more than was picked; on both databases.

use app::error::AppError;
use app::model::{CheckoutOutcome, OrderChange, OrderDetail, Via};
use domain::StatusMachine;
use domain::status::OrderStatus;

use crate::helpers::{Backend, Client, DEMO_PASSWORD, TestApp, add, checkout_delivery, spawn_app};

crate::on_both_backends!(the_warehouse_picks_and_ships_in_parts, concurrent_shipments_never_ship_more_than_picked,);

async fn signed_in(app: &TestApp, login: &str) -> Client {
    let c = app.client();
    c.sign_in(login, DEMO_PASSWORD).await.unwrap();
    c
}

/// Two pieces products with stock in a warehouse, the wholesale client's delivery order of
/// 3 + 2 of them, and the manager's moves up to "awaiting assembly".
async fn order_awaiting_assembly(app: &TestApp, buyer: &Client, manager: &Client) -> (i64, [i64; 2]) {
    let pick = |offset: i64| {
        app.number(
            "SELECT p.id FROM products p WHERE p.active AND p.unit = 'pcs' AND p.price_wholesale > 0 \
             AND (SELECT SUM(quantity) FROM stock s WHERE s.product_id = p.id) >= 10000 ORDER BY p.price_wholesale, p.id LIMIT 1 OFFSET $1",
            offset,
        )
    };
    let products = [pick(0).await, pick(1).await];
    add(buyer, products[0], "3").await.unwrap();
    let total = add(buyer, products[1], "2").await.unwrap().total;
    let placed = checkout_delivery(buyer, "invoice", total).await.unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = placed else { panic!("not placed: {placed:?}") };
    let new: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(new.status, OrderStatus::New, "within the credit limit");
    for to in ["in_work", "confirmed", "awaiting_assembly"] {
        let moved: OrderDetail =
            manager.call("staff_move_order", &[("id", &order_id.to_string()), ("to", to), ("note", "")]).await.unwrap();
        assert_eq!(moved.status.code(), to);
    }
    (order_id, products)
}

async fn record(c: &Client, what: &str, id: i64, typed: &[&str], note: &str) -> Result<OrderDetail, (u16, AppError)> {
    let field = if what == "record_picks" { "picked" } else { "amounts" };
    let names: Vec<String> = (0..typed.len()).map(|i| format!("{field}[{i}]")).collect();
    let id = id.to_string();
    let mut form: Vec<(&str, &str)> = vec![("id", id.as_str())];
    form.extend(names.iter().map(String::as_str).zip(typed.iter().copied()));
    if what == "record_shipment" {
        form.push(("note", note));
    }
    c.call(what, &form).await
}

async fn held(app: &TestApp, order: i64) -> i64 {
    app.number("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_reservations WHERE order_id = $1", order)
        .await
}

/// Reads a server-sent event stream until a `progress` event whose data holds `needle` (each
/// change may come as its own event, or several as one); answers that data.
async fn progress_with(stream: &mut reqwest::Response, needle: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await;
        let chunk = chunk.unwrap_or_else(|_| panic!("no progress with {needle} in {seen}")).unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
        let found = seen.split("\n\n").filter(|e| e.starts_with("event: progress\n")).find_map(|e| {
            let data = e.lines().find_map(|l| l.strip_prefix("data: "))?;
            data.contains(needle).then(|| data.to_string())
        });
        if let Some(data) = found {
            return data;
        }
    }
}

async fn the_warehouse_picks_and_ships_in_parts(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let manager = signed_in(&app, "manager@demo.test").await;
    let (id, _) = order_awaiting_assembly(&app, &buyer, &manager).await;
    assert_eq!(held(&app, id).await, 5000);

    // Buyers and cashiers do not record assembly; the buyer's live page starts with where it stands.
    assert_eq!(record(&buyer, "record_picks", id, &["1", "0"], "").await.unwrap_err().0, 403);
    assert_eq!(
        record(&signed_in(&app, "cashier@demo.test").await, "record_picks", id, &["1", "0"], "").await.unwrap_err().0,
        403
    );
    let stranger = signed_in(&app, "dealer@demo.test").await;
    assert_eq!(stranger.get(&format!("/events/orders/{id}")).await.status(), 404);
    assert_eq!(manager.get(&format!("/events/orders/{id}")).await.status(), 403);
    let mut live = buyer.get(&format!("/events/orders/{id}")).await;
    assert_eq!(live.status(), 200);
    progress_with(&mut live, r#""status":"awaiting_assembly""#).await;

    // Nothing leaves before it is picked; bad quantities are refused next to their line, nothing stored.
    let early = record(&manager, "record_shipment", id, &["1", ""], "").await.unwrap_err();
    assert_eq!(early, (422, AppError::field("line-0", "shipment.not_picked")));
    let bad = record(&manager, "record_picks", id, &["4", "1,5"], "").await.unwrap_err();
    assert_eq!(bad.0, 422, "{bad:?}");
    assert_eq!(bad.1.field_code("line-0"), Some("assembly.over_ordered"), "{bad:?}");
    assert_eq!(bad.1.field_code("line-1"), Some("quantity.fraction_not_allowed"));
    let typo = record(&manager, "record_picks", id, &["два", "-1"], "").await.unwrap_err();
    assert_eq!(
        (typo.1.field_code("line-0"), typo.1.field_code("line-1")),
        (Some("quantity.malformed"), Some("quantity.negative"))
    );
    let short = record(&manager, "record_picks", id, &["1"], "").await.unwrap_err();
    assert_eq!(short, (422, AppError::field("assembly", "assembly.lines_changed")));
    assert_eq!(app.number("SELECT CAST(SUM(picked) AS BIGINT) FROM order_lines WHERE order_id = $1", id).await, 0);

    // Picking in part, then a first shipment of what is picked (with its waybill).
    let picked = record(&manager, "record_picks", id, &["2", ""], "").await.unwrap();
    assert_eq!(
        (picked.status, picked.lines[0].picked, picked.lines[1].picked),
        (OrderStatus::AwaitingAssembly, 2000, 0)
    );
    let entry = picked.events.last().unwrap();
    assert_eq!(entry.change, OrderChange::Picked { line: 0, before: 0, after: 2000 });
    assert_eq!((entry.via, entry.by.as_ref().map(|b| b.0.as_str())), (Some(Via::Staff), Some("Елена Смирнова")));
    // Two of three of the first line's value, of the order's.
    let (a, b) = (picked.lines[0].total as f64, picked.lines[1].total as f64);
    let expected = (a * 2.0 / 3.0 * 100.0 / (a + b)).floor() as i64;
    assert!((picked.progress().shares.picked as i64 - expected).abs() <= 1, "{:?} vs {expected}", picked.progress());
    let first = record(&manager, "record_shipment", id, &["2", "0"], "ТН-1").await.unwrap();
    assert_eq!((first.lines[0].shipped, first.lines[1].shipped), (2000, 0));
    assert_eq!(first.shipments.len(), 1);
    assert_eq!((first.shipments[0].number, first.shipments[0].lines.clone()), (1, vec![(0, 2000)]));
    assert_eq!(first.shipments[0].note, "ТН-1");
    assert!(matches!(first.events.last().unwrap().change, OrderChange::Shipment { number: 1 }));
    // What left is no longer held; the rest still is.
    assert_eq!(held(&app, id).await, 3000);
    let shares = first.progress().shares;
    assert!(shares.shipped > 0 && shares.shipped < 100, "{shares:?}");
    assert_eq!((shares.lines_shipped, shares.lines), (0, 2));
    // The buyer is told part of the order left (the rest follows)…
    let told = "SELECT COUNT(*) FROM notifications n JOIN orders o ON o.buyer_user_id = n.user_id \
                WHERE o.id = $1 AND n.kind = 'order_shipment'";
    crate::helpers::eventually(&app, told, id, 1).await;
    // …and their open page hears of it.
    progress_with(&mut live, &format!(r#""shipped":{},"lines_shipped":0"#, shares.shipped)).await;

    // A partly shipped order is not cancelled; picking is not corrected below what left.
    let cancel = manager
        .call::<OrderDetail>("staff_move_order", &[("id", &id.to_string()), ("to", "cancelled"), ("note", "Отказ")])
        .await
        .unwrap_err();
    assert_eq!(cancel, (422, AppError::field("status", "status.partly_shipped")));
    assert!(!first.moves.contains(&OrderStatus::Cancelled));
    let below = record(&manager, "record_picks", id, &["1", "0"], "").await.unwrap_err();
    assert_eq!(below, (422, AppError::field("line-0", "assembly.below_shipped")));

    // All picked: the order is assembled by itself, and picking is closed.
    let assembled = record(&manager, "record_picks", id, &["3", "2"], "").await.unwrap();
    assert_eq!(assembled.status, OrderStatus::Assembled);
    let moved = assembled.events.last().unwrap();
    assert_eq!(
        (moved.status, moved.change.clone()),
        (OrderStatus::Assembled, OrderChange::Status { previous: Some(OrderStatus::AwaitingAssembly) })
    );
    let closed = record(&manager, "record_picks", id, &["3", "2"], "").await.unwrap_err();
    assert_eq!(closed, (422, AppError::field("assembly", "assembly.not_now")));
    assert_eq!(
        record(&manager, "record_shipment", id, &["0", ""], "").await.unwrap_err(),
        (422, AppError::field("assembly", "shipment.empty"))
    );

    // The rest leaves: the order is shipped by itself, nothing is held, the buyer sees it all.
    let shipped = record(&manager, "record_shipment", id, &["1", "2"], "").await.unwrap();
    assert_eq!(shipped.status, OrderStatus::Shipped);
    assert_eq!(held(&app, id).await, 0);
    let seen: OrderDetail = buyer.call("get_order", &[("id", &id.to_string())]).await.unwrap();
    assert_eq!(seen.progress().shares.shipped, 100);
    assert_eq!(
        seen.shipments.iter().map(|s| s.lines.clone()).collect::<Vec<_>>(),
        vec![vec![(0, 2000)], vec![(0, 1000), (1, 2000)]]
    );
    // The history answers who did what, where: the client placed it in their cabinet.
    assert_eq!(seen.events[0].change, OrderChange::Status { previous: None });
    assert_eq!(
        (seen.events[0].via, seen.events[0].by.clone().map(|b| b.1)),
        (Some(Via::Cabinet), Some(domain::Role::WholesaleBuyer))
    );
    assert!(seen.events.iter().all(|e| e.via.is_some()));
    let kinds: Vec<&str> = seen
        .events
        .iter()
        .map(|e| match e.change {
            OrderChange::Status { .. } => "status",
            OrderChange::Picked { .. } => "picked",
            OrderChange::Shipment { .. } => "shipment",
            OrderChange::Payment { .. } => "payment",
            OrderChange::Schedule { .. } => "schedule",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "status", "status", "status", "status", "picked", "shipment", "picked", "picked", "status", "shipment",
            "status"
        ]
    );
    let last = progress_with(&mut live, r#""status":"shipped""#).await;
    assert!(last.contains(r#""shipped":100"#), "{last}");
}

async fn concurrent_shipments_never_ship_more_than_picked(backend: Backend) {
    let app = spawn_app(backend).await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let manager = signed_in(&app, "manager@demo.test").await;
    let head = signed_in(&app, "head@demo.test").await;
    let (id, _) = order_awaiting_assembly(&app, &buyer, &manager).await;
    record(&manager, "record_picks", id, &["2", "0"], "").await.unwrap();
    // Six shipments of one unit at once from two people, with two units picked.
    let tries = (0..6).map(|i| {
        let c = if i % 2 == 0 { manager.clone() } else { head.clone() };
        async move { record(&c, "record_shipment", id, &["1", "0"], "").await }
    });
    let results = futures_util::future::join_all(tries).await;
    let ok = results.iter().filter(|r| r.is_ok()).count() as i64;
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(matches!(refused.0, 409 | 422), "{refused:?}");
    }
    assert!((1..=2).contains(&ok), "{results:?}");
    let shipped = app.number("SELECT CAST(SUM(shipped) AS BIGINT) FROM order_lines WHERE order_id = $1", id).await;
    let in_shipments = app
        .number(
            "SELECT CAST(COALESCE(SUM(sl.quantity), 0) AS BIGINT) FROM order_shipment_lines sl \
             JOIN order_shipments s ON s.id = sl.shipment_id WHERE s.order_id = $1",
            id,
        )
        .await;
    assert_eq!((shipped, in_shipments), (ok * 1000, ok * 1000));
    assert_eq!(app.number("SELECT COUNT(*) FROM order_shipments WHERE order_id = $1", id).await, ok);
    assert_eq!(held(&app, id).await, 5000 - ok * 1000);
}
