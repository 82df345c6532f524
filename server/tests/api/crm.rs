//! CRM area: a head gives a client its responsible manager from one of its orders — only a sales
//! manager of the client's region, only within the head's region — and the new manager is told by
//! e-mail and in the cabinet; on both databases.

use app::model::{CheckoutOutcome, ClientManager, OrderDetail};

use crate::helpers::{
    Backend, Client, DEMO_PASSWORD, SmtpSink, TestApp, add, checkout_delivery, spawn_app_with, stocked_at_pickup,
};

crate::on_both_backends!(a_head_assigns_the_clients_manager_who_is_told,);

async fn signed_in(app: &TestApp, login: &str) -> Client {
    let c = app.client();
    c.sign_in(login, DEMO_PASSWORD).await.unwrap();
    c
}

async fn order_of(app: &TestApp, login: &str) -> i64 {
    let buyer = signed_in(app, login).await;
    let (product, _) = stocked_at_pickup(app).await;
    let total = add(&buyer, product, "1").await.unwrap().total;
    match checkout_delivery(&buyer, "invoice", total).await.unwrap() {
        CheckoutOutcome::Placed { order_id, .. } => order_id,
        other => panic!("not placed: {other:?}"),
    }
}

async fn assign(c: &Client, order: i64, manager: i64) -> Result<ClientManager, (u16, app::error::AppError)> {
    c.call("assign_manager", &[("id", &order.to_string()), ("manager", &manager.to_string())]).await
}

async fn a_head_assigns_the_clients_manager_who_is_told(backend: Backend) {
    let smtp = SmtpSink::start(&[]).await;
    let app = spawn_app_with(backend, |c| c.smtp = Some(smtp.config())).await;
    let order = order_of(&app, "wholesale@demo.test").await;
    let head = signed_in(&app, "head@demo.test").await;
    let manager = signed_in(&app, "manager@demo.test").await;
    let manager_id = app.number("SELECT id FROM users WHERE email = 'manager@demo.test' AND $1 > 0", 1).await;
    let head_id = app.number("SELECT id FROM users WHERE email = 'head@demo.test' AND $1 > 0", 1).await;

    // The head sees the client's manager and the region's managers to choose from; a manager does not.
    let seen: OrderDetail = head.call("staff_order", &[("id", &order.to_string())]).await.unwrap();
    let client = seen.client_manager.expect("the head may assign");
    assert_eq!(client.client, "ООО «СтройМонтаж»");
    assert_eq!(client.manager.as_ref().map(|m| m.0), Some(manager_id));
    assert!(client.choices.iter().any(|(id, _)| *id == manager_id));
    assert!(!client.choices.iter().any(|(id, _)| *id == head_id), "only sales managers");
    let theirs: OrderDetail = manager.call("staff_order", &[("id", &order.to_string())]).await.unwrap();
    assert!(theirs.client_manager.is_none());
    assert_eq!(assign(&manager, order, 0).await.unwrap_err().0, 403);

    // Not a sales manager of the region: refused next to the field, nothing changes.
    let (status, error) = assign(&head, order, head_id).await.unwrap_err();
    assert_eq!((status, error.field_code("manager")), (422, Some("crm.manager_unknown")));
    // Nobody, then the manager again: only the new assignment is told, to the manager.
    assert!(assign(&head, order, 0).await.unwrap().manager.is_none());
    let now = assign(&head, order, manager_id).await.unwrap();
    assert_eq!(now.manager.map(|m| m.0), Some(manager_id));
    let mail = smtp.wait_for("manager@demo.test", "Вы — ответственный менеджер клиента ООО «СтройМонтаж»").await;
    assert!(mail["text"].as_str().unwrap().contains(&format!("http://kabinet.test/staff/orders/{order}")), "{mail}");
    let changes = "SELECT COUNT(*) FROM audit_log WHERE action = 'crm.assign_manager' AND actor_user_id = $1";
    assert_eq!(app.number(changes, head_id).await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM notification_events WHERE kind = 'crm.manager_assigned'").await, 1);

    // A dealer of another region is outside this head's reach.
    let theirs = order_of(&app, "dealer@demo.test").await;
    assert_eq!(assign(&head, theirs, manager_id).await.unwrap_err().0, 404);
}
