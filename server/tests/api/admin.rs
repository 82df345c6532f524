use app::error::AppError;
use app::model::{LinkRecorded, OrganisationSummary, UserSummary};
use domain::OrgKind;

use crate::helpers::{Backend, DEMO_PASSWORD, spawn_app};

crate::on_both_backends!(admin_invites_a_user_who_sets_a_password_once, admin_resets_a_password_without_seeing_it);

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
