//! CRM area, wire types: a client's responsible manager and who may become it.

use serde::{Deserialize, Serialize};

/// A client organisation's responsible sales manager, as a head or administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientManager {
    pub organisation_id: i64,
    pub client: String,
    /// (user id, name); `None`: nobody yet — the region's managers share the client.
    pub manager: Option<(i64, String)>,
    /// The active sales managers of the client's region (of every region for a client of none).
    pub choices: Vec<(i64, String)>,
}
