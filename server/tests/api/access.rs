use app::error::AppError;

use reqwest::header::{HeaderMap, HeaderValue};

use crate::helpers::{Backend, Client, DEMO_PASSWORD, location, spawn_app};

crate::on_both_backends!(
    pages_need_sign_in_and_the_right_role,
    server_functions_refuse_guests_and_wrong_roles,
    nobody_revokes_another_persons_session_by_id,
    cross_site_form_posts_are_refused,
    state_changes_need_our_own_origin,
    hostile_bodies_get_a_precise_4xx,
    redirects_stay_on_the_site,
    answers_carry_security_headers,
    sign_in_form_works_without_javascript,
    built_files_are_precompressed_and_kept_by_name,
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

/// The status of a sign-in form post with these headers; a refused one must not sign in.
async fn sign_in_status(c: &Client, base: &str, headers: &[(&str, &str)]) -> u16 {
    let mut request = c.http.post(format!("{base}/auth/login"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let form = [("identifier", "admin@demo.test"), ("password", DEMO_PASSWORD)];
    let response = request.form(&form).send().await.unwrap();
    let status = response.status().as_u16();
    assert!(status != 403 || response.headers().get("set-cookie").is_none(), "a refused request sets no cookie");
    status
}

async fn state_changes_need_our_own_origin(backend: Backend) {
    let app = spawn_app(backend).await;
    let bare = app.client_with("10.0.0.2", HeaderMap::new());
    let port = app.base.rsplit(':').next().unwrap().to_string();
    // No Origin and no Referer: refused, for forms and for server functions alike.
    assert_eq!(sign_in_status(&bare, &app.base, &[]).await, 403);
    let (status, error) = bare.sign_in("admin@demo.test", DEMO_PASSWORD).await.unwrap_err();
    assert_eq!((status, error), (403, AppError::Forbidden));
    // Scheme, host and port are all compared.
    for origin in
        [format!("https://127.0.0.1:{port}"), "http://127.0.0.1:1".into(), "http://127.0.0.2".into(), "null".into()]
    {
        assert_eq!(sign_in_status(&bare, &app.base, &[("origin", &origin)]).await, 403, "{origin}");
    }
    // A browser that sends only a Referer from one of our pages, or the configured public address.
    assert_eq!(sign_in_status(&bare, &app.base, &[("referer", &format!("{}/login?next=/home", app.base))]).await, 303);
    let mut public = HeaderMap::new();
    public.insert("origin", HeaderValue::from_static("http://kabinet.test"));
    let behind_proxy = app.client_with("10.0.0.3", public);
    assert!(behind_proxy.sign_in("admin@demo.test", DEMO_PASSWORD).await.is_ok());
}

async fn hostile_bodies_get_a_precise_4xx(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    c.sign_in("dealer@demo.test", DEMO_PASSWORD).await.unwrap();
    let post = |path: &str, content_type: &str, body: Vec<u8>| {
        c.http
            .post(format!("{}{path}", app.base))
            .header("content-type", content_type.to_string())
            .header("x-forwarded-for", &c.ip)
            .body(body)
            .send()
    };
    let error = |text: String| serde_json::from_str::<AppError>(&text).unwrap_or(AppError::Transport(text));
    // A 10 MB body to a server function: 413 in the error shape the client reads, not a 500.
    let r = post("/api/cart_add", "application/x-www-form-urlencoded", vec![b'a'; 10 << 20]).await.unwrap();
    assert_eq!(r.status(), 413);
    assert!(matches!(error(r.text().await.unwrap()), AppError::TooLarge { .. }));
    // `text/plain` (how another site posts without asking) is not a server function's form.
    let r = post("/api/cart_add", "text/plain", b"id=1&quantity=1".to_vec()).await.unwrap();
    assert_eq!((r.status().as_u16(), error(r.text().await.unwrap())), (415, AppError::UnsupportedMedia));
    // Multipart headers the codec cannot read: 415, never a panic.
    for content_type in [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary",
        "multipart/form-data;boundary=\"",
        "multipart/form-datax; boundary=abc",
        "text/csv; boundary=abc",
    ] {
        let r = post("/api/quick_order_file", content_type, b"--abc\r\n".to_vec()).await.unwrap();
        assert_eq!(r.status(), 415, "{content_type}");
    }
    // An upload over its limit, told before it is read.
    let r = post("/api/quick_order_file", "multipart/form-data; boundary=abc", vec![b'x'; 5 << 20]).await.unwrap();
    assert_eq!(r.status(), 413);
    assert!(c.me().await.is_some(), "the server is still there");
}

async fn redirects_stay_on_the_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    for hostile in
        ["/\t/evil.example/", "//evil.example", "/\\evil.example", "/home\r\nSet-Cookie: x=1", "https://evil.example"]
    {
        // The language switch goes back where it was asked from, if that is on this site.
        let r = c.post_form("/locale", &[("lang", "en"), ("back", hostile)]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/".to_string()), "{hostile:?}");
        // Signing in goes to `next` only if it is on this site.
        let r = c
            .post_form(
                "/auth/login",
                &[("identifier", "retail@demo.test"), ("password", DEMO_PASSWORD), ("next", hostile)],
            )
            .await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, "/home".to_string()), "{hostile:?}");
        c.post_form("/auth/logout", &[]).await;
        // A failed sign-in keeps `next` only as an encoded query value.
        let r = c
            .post_form("/auth/login", &[("identifier", "retail@demo.test"), ("password", "wrong"), ("next", hostile)])
            .await;
        assert_eq!(r.status(), 303);
        assert!(location(&r).starts_with("/login?"), "{hostile:?}");
    }
    let r = c.post_form("/locale", &[("lang", "ru"), ("back", "/catalog?q=кран")]).await;
    assert_eq!(location(&r), "/catalog?q=%D0%BA%D1%80%D0%B0%D0%BD");
}

async fn answers_carry_security_headers(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.client();
    let page = c.get("/login").await;
    let header = |r: &reqwest::Response, name: &str| {
        r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    };
    let policy = header(&page, "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'") && policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(!policy.contains("unsafe-inline'; ") || policy.contains("style-src-attr 'unsafe-inline'"), "{policy}");
    assert!(!policy.contains("script-src 'self' 'unsafe-inline'"), "{policy}");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "x-frame-options"), "DENY");
    assert_eq!(header(&page, "referrer-policy"), "strict-origin-when-cross-origin");
    // Every inline script of the page carries this answer's nonce, and the nonce is fresh each time.
    let nonce = policy.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).expect("a nonce").to_string();
    let html = page.text().await.unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts >= 2, "hydration and service worker scripts");
    assert_eq!(
        html.matches(&format!("<script nonce=\"{nonce}\"")).count()
            + html.matches("<script type=\"module\" nonce=").count(),
        scripts,
        "{html}"
    );
    // …and nothing else inline is allowed.
    assert!(policy.contains(&format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval';")), "{policy}");
    let again = header(&c.get("/login").await, "content-security-policy");
    assert_ne!(again, policy);
    // Machine answers carry the default policy; HSTS only when served over HTTPS.
    let health = c.get("/healthz").await;
    assert!(header(&health, "content-security-policy").starts_with("default-src 'self'"));
    assert_eq!(header(&health, "strict-transport-security"), "");
}

async fn built_files_are_precompressed_and_kept_by_name(backend: Backend) {
    let app = spawn_app(backend).await;
    let pkg = app.site.join("pkg");
    // As `cargo leptos build --release --precompress` leaves them (`hash-files`): a hashed name,
    // with its brotli and gzip twins beside it; the twins' content is what must be sent.
    let wasm = "kabinet.Xk3_9aQw-LmNoPqRsTuVwx.wasm";
    std::fs::write(pkg.join(wasm), vec![0u8; 4096]).unwrap();
    std::fs::write(pkg.join(format!("{wasm}.br")), b"brotli twin").unwrap();
    std::fs::write(pkg.join(format!("{wasm}.gz")), b"gzip twin").unwrap();
    std::fs::write(pkg.join("plain.js"), "console.log('no hash in this name');".repeat(20)).unwrap();
    let c = app.client();
    let get = |path: String, encoding: &'static str| {
        let c = &c;
        async move { c.http.get(format!("{}{path}", c.base)).header("accept-encoding", encoding).send().await.unwrap() }
    };
    let header = |r: &reqwest::Response, name: &str| {
        r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    };
    let br = get(format!("/pkg/{wasm}"), "gzip, deflate, br").await;
    assert_eq!(br.status(), 200);
    assert_eq!(header(&br, "content-encoding"), "br");
    assert_eq!(header(&br, "content-type"), "application/wasm");
    assert_eq!(header(&br, "cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli twin");
    let gz = get(format!("/pkg/{wasm}"), "gzip").await;
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip twin");
    let raw = get(format!("/pkg/{wasm}"), "identity").await;
    assert_eq!(header(&raw, "content-encoding"), "");
    assert_eq!(raw.bytes().await.unwrap().len(), 4096);
    // A name without a hash may change under the same name: the browser asks again each time
    // (and gets 304 while it has not changed).
    let plain = get("/pkg/plain.js".into(), "identity").await;
    assert_eq!(header(&plain, "cache-control"), "no-cache");
    let modified = header(&plain, "last-modified");
    let again =
        c.http.get(format!("{}/pkg/plain.js", c.base)).header("if-modified-since", modified).send().await.unwrap();
    assert_eq!(again.status(), 304);
    // A missing file is not found, and that answer is not kept.
    let missing = get("/pkg/missing.Xk3_9aQw-LmNoPqRsTuVwx.wasm".into(), "br").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(header(&missing, "cache-control"), "no-store");
}
