use app::error::AppError;

use crate::helpers::{Backend, DEMO_PASSWORD, location, spawn_app};

crate::on_both_backends!(
    pages_need_sign_in_and_the_right_role,
    server_functions_refuse_guests_and_wrong_roles,
    nobody_revokes_another_persons_session_by_id,
    cross_site_form_posts_are_refused,
    sign_in_form_works_without_javascript,
);

async fn pages_need_sign_in_and_the_right_role(backend: Backend) {
    let app = spawn_app(backend).await;
    let guest = app.client();
    for page in ["/home", "/profile", "/admin/users"] {
        let r = guest.get(page).await;
        assert_eq!(r.status(), 303, "{page}");
        assert_eq!(location(&r), format!("/login?next={page}"));
    }
    assert_eq!(location(&guest.get("/").await), "/login");

    let cashier = app.client();
    cashier.sign_in("cashier@demo.test", DEMO_PASSWORD).await.unwrap();
    assert_eq!(cashier.get("/admin/users").await.status(), 403);
    assert_eq!(cashier.get("/profile").await.status(), 200);
    assert_eq!(location(&cashier.get("/login").await), "/home");
    assert_eq!(location(&cashier.get("/").await), "/home");
    assert_eq!(cashier.get("/no-such-page").await.status(), 404);

    let admin = app.client();
    admin.sign_in("admin@demo.test", DEMO_PASSWORD).await.unwrap();
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status(), 200);
}

async fn server_functions_refuse_guests_and_wrong_roles(backend: Backend) {
    let app = spawn_app(backend).await;
    let guest = app.client();
    for name in ["admin_list_users", "list_sessions", "update_profile"] {
        let err = guest.call::<serde_json::Value>(name, &[]).await.unwrap_err();
        assert_eq!(err.0, 401, "{name}");
    }
    assert_eq!(guest.call::<serde_json::Value>("no_such_function", &[]).await.unwrap_err().0, 404);
    for (login, _, role) in server::db::demo::DEMO_USERS.iter().filter(|(_, _, r)| *r != domain::Role::Admin) {
        let c = app.client();
        c.sign_in(login, DEMO_PASSWORD).await.unwrap();
        for (name, form) in [
            ("admin_list_users", vec![]),
            ("admin_list_organisations", vec![]),
            ("admin_reset_password", vec![("user_id", "1")]),
            (
                "admin_create_user",
                vec![("organisation", "1"), ("role", "admin"), ("name", "X"), ("email", "x@x.ru"), ("phone", "")],
            ),
        ] {
            let err = c.call::<serde_json::Value>(name, &form).await.unwrap_err();
            assert_eq!(err, (403, AppError::Forbidden), "{role:?} {name}");
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'x@x.ru'").await, 0);
}

async fn nobody_revokes_another_persons_session_by_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let (dealer, other) = (app.client(), app.client());
    dealer.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    other.sign_in("dealer.staff@demo.test", DEMO_PASSWORD).await.unwrap();
    let theirs: Vec<app::model::SessionInfo> = other.call("list_sessions", &[]).await.unwrap();
    let id = theirs[0].id.to_string();
    let err = dealer.call::<()>("revoke_session", &[("id", &id)]).await.unwrap_err();
    assert_eq!(err, (404, AppError::NotFound));
    assert!(other.me().await.is_some(), "the other person's session survives");
    // Their own list shows only their own sessions.
    let mine: Vec<app::model::SessionInfo> = dealer.call("list_sessions", &[]).await.unwrap();
    assert!(mine.iter().all(|s| s.id.to_string() != id));
    // Revoking one's own other device works.
    let second = app.client();
    second.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    let mine: Vec<app::model::SessionInfo> = dealer.call("list_sessions", &[]).await.unwrap();
    let other_device = mine.iter().find(|s| !s.current).unwrap().id.to_string();
    dealer.call::<()>("revoke_session", &[("id", &other_device)]).await.unwrap();
    assert_eq!(second.me().await, None);
    let bad = dealer.call::<()>("revoke_session", &[("id", "not-a-number")]).await.unwrap_err();
    assert!((400..500).contains(&bad.0), "{bad:?}");
}

async fn cross_site_form_posts_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    let r = c
        .http
        .post(format!("{}/auth/login", app.base))
        .header("origin", "http://evil.example")
        .form(&[("identifier", "admin@demo.test"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(c.me().await, None);
}

async fn sign_in_form_works_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    let r = c
        .post_form(
            "/auth/login",
            &[("identifier", "wholesale@demo.test"), ("password", "wrong-one"), ("next", "/profile")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/login?error=form%3Alogin.invalid&identifier=wholesale%40demo.test&next=/profile");
    let page = c.get(&location(&r)).await.text().await.unwrap();
    assert!(page.contains("Неверный логин или пароль."), "the error is rendered on the page");
    assert!(page.contains("value=\"wholesale@demo.test\""), "the login is kept");
    let r = c
        .post_form(
            "/auth/login",
            &[("identifier", "wholesale@demo.test"), ("password", DEMO_PASSWORD), ("next", "/profile")],
        )
        .await;
    assert_eq!(location(&r), "/profile");
    let r = c
        .post_form(
            "/auth/login",
            &[("identifier", "wholesale@demo.test"), ("password", DEMO_PASSWORD), ("next", "//evil.example")],
        )
        .await;
    assert_eq!(location(&r), "/home", "no open redirect");
}
