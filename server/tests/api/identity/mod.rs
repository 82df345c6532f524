//! Identity area: sign-in and throttling, sessions, registration, profiles, one-time password
//! links and user administration, on both databases.

use app::error::AppError;
use app::model::{LinkRecorded, OrganisationSummary, UserSummary};
use domain::{OrgKind, Role};

use crate::helpers::{Backend, DEMO_PASSWORD, location, spawn_app};

mod phone;

crate::on_both_backends!(
    health_check_reaches_the_database,
    every_demo_role_signs_in_and_sees_itself,
    phone_logins_are_normalised,
    wrong_passwords_are_slowed_down_per_account_and_per_address,
    sessions_rotate_on_sign_in_and_end_on_sign_out,
    sign_out_everywhere_ends_other_devices,
    registration_validates_and_signs_the_buyer_in,
    password_change_keeps_this_device_and_ends_others,
    language_is_remembered,
    profile_changes_are_validated_and_audited,
    admin_invites_a_user_who_sets_a_password_once,
    admin_resets_a_password_without_seeing_it,
    registrations_and_links_are_limited_per_address,
);

async fn health_check_reaches_the_database(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app.client().get("/healthz").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("x-request-id"));
    assert_eq!(r.text().await.unwrap(), "ok");
}

async fn every_demo_role_signs_in_and_sees_itself(backend: Backend) {
    let app = spawn_app(backend).await;
    for (login, name, role) in server::db::demo::DEMO_USERS {
        let c = app.client();
        assert_eq!(c.sign_in(login, DEMO_PASSWORD).await, Ok("/home".to_string()), "{login}");
        let me = c.me().await.expect("signed in");
        assert_eq!((me.name.as_str(), me.role), (*name, *role));
        assert_eq!(me.org_kind, role.org_kind());
        let page = c.get("/home").await;
        assert_eq!(page.status(), 200, "{login} /home on {}", app.backend);
        assert!(page.text().await.unwrap().contains(*name));
    }
}

async fn phone_logins_are_normalised(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    // The first demo user has phone +79000000001.
    for spelling in ["+7 (900) 000-00-01", "8 900 000 00 01", "9000000001"] {
        assert_eq!(c.sign_in(spelling, DEMO_PASSWORD).await, Ok("/home".into()), "{spelling}");
    }
    let err = c.sign_in("8 900 000", DEMO_PASSWORD).await.unwrap_err();
    assert_eq!(err, (422, AppError::field("identifier", "phone.wrong_length")));
}

async fn wrong_passwords_are_slowed_down_per_account_and_per_address(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client_from("10.1.1.1");
    for _ in 0..4 {
        assert_eq!(
            c.sign_in("head@demo.test", "not-the-password").await,
            Err((422, AppError::field("form", "login.invalid")))
        );
    }
    let fifth = c.sign_in("head@demo.test", "not-the-password").await.unwrap_err();
    assert!(matches!(fifth, (429, AppError::TooManyAttempts { seconds }) if seconds > 0 && seconds <= 30), "{fifth:?}");
    // The guessing address is held back on this account: even the right password waits.
    assert!(matches!(c.sign_in("head@demo.test", DEMO_PASSWORD).await, Err((429, _))));
    // The owner, from their own address, is not locked out, and is told what happened (once).
    let owner = app.client_from("10.2.2.2");
    assert!(owner.sign_in("head@demo.test", DEMO_PASSWORD).await.is_ok());
    let notice = app.last_message_to("head@demo.test").await;
    assert!(notice.contains("10.1.1.1") && notice.contains("смените пароль"), "{notice}");
    let notices = app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'head@demo.test'").await;
    let elsewhere = app.client_from("10.4.4.4");
    for _ in 0..6 {
        let _ = elsewhere.sign_in("head@demo.test", "still-not-it").await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE recipient = 'head@demo.test'").await,
        notices,
        "at most one notice an hour"
    );
    // Other accounts are not affected.
    assert!(c.sign_in("cashier@demo.test", DEMO_PASSWORD).await.is_ok());

    // One address guessing across many accounts is slowed down too.
    let guesser = app.client_from("10.3.3.3");
    let mut refused = None;
    for i in 0..40 {
        let login = format!("nobody{i}@demo.test");
        if let Err((429, e)) = guesser.sign_in(&login, "guess-guess").await {
            refused = Some((i, e));
            break;
        }
    }
    let (after, _) = refused.expect("the address is throttled");
    assert_eq!(after, 29, "30 free failures per address");
    // The message is a sentence for the person.
    let msg = AppError::TooManyAttempts { seconds: 90 }.message(domain::Locale::Ru);
    assert!(msg.contains("2 мин"), "{msg}");
}

async fn sessions_rotate_on_sign_in_and_end_on_sign_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    let r = c.post_form("/auth/login", &[("identifier", "retail@demo.test"), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/home");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("kabinet_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    // Signing in again from the same browser replaces the session instead of adding one.
    c.sign_in("retail@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    let sessions: Vec<app::model::SessionInfo> = c.call("list_sessions", &[]).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].current);

    let r = c.post_form("/auth/logout", &[]).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/login".to_string()));
    assert_eq!(c.me().await, None);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'session.sign_out'").await >= 1);
}

async fn sign_out_everywhere_ends_other_devices(backend: Backend) {
    let app = spawn_app(backend).await;
    let (phone, laptop) = (app.client(), app.client());
    phone.sign_in("manager@demo.test", DEMO_PASSWORD).await.unwrap();
    laptop.sign_in("manager@demo.test", DEMO_PASSWORD).await.unwrap();
    let n: u64 = laptop.call("sign_out_everywhere", &[]).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(phone.me().await, None);
    assert_eq!(laptop.me().await, None);
}

async fn registration_validates_and_signs_the_buyer_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    let bad = c
        .call::<String>("register", &[("name", "  "), ("phone", "12345"), ("code", ""), ("password", "short")])
        .await
        .unwrap_err();
    assert_eq!(bad.0, 422);
    for (field, code) in [
        ("name", "name.empty"),
        ("phone", "phone.wrong_length"),
        ("code", "code.missing"),
        ("password", "password.too_short"),
    ] {
        assert_eq!(bad.1.field_code(field), Some(code));
    }
    let ok: String = c.register("Пётр Иванов", "8 (912) 555-44-33", "тёплый-пол-2026").await.unwrap();
    assert_eq!(ok, "/home");
    let me = c.me().await.expect("signed in after registration");
    assert_eq!((me.role, me.phone.as_deref()), (Role::RetailBuyer, Some("+79125554433")));
    assert_eq!(me.organisation, "Пётр Иванов");
    // The sandbox recorded the SMS it did not send.
    let texts = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '+79125554433' AND sent_at IS NOT NULL",
        )
        .await;
    assert_eq!(texts, 1);

    // Asking for a code answers alike for a registered number and a new one.
    let other = app.client();
    let known: app::model::CodeSent = other.call("send_phone_code", &[("phone", "+7 912 555 44 33")]).await.unwrap();
    let unknown: app::model::CodeSent = other.call("send_phone_code", &[("phone", "+7 912 555 44 34")]).await.unwrap();
    assert_eq!((known.minutes, known.sandbox_code.is_some()), (unknown.minutes, unknown.sandbox_code.is_some()));
    assert_eq!(known.phone, "+79125554433");
    // Only with the number's code does one learn that it has an account (the same phone in
    // another spelling is the same person).
    let code = known.sandbox_code.unwrap();
    let again = other
        .call::<String>(
            "register",
            &[("name", "Другой"), ("phone", "+7 912 555 44 33"), ("code", &code), ("password", "another-pass-1")],
        )
        .await
        .unwrap_err();
    assert_eq!(again.0, 409);
    assert_eq!(again.1.field_code("phone"), Some("phone.taken"));
    // Nothing already stored was changed by the refused attempt.
    assert!(app.client().sign_in("89125554433", "тёплый-пол-2026").await.is_ok());

    // Without JavaScript the form posts and comes back with the errors and the typed values.
    let r = app
        .client()
        .post_form(
            "/auth/register",
            &[("name", "Анна"), ("phone", "abc"), ("code", "123456"), ("password", "long-enough-1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.starts_with("/register?error=phone%3Aphone.invalid_characters"), "{to}");
    assert!(to.contains("&name=%D0%90%D0%BD%D0%BD%D0%B0"), "{to}");
    // ... and "get a code" comes back to the form with the number it went to.
    let r = app.client().post_form("/auth/phone-code", &[("name", "Анна"), ("phone", "8 912 777 66 55")]).await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.starts_with("/register?name=%D0%90%D0%BD%D0%BD%D0%B0&phone=8%20912%20777%2066%2055&sent=%2B79127776655&minutes=10&sandbox="), "{to}");
}

async fn password_change_keeps_this_device_and_ends_others(backend: Backend) {
    let app = spawn_app(backend).await;
    let (here, there) = (app.client(), app.client());
    here.sign_in("supplier@demo.test", DEMO_PASSWORD).await.unwrap();
    there.sign_in("supplier@demo.test", DEMO_PASSWORD).await.unwrap();
    let wrong = here
        .call::<()>(
            "change_password",
            &[("current", "nope-nope"), ("new", "new-secret-42"), ("confirm", "new-secret-42")],
        )
        .await
        .unwrap_err();
    assert_eq!(wrong, (422, AppError::field("current", "password.wrong")));
    let mismatch = here
        .call::<()>(
            "change_password",
            &[("current", DEMO_PASSWORD), ("new", "new-secret-42"), ("confirm", "new-secret-43")],
        )
        .await
        .unwrap_err();
    assert_eq!(mismatch, (422, AppError::field("confirm", "password.mismatch")));
    let weak = here
        .call::<()>("change_password", &[("current", DEMO_PASSWORD), ("new", "12345678"), ("confirm", "12345678")])
        .await
        .unwrap_err();
    assert_eq!(weak, (422, AppError::field("new", "password.too_common")));
    here.call::<()>(
        "change_password",
        &[("current", DEMO_PASSWORD), ("new", "new-secret-42"), ("confirm", "new-secret-42")],
    )
    .await
    .unwrap();
    assert!(here.me().await.is_some());
    assert_eq!(there.me().await, None);
    assert!(app.client().sign_in("supplier@demo.test", DEMO_PASSWORD).await.is_err());
    assert!(app.client().sign_in("supplier@demo.test", "new-secret-42").await.is_ok());
}

async fn language_is_remembered(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    let page = c.get("/login").await.text().await.unwrap();
    assert!(page.contains("lang=\"ru\"") && page.contains("Вход в кабинет"));
    let r = c.post_form("/locale", &[("lang", "en"), ("back", "/login")]).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/login".to_string()));
    let page = c.get("/login").await.text().await.unwrap();
    assert!(page.contains("lang=\"en\"") && page.contains("Sign in"));
    // A signed-in user's choice is kept on the account and follows them to a new device.
    c.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    c.call::<()>("set_locale", &[("locale", "en")]).await.unwrap();
    let elsewhere = app.client();
    elsewhere.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(elsewhere.me().await.unwrap().locale, domain::Locale::En);
    let bad = c.post_form("/locale", &[("lang", "de")]).await;
    assert_eq!(bad.status(), 422);
}

async fn profile_changes_are_validated_and_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    c.sign_in("head@demo.test", DEMO_PASSWORD).await.unwrap();
    let bad = c
        .call::<app::model::CurrentUser>("update_profile", &[("name", "Н"), ("email", "head@"), ("phone", "12")])
        .await
        .unwrap_err();
    assert_eq!(bad.0, 422);
    assert_eq!(bad.1.field_code("email"), Some("email.malformed"));
    assert_eq!(bad.1.field_code("phone"), Some("phone.wrong_length"));
    let none =
        c.call::<app::model::CurrentUser>("update_profile", &[("name", "Николай"), ("email", ""), ("phone", "")]).await;
    assert_eq!(none.unwrap_err().1.field_code("email"), Some("contact.required"));
    // Another person's e-mail is refused and nothing of either account changes.
    let taken = c
        .call::<app::model::CurrentUser>(
            "update_profile",
            &[("name", "Николай Фёдоров"), ("email", "admin@demo.test"), ("phone", "")],
        )
        .await
        .unwrap_err();
    assert_eq!((taken.0, taken.1.field_code("email")), (409, Some("email.taken")));
    assert_eq!(c.me().await.unwrap().email.as_deref(), Some("head@demo.test"));

    let saved: app::model::CurrentUser = c
        .call(
            "update_profile",
            &[("name", "Николай  Фёдоров-Мл."), ("email", "N.Fedorov@Seller.test"), ("phone", "8 (343) 210-00-00")],
        )
        .await
        .unwrap();
    assert_eq!(saved.name, "Николай Фёдоров-Мл.");
    assert_eq!(saved.email.as_deref(), Some("n.fedorov@seller.test"));
    assert_eq!(saved.phone.as_deref(), Some("+73432100000"));
    assert!(app.client().sign_in("n.fedorov@seller.test", DEMO_PASSWORD).await.is_ok());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.update_profile' AND before_state LIKE '%head@demo.test%' AND after_state LIKE '%n.fedorov@seller.test%'").await,
        1
    );
}

fn token_from(body: &str) -> String {
    let start = body.find("/password/").expect("link in message") + "/password/".len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn admin_invites_a_user_who_sets_a_password_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.client();
    admin.sign_in("admin@demo.test", DEMO_PASSWORD).await.unwrap();
    let orgs: Vec<OrganisationSummary> = admin.call("admin_list_organisations", &[]).await.unwrap();
    assert!(orgs.iter().all(|o| o.kind != OrgKind::Person));
    let dealer = orgs.iter().find(|o| o.kind == OrgKind::Dealer).unwrap().id.to_string();
    let supplier = orgs.iter().find(|o| o.kind == OrgKind::Supplier).unwrap().id.to_string();

    let wrong_org = admin
        .call::<LinkRecorded>(
            "admin_create_user",
            &[
                ("organisation", &supplier),
                ("role", "dealer_employee"),
                ("name", "Иван Петров"),
                ("email", "ivan@dealer.test"),
                ("phone", ""),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(wrong_org, (422, AppError::field("role", "role.wrong_organisation")));
    let invalid = admin
        .call::<LinkRecorded>(
            "admin_create_user",
            &[
                ("organisation", &dealer),
                ("role", "dealer_employee"),
                ("name", ""),
                ("email", "not-an-email"),
                ("phone", ""),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(invalid.1.field_code("name"), Some("name.empty"));
    assert_eq!(invalid.1.field_code("email"), Some("email.malformed"));
    let taken = admin
        .call::<LinkRecorded>(
            "admin_create_user",
            &[
                ("organisation", &dealer),
                ("role", "dealer_employee"),
                ("name", "Дубль"),
                ("email", "dealer@demo.test"),
                ("phone", ""),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(taken.0, 409);
    assert_eq!(taken.1.field_code("email"), Some("email.taken"));

    let done: LinkRecorded = admin
        .call(
            "admin_create_user",
            &[
                ("organisation", &dealer),
                ("role", "dealer_employee"),
                ("name", "Иван Петров"),
                ("email", "Ivan@Dealer.test"),
                ("phone", ""),
            ],
        )
        .await
        .unwrap();
    assert_eq!(done.recipient, "ivan@dealer.test");
    let users: Vec<UserSummary> = admin.call("admin_list_users", &[]).await.unwrap();
    let ivan = users.iter().find(|u| u.id == done.user_id).unwrap();
    assert!(!ivan.has_password);

    let body = app.last_message_to("ivan@dealer.test").await;
    assert!(body.starts_with("Иван Петров,") && body.contains("http://kabinet.test/password/"), "{body}");
    let token = token_from(&body);
    // The page for the link renders without signing in.
    assert_eq!(app.client().get(&format!("/password/{token}")).await.status(), 200);
    let ivan_client = app.client();
    let mismatch = ivan_client
        .call::<()>(
            "set_password_with_token",
            &[("token", &token), ("password", "my-own-secret"), ("confirm", "other")],
        )
        .await
        .unwrap_err();
    assert_eq!(mismatch.1.field_code("confirm"), Some("password.mismatch"));
    ivan_client
        .call::<()>(
            "set_password_with_token",
            &[("token", &token), ("password", "my-own-secret"), ("confirm", "my-own-secret")],
        )
        .await
        .unwrap();
    let again = ivan_client
        .call::<()>(
            "set_password_with_token",
            &[("token", &token), ("password", "another-secret"), ("confirm", "another-secret")],
        )
        .await
        .unwrap_err();
    assert_eq!(again, (422, AppError::field("password", "link.invalid")));
    assert!(ivan_client.sign_in("ivan@dealer.test", "my-own-secret").await.is_ok());
    assert_eq!(ivan_client.me().await.unwrap().role, domain::Role::DealerEmployee);
    assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'").await == 1);
}

async fn admin_resets_a_password_without_seeing_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, cashier) = (app.client(), app.client());
    admin.sign_in("admin@demo.test", DEMO_PASSWORD).await.unwrap();
    cashier.sign_in("cashier@demo.test", DEMO_PASSWORD).await.unwrap();
    let users: Vec<UserSummary> = admin.call("admin_list_users", &[]).await.unwrap();
    let id = users.iter().find(|u| u.email.as_deref() == Some("cashier@demo.test")).unwrap().id.to_string();
    let first: LinkRecorded = admin.call("admin_reset_password", &[("user_id", &id)]).await.unwrap();
    let first_token = token_from(&app.last_message_to(&first.recipient).await);
    let second: LinkRecorded = admin.call("admin_reset_password", &[("user_id", &id)]).await.unwrap();
    let token = token_from(&app.last_message_to(&second.recipient).await);
    let answer = serde_json::to_string(&second).unwrap();
    assert!(!answer.contains(&token), "the administrator's answer never carries the link");
    // Only the newest link works; using it signs every device out.
    let stale = app
        .client()
        .call::<()>(
            "set_password_with_token",
            &[("token", &first_token), ("password", "fresh-secret-1"), ("confirm", "fresh-secret-1")],
        )
        .await;
    assert!(stale.is_err());
    app.client()
        .call::<()>(
            "set_password_with_token",
            &[("token", &token), ("password", "fresh-secret-1"), ("confirm", "fresh-secret-1")],
        )
        .await
        .unwrap();
    assert_eq!(cashier.me().await, None);
    assert!(app.client().sign_in("cashier@demo.test", "fresh-secret-1").await.is_ok());
    assert_eq!(admin.call::<LinkRecorded>("admin_reset_password", &[("user_id", "999999")]).await.unwrap_err().0, 404);
}

async fn registrations_and_links_are_limited_per_address(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client_from("10.9.9.9");
    for i in 0..5 {
        let phone = format!("+7 912 000 00 0{i}");
        let _: String = c.register("Покупатель", &phone, "тёплый-пол-2026").await.unwrap();
        c.post_form("/auth/logout", &[]).await;
    }
    let sixth = c.register("Ещё один", "+7 912 000 00 09", "тёплый-пол-2026").await;
    assert!(matches!(sixth, Err((429, AppError::TooManyAttempts { .. }))), "{sixth:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE phone = '+79120000009'").await, 0);
    // Another address registers as usual.
    let _: String =
        app.client_from("10.9.9.10").register("Сосед", "+7 912 000 00 08", "тёплый-пол-2026").await.unwrap();

    // Guessing one-time links: each wrong one is answered at once, and the address is held back.
    let guesser = app.client_from("10.8.8.8");
    for i in 0..10 {
        let token = format!("{i:064x}");
        let wrong = guesser
            .call::<()>(
                "set_password_with_token",
                &[("token", &token), ("password", "new-password-1"), ("confirm", "new-password-1")],
            )
            .await;
        assert_eq!(wrong, Err((422, AppError::field("password", "link.invalid"))));
    }
    let held = guesser
        .call::<()>(
            "set_password_with_token",
            &[("token", &"f".repeat(64)), ("password", "new-password-1"), ("confirm", "new-password-1")],
        )
        .await;
    assert!(matches!(held, Err((429, _))), "{held:?}");
}
