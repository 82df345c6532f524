//! Identity area: one-time codes by SMS that confirm a phone number, on both databases.

use app::error::AppError;

use crate::helpers::{Backend, spawn_app};

crate::on_both_backends!(phone_codes_are_single_use_and_die_after_wrong_tries);

async fn phone_codes_are_single_use_and_die_after_wrong_tries(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    let code = c.phone_code("+7 912 444 00 01").await.unwrap();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let attempt = |code: String| {
        let c = &c;
        async move {
            c.call::<String>(
                "register",
                &[("name", "Ольга"), ("phone", "+7 912 444 00 01"), ("code", &code), ("password", "тёплый-пол-2026")],
            )
            .await
        }
    };
    // Five wrong tries kill the code (a malformed one is refused without counting), and the right
    // code then fails too.
    for _ in 0..4 {
        assert_eq!(attempt(wrong.to_string()).await.unwrap_err(), (422, AppError::field("code", "code.wrong")));
    }
    assert_eq!(attempt("12ab56".into()).await.unwrap_err(), (422, AppError::field("code", "code.wrong")));
    assert_eq!(app.count("SELECT COUNT(*) FROM phone_codes WHERE wrong_tries = 4").await, 1);
    assert_eq!(attempt(wrong.to_string()).await.unwrap_err(), (422, AppError::field("code", "code.wrong")));
    assert_eq!(app.count("SELECT COUNT(*) FROM phone_codes").await, 0);
    assert_eq!(attempt(code.clone()).await.unwrap_err(), (422, AppError::field("code", "code.wrong")));
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE phone = '+79124440001'").await, 0);
    // A new code works once; the same code cannot confirm a second account.
    let code = c.phone_code("+7 912 444 00 01").await.unwrap();
    assert_eq!(attempt(code.clone()).await.unwrap(), "/home");
    let reuse = app
        .client()
        .call::<String>(
            "register",
            &[("name", "Ольга"), ("phone", "+7 912 444 00 01"), ("code", &code), ("password", "тёплый-пол-2026")],
        )
        .await;
    assert_eq!(reuse.unwrap_err(), (422, AppError::field("code", "code.wrong")));
    // An expired code is refused.
    let code = c.phone_code("+7 912 444 00 02").await.unwrap();
    app.exec("UPDATE phone_codes SET expires_at = created_at WHERE $1 = $2", 1, 1).await;
    let late = app
        .client()
        .call::<String>(
            "register",
            &[("name", "Ольга"), ("phone", "+7 912 444 00 02"), ("code", &code), ("password", "тёплый-пол-2026")],
        )
        .await;
    assert_eq!(late.unwrap_err(), (422, AppError::field("code", "code.wrong")));
    // Codes to one number are limited, whoever asks and whether or not it has an account.
    let flood = app.client_from("10.7.7.7");
    let mut refused = None;
    for _ in 0..5 {
        if let Err(e) = flood.phone_code("+7 912 444 00 03").await {
            refused = Some(e);
            break;
        }
    }
    assert!(matches!(refused, Some((429, AppError::TooManyAttempts { .. }))), "{refused:?}");
    assert!(app.count("SELECT COUNT(*) FROM outbox WHERE recipient = '+79124440003'").await <= 3);
}
