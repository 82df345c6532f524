//! Demo organisations and one user of each role, created on first start when `KABINET_DEMO` is on.

use app::services::crypto::hash_password;
use chrono::Utc;
use domain::Role;

use crate::db::{Db, on_db};

pub const DEMO_PASSWORD: &str = "demo-password";

/// Login, name and role of every demo user.
pub const DEMO_USERS: &[(&str, &str, Role)] = &[
    ("retail@demo.test", "Ирина Соколова", Role::RetailBuyer),
    ("wholesale@demo.test", "Олег Морозов", Role::WholesaleBuyer),
    ("dealer@demo.test", "Сергей Кузнецов", Role::DealerManager),
    ("dealer.service@demo.test", "Павел Лебедев", Role::DealerServiceEngineer),
    ("dealer.staff@demo.test", "Марина Козлова", Role::DealerEmployee),
    ("supplier@demo.test", "Андрей Волков", Role::Supplier),
    ("manager@demo.test", "Елена Смирнова", Role::SalesManager),
    ("head@demo.test", "Николай Фёдоров", Role::Head),
    ("cashier@demo.test", "Татьяна Попова", Role::Cashier),
    ("service@demo.test", "Дмитрий Новиков", Role::ServiceEngineer),
    ("admin@demo.test", "Алексей Орлов", Role::Admin),
];

/// A wholesale buyer whose company has overdue debt (new orders on credit are blocked).
pub const OVERDUE_USER: (&str, &str) = ("wholesale.overdue@demo.test", "Виктор Зайцев");

/// Products in the demo catalog.
pub const DEMO_PRODUCTS: usize = 300;

/// Seeds the demo data unless the database already holds organisations. Returns whether it did.
pub async fn seed(db: &Db) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    // One hash for all demo users keeps the first start fast; each real user gets their own salt.
    let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(&mut *tx).await?;
        if existing > 0 {
            return Ok(false);
        }
        let mut region_ids = Vec::new();
        for name in ["Центральный регион", "Уральский регион"] {
            let id: i64 = sqlx::query_scalar("INSERT INTO regions (name) VALUES ($1) RETURNING id").bind(name).fetch_one(&mut *tx).await?;
            region_ids.push(id);
        }
        let mut point_ids = Vec::new();
        for (region, name, address) in [
            (region_ids[0], "Магазин на Складской", "Москва, ул. Складская, 12"),
            (region_ids[1], "Магазин на Монтажников", "Екатеринбург, ул. Монтажников, 4"),
        ] {
            let id: i64 = sqlx::query_scalar("INSERT INTO retail_points (region_id, name, address) VALUES ($1, $2, $3) RETURNING id")
                .bind(region).bind(name).bind(address).fetch_one(&mut *tx).await?;
            point_ids.push(id);
        }
        let org = |kind: &'static str, name: &'static str, inn: Option<&'static str>, region: Option<i64>| {
            (kind, name, inn, region)
        };
        let orgs = [
            org("seller", "ООО «ТеплоВодоСнаб»", Some("7707083893"), Some(region_ids[0])),
            org("client", "ООО «СтройМонтаж»", Some("7736207543"), Some(region_ids[0])),
            org("dealer", "ООО «Тепло-Сервис» (дилер)", Some("6658021057"), Some(region_ids[1])),
            org("supplier", "АО «Термаль»", Some("5003052454"), None),
            org("person", "Ирина Соколова", None, None),
        ];
        let mut org_ids = std::collections::HashMap::new();
        for (kind, name, inn, region) in orgs {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisations (kind, name, inn, region_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(kind).bind(name).bind(inn).bind(region).bind(now).fetch_one(&mut *tx).await?;
            org_ids.insert(kind, id);
        }
        for (i, (email, name, role)) in DEMO_USERS.iter().enumerate() {
            let org_id = org_ids[role.org_kind().code()];
            let region = matches!(role, Role::SalesManager | Role::Head).then_some(region_ids[0]);
            let point = (*role == Role::Cashier).then_some(point_ids[0]);
            let phone = format!("+7900000{:04}", i + 1);
            sqlx::query(
                "INSERT INTO users (organisation_id, role, name, email, phone, password_hash, region_id, retail_point_id, created_at, password_changed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
                .bind(org_id).bind(role.code()).bind(*name).bind(*email).bind(phone).bind(&hash)
                .bind(region).bind(point).bind(now).execute(&mut *tx).await?;
        }
        // Commercial terms, requisites and debts that make the cabinets worth looking at.
        sqlx::query("UPDATE organisations SET kpp = '770701001', legal_address = '115280, г. Москва, ул. Ленинская Слобода, д. 19', \
             bank_name = 'ПАО Сбербанк', bik = '044525225', settlement_account = '40702810938000000001', \
             correspondent_account = '30101810400000000225' WHERE kind = 'seller'").execute(&mut *tx).await?;
        sqlx::query("UPDATE organisations SET price_type = 'wholesale', credit_limit = 50000000, deferral_days = 30, grace_days = 5, \
             personal_discount_bp = 300, kpp = '773601001', legal_address = '119334, г. Москва, Ленинский пр-т, д. 45' \
             WHERE kind = 'client'").execute(&mut *tx).await?;
        sqlx::query("UPDATE organisations SET price_type = 'dealer', credit_limit = 100000000, deferral_days = 45, grace_days = 10 \
             WHERE kind = 'dealer'").execute(&mut *tx).await?;
        sqlx::query("UPDATE organisations SET accumulated = 4200000 WHERE kind = 'person'").execute(&mut *tx).await?;
        // The demo manager is responsible for the first wholesale client.
        sqlx::query("UPDATE organisations SET manager_id = (SELECT id FROM users WHERE email = 'manager@demo.test') \
             WHERE kind = 'client'").execute(&mut *tx).await?;
        let today = now.with_timezone(&domain::locale::moscow()).date_naive();
        let days_ago = |n: u64| today.checked_sub_days(chrono::Days::new(n)).unwrap_or(today);
        sqlx::query("INSERT INTO invoices (organisation_id, number, issued_on, amount) VALUES ($1, 'Д-000101', $2, 43000000)")
            .bind(org_ids["client"]).bind(days_ago(10)).execute(&mut *tx).await?;
        // A second wholesale client whose overdue debt blocks new orders on credit.
        let overdue: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (kind, name, inn, region_id, created_at, price_type, credit_limit, deferral_days, grace_days) \
             VALUES ('client', 'ООО «АкваТерм»', '7728168971', $1, $2, 'wholesale', 30000000, 30, 5) RETURNING id")
            .bind(region_ids[0]).bind(now).fetch_one(&mut *tx).await?;
        sqlx::query("INSERT INTO invoices (organisation_id, number, issued_on, amount) VALUES ($1, 'Д-000087', $2, 12000000)")
            .bind(overdue).bind(days_ago(65)).execute(&mut *tx).await?;
        let (login, name) = OVERDUE_USER;
        sqlx::query(
            "INSERT INTO users (organisation_id, role, name, email, phone, password_hash, created_at, password_changed_at) \
             VALUES ($1, 'wholesale_buyer', $2, $3, '+79000000099', $4, $5, $5)")
            .bind(overdue).bind(name).bind(login).bind(&hash).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    })
}
