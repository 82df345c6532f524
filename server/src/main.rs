#![recursion_limit = "512"]
use std::net::SocketAddr;

use leptos::prelude::get_configuration;
use server::config::Config;
use tracing_subscriber::EnvFilter;

/// Rendering a page makes thousands of small allocations that live for one request; mimalloc's
/// per-thread free lists serve them in a fraction of glibc's time (measured in the README). SQLite
/// and other C code keep glibc's allocator, tuned by `memory`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    server::memory::tune();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if std::env::var("KABINET_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt().with_env_filter(filter).json().init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    if let Err(e) = run().await {
        tracing::error!("{e}");
        eprintln!("kabinet: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env()?;
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("generate-catalog") {
        // A large catalog for load tests: `server generate-catalog 100000` (into an empty database).
        let count: usize = args.get(2).and_then(|n| n.parse().ok()).ok_or("usage: server generate-catalog <count>")?;
        let db = server::db::Db::open(config.database_url.as_deref(), &config.data_dir)
            .await
            .map_err(|e| format!("database: {e}"))?;
        let started = std::time::Instant::now();
        // The demo organisations and users too, so the catalog can be browsed and ordered from.
        server::db::demo::seed(&db).await.map_err(|e| format!("demo data: {e}"))?;
        let created = server::db::catalog_seed::seed_catalog(&db, count).await.map_err(|e| format!("catalog: {e}"))?;
        println!("{created} products created in {:.1} s", started.elapsed().as_secs_f64());
        return Ok(());
    }
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("backup"), Some(file)) => {
            // Safe while the server runs: `server backup /backups/kabinet-2026-11-30.db`.
            let db = server::db::Db::open(config.database_url.as_deref(), &config.data_dir)
                .await
                .map_err(|e| format!("database: {e}"))?;
            let bytes = db.backup(std::path::Path::new(file)).await?;
            println!("backup written to {file} ({bytes} bytes)");
            return Ok(());
        }
        (Some("restore"), Some(file)) => {
            // With the server stopped: `server restore /backups/kabinet-2026-11-30.db`.
            let kept = server::db::restore(std::path::Path::new(file), &config.data_dir).await?;
            if let Some(old) = kept {
                println!("the previous database is kept as {}", old.display());
            }
            println!("restored {file} into {}", config.data_dir.join("kabinet.db").display());
            return Ok(());
        }
        (Some("backup" | "restore"), None) => return Err("usage: server backup <file> | server restore <file>".into()),
        _ => {}
    }
    let mut leptos_options = get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?.leptos_options;
    // A release built with hashed file names lists them in a file beside the binary; serve those
    // names even when the environment does not say so (LEPTOS_HASH_FILES).
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        let beside =
            std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(&*leptos_options.hash_file)));
        leptos_options.hash_files = beside.is_some_and(|file| file.is_file());
    }
    if let Ok(addr) = std::env::var("KABINET_ADDR") {
        leptos_options.site_addr = addr.parse().map_err(|_| format!("KABINET_ADDR is not host:port: {addr:?}"))?;
    }
    let addr = leptos_options.site_addr;
    let server::Built { router, db, workers } = server::build(&config, leptos_options).await?;
    server::memory::give_back_every(std::time::Duration::from_secs(10));
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(%addr, database = db.backend(), "Kabinet is serving at http://{addr}");
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stop_signal())
        .await
        .map_err(|e| e.to_string())?;
    // The message being sent is finished and recorded; nothing is sent twice after a restart.
    if tokio::time::timeout(std::time::Duration::from_secs(30), workers.stop()).await.is_err() {
        tracing::warn!("the notification worker did not stop within 30 s");
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager.
async fn stop_signal() {
    let terminate = async {
        #[cfg(unix)]
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
            return;
        }
        std::future::pending::<()>().await
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
