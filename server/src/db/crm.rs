//! CRM area, the sqlx implementation of `CrmStore`: a client's responsible manager.

use app::model::ClientManager;
use app::ports::{Actor, Assignment, CrmStore, EventKind, Reach, StoreError, StoreResult};
use async_trait::async_trait;
use sqlx::AssertSqlSafe;

use super::sql::*;
use super::{SqlStore, audit, event, on_db};

/// The sales managers who may be responsible for a client of region `$1` (any region's for a
/// client of none).
const CHOICES: &str = "SELECT id, name FROM users WHERE role = 'sales_manager' AND active \
     AND ($1 IS NULL OR region_id = $1) ORDER BY name, id";

#[async_trait]
impl CrmStore for SqlStore {
    async fn client_manager(&self, organisation_id: i64, reach: &Reach) -> StoreResult<ClientManager> {
        let (within, bind) = reach_clause(reach, "g.id", "0", 2);
        let sql = format!(
            "SELECT g.name, g.region_id, g.manager_id, m.name FROM organisations g LEFT JOIN users m ON m.id = g.manager_id \
             WHERE g.id = $1 AND {within}"
        );
        on_db!(self.db(), pool => {
            let query = sqlx::query_as(AssertSqlSafe(sql.clone())).bind(organisation_id);
            let row: Option<(String, Option<i64>, Option<i64>, Option<String>)> =
                match bind { Some(v) => query.bind(v), None => query }.fetch_optional(pool).await.map_err(other)?;
            let Some((client, region, manager_id, manager_name)) = row else { return Err(StoreError::NotFound) };
            let choices: Vec<(i64, String)> =
                sqlx::query_as(CHOICES).bind(region).fetch_all(pool).await.map_err(other)?;
            Ok(ClientManager {
                organisation_id,
                client,
                manager: manager_id.zip(manager_name),
                choices,
            })
        })
    }

    async fn assign_manager(&self, a: &Assignment, reach: &Reach, actor: &Actor) -> StoreResult<bool> {
        let (within, bind) = reach_clause(reach, "g.id", "0", 2);
        let find = format!("SELECT g.region_id, g.manager_id FROM organisations g WHERE g.id = $1 AND {within}");
        let begin = self.begin_write();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin_with(begin).await.map_err(other)?;
            let query = sqlx::query_as(AssertSqlSafe(find.clone())).bind(a.organisation_id);
            let row: Option<(Option<i64>, Option<i64>)> =
                match bind { Some(v) => query.bind(v), None => query }.fetch_optional(&mut *tx).await.map_err(other)?;
            let Some((region, before)) = row else { return Err(StoreError::NotFound) };
            if before == a.manager_id {
                return Ok(false);
            }
            if let Some(manager) = a.manager_id {
                // Checked again here: the person may have left or moved meanwhile.
                let allowed: Vec<(i64, String)> =
                    sqlx::query_as(CHOICES).bind(region).fetch_all(&mut *tx).await.map_err(other)?;
                if !allowed.iter().any(|(id, _)| *id == manager) {
                    return Err(StoreError::Conflict("manager"));
                }
            }
            sqlx::query("UPDATE organisations SET manager_id = $2 WHERE id = $1")
                .bind(a.organisation_id).bind(a.manager_id).execute(&mut *tx).await.map_err(other)?;
            let state = |m: Option<i64>| serde_json::json!({ "manager_id": m }).to_string();
            audit!(tx, actor, a.now, "crm.assign_manager", "organisation", Some(a.organisation_id),
                Some(state(before)), Some(state(a.manager_id)));
            if a.manager_id.is_some() {
                event!(tx, EventKind::ManagerAssigned, Some(a.order_id), actor.user_id, serde_json::json!({}), a.now);
            }
            tx.commit().await.map_err(other)?;
            Ok(true)
        })
    }
}
