//! Notifications area: events of orders and payments reach the buyer and the client's manager in
//! the cabinet and by e-mail through a real SMTP server; templates, switches and personal choices;
//! retries, the dead state and the administrator's retry; a restart and two servers sending
//! nothing twice — on both databases.

use app::error::AppError;
use app::model::{CheckoutOutcome, NotificationList, OutboxPage, Preference, TemplateEdit};

use crate::helpers::{
    Backend, Client, DEMO_PASSWORD, SmtpSink, TestApp, add, checkout_delivery, eventually, spawn_app_with,
    stocked_at_pickup,
};

crate::on_both_backends!(
    order_events_reach_the_buyer_and_the_manager_in_the_cabinet_and_by_email,
    templates_switches_and_personal_choices_decide_what_is_sent,
    failed_deliveries_are_retried_then_dead_until_the_administrator_retries,
    a_restart_and_two_servers_send_each_message_once,
    an_order_over_the_limit_asks_the_head_and_the_decision_reaches_manager_and_buyer,
);

async fn signed_in(app: &TestApp, login: &str) -> Client {
    let c = app.client();
    c.sign_in(login, DEMO_PASSWORD).await.unwrap();
    c
}

/// A wholesale order on invoice by the demo wholesale buyer (the demo manager's client).
async fn wholesale_order(app: &TestApp, buyer: &Client) -> i64 {
    let (product, _) = stocked_at_pickup(app).await;
    let total = add(buyer, product, "1").await.unwrap().total;
    match checkout_delivery(buyer, "invoice", total).await.unwrap() {
        CheckoutOutcome::Placed { order_id, .. } => order_id,
        other => panic!("not placed: {other:?}"),
    }
}

async fn notifications(c: &Client) -> NotificationList {
    c.call("list_notifications", &[]).await.unwrap()
}

const SENT: &str = "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND sent_at IS NOT NULL AND id > $1";

async fn order_events_reach_the_buyer_and_the_manager_in_the_cabinet_and_by_email(backend: Backend) {
    let smtp = SmtpSink::start(&[]).await;
    let app = spawn_app_with(backend, |c| c.smtp = Some(smtp.config())).await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let manager = signed_in(&app, "manager@demo.test").await;
    let order = wholesale_order(&app, &buyer).await;
    // The buyer's confirmation and the manager's new order, in Russian, with links.
    let mail = smtp.wait_for("wholesale@demo.test", &format!("Заказ №{order} принят")).await;
    let text = mail["text"].as_str().unwrap();
    assert!(text.starts_with("Олег Морозов, здравствуйте!"), "{text}");
    assert!(text.contains(&format!("http://kabinet.test/orders/{order}")), "{text}");
    assert_eq!(mail["from"], "kabinet@kabinet.test");
    assert!(mail["messageId"].as_str().unwrap().starts_with("<event."), "{mail}");
    let staff = smtp.wait_for("manager@demo.test", &format!("Новый заказ №{order}")).await;
    assert!(staff["text"].as_str().unwrap().contains(&format!("/staff/orders/{order}")));
    // Nobody else of the staff hears of a client with a manager.
    assert!(smtp.received().iter().all(|m| m["to"][0] != "head@demo.test" && m["to"][0] != "admin@demo.test"));
    // In the cabinet: one unread notification each; the link opens the order.
    let list = notifications(&buyer).await;
    assert_eq!(list.unread, 1);
    assert_eq!(list.items[0].link.as_deref(), Some(format!("http://kabinet.test/orders/{order}").as_str()));
    assert_eq!(notifications(&manager).await.unread, 1);
    // The manager confirms: the buyer hears the status, the manager (who made the move) does not.
    let moved: Result<app::model::OrderDetail, _> =
        manager.call("staff_move_order", &[("id", &order.to_string()), ("to", "in_work"), ("note", "")]).await;
    moved.unwrap();
    let status = smtp.wait_for("wholesale@demo.test", &format!("Заказ №{order}: В работе")).await;
    assert!(status["text"].as_str().unwrap().contains("Статус вашего заказа"), "{status}");
    eventually(&app, "SELECT COUNT(*) FROM notifications WHERE user_id = (SELECT id FROM users WHERE email = 'wholesale@demo.test') AND id > $1", 0, 2).await;
    assert_eq!(notifications(&manager).await.unread, 1);
    // Marking read: one, then all.
    let list = notifications(&buyer).await;
    let unread: i64 = buyer.call("mark_notifications_read", &[("id", &list.items[0].id.to_string())]).await.unwrap();
    assert_eq!(unread, 1);
    let unread: i64 = buyer.call("mark_notifications_read", &[]).await.unwrap();
    assert_eq!(unread, 0);
    // Someone else's notification cannot be marked read through its id.
    let theirs = notifications(&manager).await.items[0].id;
    let _: i64 = buyer.call("mark_notifications_read", &[("id", &theirs.to_string())]).await.unwrap();
    assert_eq!(notifications(&manager).await.unread, 1);
    // Each event made each message once, however often the dispatcher ran.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 3, "{:?}", smtp.received());
    // The live bell: a guest is refused; a signed-in person gets their unread count at once.
    assert_eq!(app.client().get("/events/notifications").await.status(), 401);
    let mut stream = manager.get("/events/notifications").await;
    assert_eq!(stream.status(), 200);
    let first =
        tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk()).await.unwrap().unwrap().unwrap();
    assert_eq!(String::from_utf8_lossy(&first).trim(), "event: unread\ndata: 1");
}

async fn templates_switches_and_personal_choices_decide_what_is_sent(backend: Backend) {
    let smtp = SmtpSink::start(&[]).await;
    let app = spawn_app_with(backend, |c| c.smtp = Some(smtp.config())).await;
    let admin = signed_in(&app, "admin@demo.test").await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let save = |c: &Client, subject: &str, body: &str| {
        let (c, subject, body) = (c.clone(), subject.to_string(), body.to_string());
        async move {
            let form = [
                ("notice", "order_placed"),
                ("locale", "ru"),
                ("subject", subject.as_str()),
                ("body", body.as_str()),
                ("sms", "Заказ {{order}}"),
            ];
            c.call::<TemplateEdit>("save_notice_template", &form).await
        }
    };
    // An unknown placeholder or an unclosed one is refused next to its field; nothing is saved.
    let (status, error) = save(&admin, "Заказ {{order}}", "Сумма {{amount}}").await.unwrap_err();
    assert_eq!(status, 422);
    let AppError::Validation(fields) = error else { panic!("{error:?}") };
    assert_eq!((fields[0].field.as_str(), fields[0].code.as_str()), ("body", "template.unknown_placeholder"));
    let (_, error) = save(&admin, "Заказ {{order", "ok").await.unwrap_err();
    assert!(matches!(&error, AppError::Validation(f) if f[0].field == "subject" && f[0].code == "template.unclosed"));
    // Only the administrator edits templates.
    assert_eq!(save(&buyer, "Заказ {{order}}", "x").await.unwrap_err().0, 403);
    let saved = save(&admin, "Ваш заказ {{order}} у нас", "Спасибо, {{name}}! Сумма: {{total}}.").await.unwrap();
    assert!(saved.customised);
    // The buyer turns off e-mails about statuses; security notices cannot be turned off.
    let prefs: Vec<Preference> = buyer.call("notification_preferences", &[]).await.unwrap();
    assert!(prefs.iter().any(|p| p.notice == domain::notifications::Notice::OrderStatus && p.wanted.email));
    let off = [("notice", "order_status"), ("channel", "email"), ("on", "false")];
    buyer.call::<()>("set_notification_preference", &off).await.unwrap();
    let security = [("notice", "password_reset"), ("channel", "email"), ("on", "false")];
    assert_eq!(buyer.call::<()>("set_notification_preference", &security).await.unwrap_err().0, 422);
    let bogus = [("notice", "no_such_notice"), ("channel", "email"), ("on", "false")];
    assert_eq!(buyer.call::<()>("set_notification_preference", &bogus).await.unwrap_err().0, 422);
    // The administrator switches the manager's new-order e-mails off for everyone.
    let switch = [("notice", "order_new"), ("channel", "email"), ("on", "false")];
    admin.call::<()>("switch_notice_channel", &switch).await.unwrap();
    let order = wholesale_order(&app, &buyer).await;
    let mail = smtp.wait_for("wholesale@demo.test", &format!("Ваш заказ {order} у нас")).await;
    assert_eq!(
        mail["text"].as_str().unwrap().trim(),
        format!("Спасибо, Олег Морозов! Сумма: {}.", money(&app, order).await)
    );
    let manager = signed_in(&app, "manager@demo.test").await;
    let moved: Result<app::model::OrderDetail, _> =
        manager.call("staff_move_order", &[("id", &order.to_string()), ("to", "in_work"), ("note", "")]).await;
    moved.unwrap();
    // The status is in the buyer's cabinet, not in their mail; the manager got no e-mail.
    eventually(&app, "SELECT COUNT(*) FROM notification_events WHERE dispatched_at IS NULL AND id > $1", 0, 0).await;
    let list = notifications(&buyer).await;
    assert_eq!(list.items.len(), 2);
    assert!(list.items[0].title.contains("В работе"), "{:?}", list.items[0]);
    assert_eq!(notifications(&manager).await.unread, 1);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let to: Vec<String> = smtp.received().iter().map(|m| m["to"][0].as_str().unwrap().to_string()).collect();
    assert_eq!(to, ["wholesale@demo.test"], "{:?}", smtp.received());
    // Back to the built-in template.
    let reset: TemplateEdit =
        admin.call("reset_notice_template", &[("notice", "order_placed"), ("locale", "ru")]).await.unwrap();
    assert!(!reset.customised);
    assert_eq!(reset.template.subject, "Заказ №{{order}} принят");
}

/// The order's total as the buyer's e-mail writes it.
async fn money(app: &TestApp, order: i64) -> String {
    let total = app.number("SELECT total FROM orders WHERE id = $1", order).await;
    app::components::format::money(domain::Locale::Ru, total)
}

async fn failed_deliveries_are_retried_then_dead_until_the_administrator_retries(backend: Backend) {
    // The server answers "try later" to the first six messages it gets.
    let smtp = SmtpSink::start(&["--fail", "6"]).await;
    let app = spawn_app_with(backend, |c| c.smtp = Some(smtp.config())).await;
    let admin = signed_in(&app, "admin@demo.test").await;
    let target = app.number("SELECT id FROM users WHERE role = 'head' AND id > $1", 0).await;
    let _: app::model::LinkRecorded =
        admin.call("admin_reset_password", &[("user_id", &target.to_string())]).await.unwrap();
    let id = app.number("SELECT MAX(id) FROM outbox WHERE id > $1", 0).await;
    // Each failure waits longer; time is moved on here instead of waited for.
    for attempt in 1..=6 {
        let settled = "SELECT CAST(CASE WHEN claimed_until IS NULL THEN attempts ELSE -1 END AS BIGINT) FROM outbox WHERE id = $1";
        eventually(&app, settled, id, attempt).await;
        if attempt < 6 {
            let due = app.number("SELECT COUNT(*) FROM outbox WHERE id = $1 AND next_attempt_at IS NOT NULL", id).await;
            assert_eq!(due, 1, "attempt {attempt} is followed by a later one");
            app.exec("UPDATE outbox SET next_attempt_at = NULL WHERE id = $1 AND attempts = $2", id, attempt).await;
        }
    }
    eventually(&app, "SELECT COUNT(*) FROM outbox WHERE id = $1 AND dead_at IS NOT NULL", id, 1).await;
    let page: OutboxPage = admin.call("outbox_messages", &[("view", "dead")]).await.unwrap();
    assert_eq!(page.items[0].id, id);
    assert!(page.items[0].last_error.as_deref().unwrap_or_default().contains("451"), "{:?}", page.items[0]);
    assert_eq!(page.counts[2], 1);
    assert!(smtp.received().is_empty());
    // Only the administrator retries; a message that is not dead cannot be.
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    assert_eq!(buyer.call::<()>("retry_message", &[("id", &id.to_string())]).await.unwrap_err().0, 403);
    admin.call::<()>("retry_message", &[("id", &id.to_string())]).await.unwrap();
    smtp.wait_for("head@demo.test", "Сброс пароля").await;
    assert_eq!(admin.call::<()>("retry_message", &[("id", &id.to_string())]).await.unwrap_err().0, 404);
    eventually(&app, "SELECT COUNT(*) FROM outbox WHERE id = $1 AND sent_at IS NOT NULL AND via = 'smtp'", id, 1).await;
}

async fn a_restart_and_two_servers_send_each_message_once(backend: Backend) {
    // A slow mail server: each message takes a while, so a stop lands in the middle of one.
    let smtp = SmtpSink::start(&["--delay-ms", "400"]).await;
    let mut app = spawn_app_with(backend, |c| c.smtp = Some(smtp.config())).await;
    let admin = signed_in(&app, "admin@demo.test").await;
    let before = app.number("SELECT COALESCE(MAX(id), 0) FROM outbox WHERE id > $1", 0).await;
    // More messages than one server sends at once.
    let users = app.count("SELECT MAX(id) FROM users").await;
    for target in (1..=users).chain(1..=users) {
        let _: Result<app::model::LinkRecorded, _> =
            admin.call("admin_reset_password", &[("user_id", &target.to_string())]).await;
    }
    let queued = app.number("SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND id > $1", before).await;
    assert!(queued >= 20, "{queued} messages");
    // Stop while the first ones are being sent: they are finished and recorded, the rest wait.
    eventually(
        &app,
        "SELECT COUNT(*) FROM (SELECT 1 AS one FROM outbox WHERE channel = 'email' AND id > $1 \
         AND claimed_until IS NOT NULL AND sent_at IS NULL LIMIT 1) claimed",
        before,
        1,
    )
    .await;
    app.workers.take().expect("running").stop().await;
    let sent_by_first = app.number(SENT, before).await;
    assert!(sent_by_first >= 1 && sent_by_first < queued, "{sent_by_first} of {queued}");
    assert_eq!(app.number("SELECT COUNT(*) FROM outbox WHERE id > $1 AND claimed_until IS NOT NULL", before).await, 0);
    // Two servers take over the same database at once.
    let second = app.another_server().await;
    let third = app.another_server().await;
    eventually(&app, SENT, before, queued).await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let received = smtp.received();
    let mut ids: Vec<&str> = received.iter().map(|m| m["messageId"].as_str().unwrap()).collect();
    assert_eq!(ids.len() as i64, queued, "every message arrived once: {received:?}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as i64, queued, "no message arrived twice");
    second.stop().await;
    third.stop().await;
}

async fn an_order_over_the_limit_asks_the_head_and_the_decision_reaches_manager_and_buyer(backend: Backend) {
    let smtp = SmtpSink::start(&[]).await;
    let app = spawn_app_with(backend, |c| c.smtp = Some(smtp.config())).await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let head = signed_in(&app, "head@demo.test").await;
    // 70 000 ₽ of credit left: three of the dearest boilers go over it.
    let big = app
        .number(
            "SELECT id FROM products WHERE category_id = (SELECT id FROM categories WHERE slug = 'boilers') \
             AND stock_total >= $1 ORDER BY price_wholesale DESC LIMIT 1",
            6000,
        )
        .await;
    let over_limit = |buyer: Client| async move {
        let cart = add(&buyer, big, "3").await.unwrap();
        let shortfall = cart.credit.expect("credit shown").shortfall;
        match checkout_delivery(&buyer, "invoice", cart.total).await.unwrap() {
            CheckoutOutcome::Placed { order_id, .. } => (order_id, shortfall),
            other => panic!("not placed: {other:?}"),
        }
    };
    let (order, shortfall) = over_limit(buyer.clone()).await;
    // The region's head is asked, with the overrun and the staff link; the buyer and the manager
    // hear of the placed order as always.
    let ask = smtp.wait_for("head@demo.test", &format!("Согласуйте заказ №{order}: ООО «СтройМонтаж»")).await;
    let text = ask["text"].as_str().unwrap();
    assert!(text.contains(&app::components::format::money(domain::Locale::Ru, shortfall)), "{text}");
    assert!(text.contains(&format!("http://kabinet.test/staff/orders/{order}")), "{text}");
    smtp.wait_for("manager@demo.test", &format!("Новый заказ №{order}")).await;
    assert_eq!(notifications(&head).await.items[0].title, format!("Согласуйте заказ №{order}: ООО «СтройМонтаж»"));
    // Approved: the buyer and the manager are told so (not a bare "status: new").
    let approve = [("id", order.to_string()), ("to", "new".to_string()), ("note", String::new())];
    let approve: Vec<(&str, &str)> = approve.iter().map(|(k, v)| (*k, v.as_str())).collect();
    head.call::<app::model::OrderDetail>("staff_move_order", &approve).await.unwrap();
    let approved = smtp.wait_for("wholesale@demo.test", &format!("Заказ №{order} согласован")).await;
    assert!(approved["text"].as_str().unwrap().contains(&format!("http://kabinet.test/orders/{order}")));
    let staff = smtp.wait_for("manager@demo.test", &format!("Заказ №{order} согласован")).await;
    assert!(staff["text"].as_str().unwrap().contains(&format!("http://kabinet.test/staff/orders/{order}")));
    // Rejected, with the head's reason.
    let (second, _) = over_limit(buyer.clone()).await;
    smtp.wait_for("head@demo.test", &format!("Согласуйте заказ №{second}: ООО «СтройМонтаж»")).await;
    let reject =
        [("id", second.to_string()), ("to", "cancelled".to_string()), ("note", "Сначала погасите долг".to_string())];
    let reject: Vec<(&str, &str)> = reject.iter().map(|(k, v)| (*k, v.as_str())).collect();
    head.call::<app::model::OrderDetail>("staff_move_order", &reject).await.unwrap();
    let rejected = smtp.wait_for("wholesale@demo.test", &format!("Заказ №{second} не согласован")).await;
    assert!(rejected["text"].as_str().unwrap().contains("Причина: Сначала погасите долг"), "{rejected}");
    smtp.wait_for("manager@demo.test", &format!("Заказ №{second} не согласован")).await;
    // Nothing else: no plain status messages for these moves, the head is not told of their own.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let subjects: Vec<String> = smtp.received().iter().map(|m| m["subject"].as_str().unwrap().to_string()).collect();
    assert!(!subjects.iter().any(|s| s.contains(": Новый") || s.contains(": Отменён")), "{subjects:?}");
    let to_head = smtp.received().iter().filter(|m| m["to"][0] == "head@demo.test").count();
    assert_eq!(to_head, 2, "{subjects:?}");
}

/// A certificate authority and a server certificate for 127.0.0.1 signed by it (openssl), in `dir`:
/// `ca.pem`, `server.key`, `server.pem`.
fn certificates(dir: &std::path::Path) {
    let openssl = |args: &[&str]| {
        let done = std::process::Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
        assert!(done.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&done.stderr));
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Kabinet test CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
}

/// STARTTLS with a login, as a submission server on port 587 asks: the server's certificate is
/// signed by the company's own CA (`KABINET_SMTP_CA_FILE`); without that CA the connection is
/// refused and the message waits with the reason. The database does not matter here: SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_over_starttls_with_a_login() {
    let dir = std::env::temp_dir().join(format!("kabinet-tls-{}", crate::helpers::random_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    certificates(&dir);
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let args = [
        "--tls-key",
        &path("server.key"),
        "--tls-cert",
        &path("server.pem"),
        "--user",
        "kabinet",
        "--password",
        "секрет-1",
    ];
    let smtp = SmtpSink::start(&args).await;
    let ca = std::fs::read(dir.join("ca.pem")).unwrap();
    let tls = |c: &mut server::config::Config, ca: Option<Vec<u8>>| {
        let mut config = smtp.config();
        config.tls = server::config::SmtpTls::StartTls;
        config.user = Some("kabinet".into());
        config.password = Some("секрет-1".into());
        config.ca_pem = ca;
        c.smtp = Some(config);
    };
    // Without the company's CA the server's certificate is not trusted: nothing is sent, and the
    // delivery queue says why.
    let untrusting = spawn_app_with(Backend::Sqlite, |c| tls(c, None)).await;
    let buyer = signed_in(&untrusting, "wholesale@demo.test").await;
    wholesale_order(&untrusting, &buyer).await;
    eventually(&untrusting, "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL AND id > $1", 0, 2).await;
    let refused = "SELECT COUNT(*) FROM outbox WHERE last_error LIKE '%certificate%' AND id > $1";
    assert!(untrusting.number(refused, 0).await > 0, "the certificate is the reason");
    assert!(smtp.received().is_empty());
    // With it: upgraded, logged in, delivered.
    let app = spawn_app_with(Backend::Sqlite, |c| tls(c, Some(ca))).await;
    let buyer = signed_in(&app, "wholesale@demo.test").await;
    let order = wholesale_order(&app, &buyer).await;
    let mail = smtp.wait_for("wholesale@demo.test", &format!("Заказ №{order} принят")).await;
    assert_eq!((mail["secure"].as_bool(), mail["user"].as_str()), (Some(true), Some("kabinet")), "{mail}");
    assert!(mail["text"].as_str().unwrap().starts_with("Олег Морозов, здравствуйте!"));
    let _ = std::fs::remove_dir_all(&dir);
}
