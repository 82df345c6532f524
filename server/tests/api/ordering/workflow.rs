//! Ordering area: orders moving along their channel's workflow — buyers' cancellations with the
//! stock given back, the unpaid hold, the staff queue and staff moves — on both databases.

use app::error::AppError;
use app::model::{CheckoutOutcome, OrderDetail};
use domain::StatusMachine;
use domain::ordering::workflow::SalesChannel;
use domain::status::OrderStatus;

use crate::helpers::{Backend, DEMO_PASSWORD, add, checkout, spawn_app, stocked_at_pickup};

crate::on_both_backends!(
    buyers_cancel_before_assembly_and_the_stock_comes_back,
    cancelling_during_concurrent_checkouts_loses_no_unit,
    unpaid_online_orders_release_their_stock_after_the_hold,
    staff_work_the_orders_within_their_reach,
    buyers_and_staff_comment_and_internal_notes_stay_internal,
);

/// A pickup order of `quantity` of `product` at `point`, paid at pickup, by a signed-in `buyer`.
async fn pickup_order(buyer: &crate::helpers::Client, product: i64, point: i64, quantity: &str) -> CheckoutOutcome {
    let total = add(buyer, product, quantity).await.unwrap().total.to_string();
    let point = point.to_string();
    checkout(
        buyer,
        &[
            ("fulfilment", "pickup"),
            ("pickup_location_id", &point),
            ("delivery_address", ""),
            ("payment", "on_pickup"),
            ("comment", ""),
            ("expected_total", &total),
            ("guest_name", ""),
            ("guest_phone", ""),
        ],
    )
    .await
    .unwrap()
}

async fn stock_at(app: &crate::helpers::TestApp, product: i64, point: i64) -> i64 {
    app.number("SELECT quantity FROM stock WHERE product_id * 100000 + location_id = $1", product * 100_000 + point)
        .await
}

async fn move_to(c: &crate::helpers::Client, id: i64, to: &str, note: &str) -> Result<OrderDetail, (u16, AppError)> {
    c.call("move_order", &[("id", &id.to_string()), ("to", to), ("note", note)]).await
}

async fn buyers_cancel_before_assembly_and_the_stock_comes_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    let total_before = app.number("SELECT stock_total FROM products WHERE id = $1", product).await;
    let point_before = stock_at(&app, product, point).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = pickup_order(&buyer, product, point, "2").await else { panic!() };
    assert_eq!(stock_at(&app, product, point).await, point_before - 2000);
    let order: OrderDetail = buyer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!((order.channel, order.moves.clone()), (SalesChannel::Site, vec![OrderStatus::Cancelled]));

    // Moves that are not the buyer's, or not moves at all, are refused and change nothing.
    let staff_move = move_to(&buyer, order_id, "in_work", "").await.unwrap_err();
    assert_eq!(staff_move, (422, AppError::field("status", "status.role_not_allowed")));
    let jump = move_to(&buyer, order_id, "shipped", "").await.unwrap_err();
    assert_eq!(jump, (422, AppError::field("status", "status.transition_not_allowed")));
    let stranger = app.client();
    stranger.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(move_to(&stranger, order_id, "cancelled", "").await.unwrap_err().0, 404);

    // The buyer cancels: the units are back where they were taken from, in the same transaction.
    let cancelled = move_to(&buyer, order_id, "cancelled", "Передумал").await.unwrap();
    assert_eq!((cancelled.status, cancelled.moves.len()), (OrderStatus::Cancelled, 0));
    assert_eq!(
        cancelled.events.last().map(|e| (e.status, e.note.as_str())),
        Some((OrderStatus::Cancelled, "Передумал"))
    );
    assert_eq!(stock_at(&app, product, point).await, point_before);
    assert_eq!(app.number("SELECT stock_total FROM products WHERE id = $1", product).await, total_before);
    assert_eq!(app.number("SELECT COUNT(*) FROM stock_reservations WHERE order_id = $1", order_id).await, 0);
    let history =
        "SELECT COUNT(*) FROM order_events WHERE order_id = $1 AND previous_status = 'new' AND status = 'cancelled'";
    assert_eq!(app.number(history, order_id).await, 1);
    assert_eq!(
        app.number("SELECT COUNT(*) FROM audit_log WHERE action = 'order.status' AND entity_id = $1", order_id).await,
        1
    );
    // Twice is not a move.
    let again = move_to(&buyer, order_id, "cancelled", "").await.unwrap_err();
    assert_eq!(again, (422, AppError::field("status", "status.transition_not_allowed")));
    assert_eq!(stock_at(&app, product, point).await, point_before);

    // Once assembly has started, cancelling is the seller's (staff, with a reason).
    let CheckoutOutcome::Placed { order_id, .. } = pickup_order(&buyer, product, point, "1").await else { panic!() };
    app.exec("UPDATE orders SET status = 'awaiting_assembly' WHERE id = $1 AND $2 > 0", order_id, 1).await;
    let late = move_to(&buyer, order_id, "cancelled", "").await.unwrap_err();
    assert_eq!(late, (422, AppError::field("status", "status.role_not_allowed")));
    assert_eq!(app.number("SELECT COUNT(*) FROM stock_reservations WHERE order_id = $1", order_id).await, 1);

    // Dealers' orders are dealer requests.
    let dealer = app.client();
    dealer.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    let total = add(&dealer, product, "1").await.unwrap().total.to_string();
    let placed = crate::helpers::checkout_delivery(&dealer, "invoice", total.parse().unwrap()).await.unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = placed else { panic!("{placed:?}") };
    let order: OrderDetail = dealer.call("get_order", &[("id", &order_id.to_string())]).await.unwrap();
    assert_eq!(order.channel, SalesChannel::Dealer);
}

async fn cancelling_during_concurrent_checkouts_loses_no_unit(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    // Ten units in all, at one pickup point.
    app.exec("UPDATE stock SET quantity = 0 WHERE product_id = $1 AND location_id <> $2", product, point).await;
    app.exec("UPDATE stock SET quantity = 10000 WHERE product_id = $1 AND location_id = $2", product, point).await;
    app.exec("UPDATE products SET stock_total = 10000 WHERE id = $1 AND $2 > 0", product, 1).await;
    let first = app.client();
    first.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = pickup_order(&first, product, point, "6").await else { panic!() };
    // Eight buyers want 2 each (16) while the first cancels its 6: 4 + 6 = 10 can be sold.
    let mut buyers = Vec::new();
    for i in 0..8 {
        let c = app.client_from(&format!("10.2.0.{i}"));
        let _: String =
            c.register("Покупатель", &format!("+7916{:07}", 2_000_000 + i), "long-enough-password").await.unwrap();
        let total = add(&c, product, "2").await.unwrap().total;
        buyers.push((c, total));
    }
    let point_s = point.to_string();
    let mut tasks: Vec<tokio::task::JoinHandle<i64>> = buyers
        .into_iter()
        .map(|(c, total)| {
            let point_s = point_s.clone();
            tokio::spawn(async move {
                let total = total.to_string();
                let form = [
                    ("fulfilment", "pickup"),
                    ("pickup_location_id", point_s.as_str()),
                    ("delivery_address", ""),
                    ("payment", "on_pickup"),
                    ("comment", ""),
                    ("expected_total", total.as_str()),
                    ("guest_name", ""),
                    ("guest_phone", ""),
                ];
                match checkout(&c, &form).await.unwrap() {
                    CheckoutOutcome::Placed { .. } => 2000,
                    CheckoutOutcome::OutOfStock(_) => 0,
                    other => panic!("{other:?}"),
                }
            })
        })
        .collect();
    tasks.insert(
        4,
        tokio::spawn(async move {
            move_to(&first, order_id, "cancelled", "").await.unwrap();
            0
        }),
    );
    let mut sold = 0;
    for t in tasks {
        sold += t.await.unwrap();
    }
    let in_stock =
        app.number("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock WHERE product_id = $1", product).await;
    let reserved = app
        .number(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_reservations WHERE product_id = $1",
            product,
        )
        .await;
    // Every unit is either on the shelf or reserved by exactly one live order: none lost, none twice.
    assert_eq!(in_stock + reserved, 10000);
    assert_eq!(reserved, sold);
    assert_eq!(app.number("SELECT stock_total FROM products WHERE id = $1", product).await, in_stock);
    assert!(sold >= 4000, "at least the four never reserved were sold: {sold}");
    let live = "SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM order_lines l JOIN orders o ON o.id = l.order_id \
                WHERE l.product_id = $1 AND o.status <> 'cancelled'";
    assert_eq!(app.number(live, product).await, sold);
}

async fn unpaid_online_orders_release_their_stock_after_the_hold(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    let before = stock_at(&app, product, point).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let place = |payment: &'static str| {
        let buyer = &buyer;
        async move {
            let total = add(buyer, product, "1").await.unwrap().total.to_string();
            let point = point.to_string();
            let form = [
                ("fulfilment", "pickup"),
                ("pickup_location_id", point.as_str()),
                ("delivery_address", ""),
                ("payment", payment),
                ("comment", ""),
                ("expected_total", total.as_str()),
                ("guest_name", ""),
                ("guest_phone", ""),
            ];
            match checkout(buyer, &form).await.unwrap() {
                CheckoutOutcome::Placed { order_id, .. } => order_id,
                other => panic!("{other:?}"),
            }
        }
    };
    // Three orders: paid online but abandoned on the provider's page, paid online and paid, and
    // paid at pickup. The buyer is told how long the first is held.
    let abandoned = place("online").await;
    let paid = place("online").await;
    let at_pickup = place("on_pickup").await;
    assert_eq!(stock_at(&app, product, point).await, before - 3000);
    let order: OrderDetail = buyer.call("get_order", &[("id", &abandoned.to_string())]).await.unwrap();
    assert_eq!(order.hold_until, Some(order.created_at + chrono::Duration::minutes(30)));
    app.exec("UPDATE orders SET payment_status = 'paid' WHERE id = $1 AND $2 > 0", paid, 1).await;
    // Nothing happens within the hold…
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(stock_at(&app, product, point).await, before - 3000);
    // …and after it, the abandoned order is cancelled by the server, its stock back, its open
    // payment attempt closed; the others are untouched.
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    match &app.db {
        server::db::Db::Sqlite(p) => {
            sqlx::query("UPDATE orders SET created_at = $1").bind(an_hour_ago).execute(p).await.unwrap();
        }
        server::db::Db::Postgres(p) => {
            sqlx::query("UPDATE orders SET created_at = $1").bind(an_hour_ago).execute(p).await.unwrap();
        }
    }
    let mut waited = 0;
    while app.number("SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'cancelled'", abandoned).await == 0 {
        assert!(waited < 50, "the hold was not released");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(stock_at(&app, product, point).await, before - 2000);
    let order: OrderDetail = buyer.call("get_order", &[("id", &abandoned.to_string())]).await.unwrap();
    assert_eq!((order.status, order.hold_until, order.payable_online), (OrderStatus::Cancelled, None, false));
    assert_eq!(order.events.last().map(|e| (e.note.as_str(), e.by.clone())), Some(("order.unpaid_expired", None)));
    assert_eq!(
        app.number("SELECT COUNT(*) FROM payments WHERE order_id = $1 AND status = 'pending'", abandoned).await,
        0
    );
    // A payment that lands just before the release wins: a paid order is never cancelled by it.
    let late_payer = place("online").await;
    app.exec("UPDATE orders SET payment_status = 'paid' WHERE id = $1 AND $2 > 0", late_payer, 1).await;
    match &app.db {
        server::db::Db::Sqlite(p) => {
            sqlx::query("UPDATE orders SET created_at = $1").bind(an_hour_ago).execute(p).await.unwrap();
        }
        server::db::Db::Postgres(p) => {
            sqlx::query("UPDATE orders SET created_at = $1").bind(an_hour_ago).execute(p).await.unwrap();
        }
    }
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    for kept in [paid, at_pickup, late_payer] {
        assert_eq!(app.number("SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'new'", kept).await, 1);
    }
}

async fn staff_work_the_orders_within_their_reach(backend: Backend) {
    use app::model::OrderQueue;
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    // A wholesale client's order (its manager is the demo manager), a private person's, a dealer's
    // (another region, nobody's).
    let mut placed = Vec::new();
    for login in ["wholesale@demo.test", "retail@demo.test", "dealer@demo.test"] {
        let c = app.client();
        c.sign_in(login, DEMO_PASSWORD).await.unwrap();
        let outcome = if login.starts_with("retail") {
            pickup_order(&c, product, point, "1").await
        } else {
            let total = add(&c, product, "1").await.unwrap().total;
            crate::helpers::checkout_delivery(&c, "invoice", total).await.unwrap()
        };
        let CheckoutOutcome::Placed { order_id, .. } = outcome else { panic!("{login}: {outcome:?}") };
        placed.push((c, order_id));
    }
    let (wholesale, retail, dealer) = (placed[0].1, placed[1].1, placed[2].1);
    let queue = |c: &crate::helpers::Client, form: Vec<(&'static str, String)>| {
        let c = c.clone();
        async move {
            // `a.b` stands for a nested field: `filter[a][b]`.
            let fields: Vec<(String, String)> =
                form.into_iter().map(|(k, v)| (format!("filter[{}]", k.replace('.', "][")), v)).collect();
            let mut fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            fields.extend([("filter[who]", ""), ("filter[sort]", "newest"), ("filter[page]", "1")]);
            fields.sort_by_key(|(k, _)| *k);
            fields.dedup_by_key(|(k, _)| *k);
            c.call::<OrderQueue>("staff_orders", &fields).await
        }
    };
    let ids = |q: &OrderQueue| {
        let mut ids: Vec<i64> = q.rows.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids
    };
    let staff = |login: &'static str| {
        let c = app.client();
        async move {
            c.sign_in(login, DEMO_PASSWORD).await.unwrap();
            c
        }
    };
    let manager = staff("manager@demo.test").await;
    let head = staff("head@demo.test").await;
    let admin = staff("admin@demo.test").await;
    let cashier = staff("cashier@demo.test").await;
    // Reach: the manager's client and the persons; the head's region and the persons; everything.
    assert_eq!(ids(&queue(&manager, vec![]).await.unwrap()), vec![wholesale, retail]);
    assert_eq!(ids(&queue(&head, vec![]).await.unwrap()), vec![wholesale, retail]);
    assert_eq!(ids(&queue(&admin, vec![]).await.unwrap()), vec![wholesale, retail, dealer]);
    assert_eq!(queue(&cashier, vec![]).await.unwrap_err().0, 403);
    let outside: Result<OrderDetail, _> = manager.call("staff_order", &[("id", &dealer.to_string())]).await;
    assert_eq!(outside.unwrap_err().0, 404);
    // Filters: a part of the name, the number, the channel, the status, amounts; counts per status.
    let by_name = queue(&admin, vec![("who", "Строй".into())]).await.unwrap();
    assert_eq!(ids(&by_name), vec![wholesale]);
    assert_eq!(by_name.rows[0].manager.as_deref(), Some("Елена Смирнова"));
    assert_eq!(ids(&queue(&admin, vec![("number", retail.to_string())]).await.unwrap()), vec![retail]);
    assert_eq!(ids(&queue(&admin, vec![("channel", "dealer".into())]).await.unwrap()), vec![dealer]);
    let everything = queue(&admin, vec![("status", "new".into())]).await.unwrap();
    assert_eq!((everything.matching, everything.by_status.clone()), (3, vec![(OrderStatus::New, 3)]));
    let none = queue(&admin, vec![("min_total", "999999999999".into())]).await.unwrap();
    assert_eq!((none.matching, none.rows.len()), (0, 0));
    let bad = queue(&admin, vec![("min_total", "500".into()), ("max_total", "100".into())]).await.unwrap_err();
    assert_eq!(bad, (422, AppError::field("max_total", "queue.range")));
    // By responsible manager: the list offers those of the clients within reach.
    let all = queue(&admin, vec![]).await.unwrap();
    let (manager_id, manager_name) = all.managers.first().cloned().expect("the demo manager");
    assert_eq!((all.managers.len(), manager_name.as_str()), (1, "Елена Смирнова"));
    let theirs = queue(&admin, vec![("manager.user", manager_id.to_string())]).await.unwrap();
    assert_eq!(ids(&theirs), vec![wholesale]);
    assert_eq!(ids(&queue(&admin, vec![("manager", "nobody".into())]).await.unwrap()), vec![retail, dealer]);

    // The queue as a workbook: what the filter matches within reach, a row per order.
    let workbook = |c: &crate::helpers::Client, query: &'static str| {
        let c = c.clone();
        async move { c.get(&format!("/staff/orders.xlsx{query}")).await }
    };
    let rows_of = |bytes: &[u8]| {
        app::services::uploads::xlsx_rows(bytes, &app::services::uploads::ORDER_FILE).expect("a readable workbook")
    };
    let everything = workbook(&admin, "").await;
    assert_eq!(everything.status(), 200);
    let rows = rows_of(&everything.bytes().await.unwrap());
    assert_eq!(rows.len(), 4, "a header and three orders: {rows:?}");
    assert_eq!(rows[0][0], "Номер");
    let mine = rows_of(&workbook(&manager, "?channel=site").await.bytes().await.unwrap());
    let numbers: Vec<&str> = mine.iter().skip(1).map(|r| r[0].as_str()).collect();
    assert_eq!(numbers.len(), 2, "{mine:?}");
    assert!(!numbers.contains(&dealer.to_string().as_str()));
    let retail_user = app.client();
    retail_user.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(workbook(&retail_user, "").await.status(), 403);
    assert_eq!(workbook(&admin, "?min=500&max=100").await.status(), 422);

    // The manager works the client's order through to the end; the buyer sees every step.
    let step = |c: &crate::helpers::Client, to: &'static str, note: &'static str| {
        let c = c.clone();
        async move {
            c.call::<OrderDetail>("staff_move_order", &[("id", &wholesale.to_string()), ("to", to), ("note", note)])
                .await
        }
    };
    let order: OrderDetail = manager.call("staff_order", &[("id", &wholesale.to_string())]).await.unwrap();
    assert_eq!(order.moves, vec![OrderStatus::InWork, OrderStatus::AwaitingStock, OrderStatus::Cancelled]);
    assert_eq!(
        step(&manager, "shipped", "").await.unwrap_err().1.field_code("status"),
        Some("status.transition_not_allowed")
    );
    for to in ["in_work", "confirmed", "awaiting_assembly", "assembled"] {
        assert_eq!(step(&manager, to, "").await.unwrap().status.code(), to);
    }
    // Delivery orders are shipped, not made ready at a pickup point.
    let wrong = step(&manager, "ready_for_pickup", "").await.unwrap_err();
    assert_eq!(wrong, (422, AppError::field("status", "status.wrong_fulfilment")));
    assert_eq!(step(&manager, "shipped", "").await.unwrap().status, OrderStatus::Shipped);
    let buyer_view: OrderDetail = placed[0].0.call("get_order", &[("id", &wholesale.to_string())]).await.unwrap();
    assert_eq!(buyer_view.status, OrderStatus::Shipped);
    // Five moves after placing, and the shipment the move to "shipped" recorded (all of it).
    assert_eq!(buyer_view.events.len(), 7);
    assert_eq!(buyer_view.shipments.len(), 1);
    assert!(buyer_view.lines.iter().all(|l| l.shipped == l.quantity && l.picked == l.quantity));
    // Who did what: the client placed it, the manager moved it.
    assert_eq!(buyer_view.events[0].by, Some(("Олег Морозов".to_string(), domain::Role::WholesaleBuyer)));
    assert_eq!(buyer_view.events[6].by, Some(("Елена Смирнова".to_string(), domain::Role::SalesManager)));
    assert_eq!(step(&manager, "completed", "").await.unwrap().status, OrderStatus::Completed);

    // Staff cancel with a reason, which the buyer sees; the stock comes back.
    let before = stock_at(&app, product, point).await;
    let cancel = |c: &crate::helpers::Client, note: &'static str| {
        let c = c.clone();
        async move {
            c.call::<OrderDetail>(
                "staff_move_order",
                &[("id", &retail.to_string()), ("to", "cancelled"), ("note", note)],
            )
            .await
        }
    };
    assert_eq!(cancel(&head, "  ").await.unwrap_err(), (422, AppError::field("note", "status.reason_required")));
    let cancelled = cancel(&head, "Нет связи с покупателем").await.unwrap();
    assert_eq!(cancelled.events.last().map(|e| e.note.as_str()), Some("Нет связи с покупателем"));
    assert_eq!(stock_at(&app, product, point).await, before + 1000);
}

async fn buyers_and_staff_comment_and_internal_notes_stay_internal(backend: Backend) {
    let app = spawn_app(backend).await;
    let (product, point) = stocked_at_pickup(&app).await;
    let buyer = app.client();
    buyer.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    let CheckoutOutcome::Placed { order_id, .. } = pickup_order(&buyer, product, point, "1").await else { panic!() };
    let manager = app.client();
    manager.sign_in("manager@demo.test", DEMO_PASSWORD).await.unwrap();
    let id = order_id.to_string();
    let staff_says = |body: &'static str, for_buyer: &'static str| {
        let (manager, id) = (manager.clone(), id.clone());
        async move {
            manager
                .call::<OrderDetail>("staff_comment_order", &[("id", &id), ("body", body), ("for_buyer", for_buyer)])
                .await
        }
    };
    // Empty or too long is refused next to the field; nothing is stored.
    assert_eq!(staff_says("  ", "false").await.unwrap_err(), (422, AppError::field("body", "comment.empty")));
    let long = "я".repeat(2001);
    let refused: Result<OrderDetail, _> = buyer.call("comment_order", &[("id", &id), ("body", &long)]).await;
    assert_eq!(refused.unwrap_err(), (422, AppError::field("body", "comment.too_long")));
    // An internal note, a message for the buyer, the buyer's answer.
    staff_says("Клиент просил не звонить до 12:00", "false").await.unwrap();
    staff_says("Заказ соберём завтра утром", "true").await.unwrap();
    let answered: OrderDetail = buyer.call("comment_order", &[("id", &id), ("body", " Спасибо, жду! ")]).await.unwrap();
    let bodies = |o: &OrderDetail| o.comments.iter().map(|c| (c.body.clone(), c.for_buyer)).collect::<Vec<_>>();
    // The buyer never sees the internal note; staff see everything, in order, with who wrote it.
    assert_eq!(bodies(&answered), vec![("Заказ соберём завтра утром".into(), true), ("Спасибо, жду!".into(), true)]);
    let staff_view: OrderDetail = manager.call("staff_order", &[("id", &id)]).await.unwrap();
    assert_eq!(staff_view.comments.len(), 3);
    assert_eq!((staff_view.comments[0].for_buyer, staff_view.comments[0].by.1), (false, domain::Role::SalesManager));
    assert_eq!(staff_view.comments[2].by.1, domain::Role::RetailBuyer);
    // Not someone else's order; not the staff function for a buyer.
    let stranger = app.client();
    stranger.sign_in("wholesale@demo.test", DEMO_PASSWORD).await.unwrap();
    let theirs: Result<OrderDetail, _> = stranger.call("comment_order", &[("id", &id), ("body", "Привет")]).await;
    assert_eq!(theirs.unwrap_err().0, 404);
    let sneaky: Result<OrderDetail, _> =
        buyer.call("staff_comment_order", &[("id", &id), ("body", "внутреннее"), ("for_buyer", "false")]).await;
    assert_eq!(sneaky.unwrap_err().0, 403);
    assert_eq!(app.number("SELECT COUNT(*) FROM order_comments WHERE order_id = $1", order_id).await, 3);
    // Each side hears of the other's message (in the cabinet, and by e-mail where switched on);
    // nobody of the internal note.
    let to_buyer = "SELECT COUNT(*) FROM notifications n JOIN orders o ON o.buyer_user_id = n.user_id \
                    WHERE o.id = $1 AND n.kind = 'order_comment'";
    crate::helpers::eventually(&app, to_buyer, order_id, 1).await;
    let to_manager = "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
                      WHERE u.email = 'manager@demo.test' AND n.kind = 'order_comment_staff' AND $1 > 0";
    crate::helpers::eventually(&app, to_manager, order_id, 1).await;
    let note: String =
        app.text("SELECT body FROM notifications WHERE kind = 'order_comment_staff' AND $1 > 0", order_id).await;
    assert!(note.contains("Спасибо, жду!"), "{note}");
    assert_eq!(
        app.number("SELECT COUNT(*) FROM notification_events WHERE dispatched_at IS NULL AND $1 > 0", 1).await,
        0
    );
    assert_eq!(app.number(to_buyer, order_id).await, 1);
}
