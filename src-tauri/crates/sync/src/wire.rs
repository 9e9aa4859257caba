//! The platform API's bodies as this client reads and writes them (docs/openapi.json). The
//! client keeps its own copy: it talks to any platform that implements the contract.

use jxjy_core::decision::Outcome;
use jxjy_core::{Category, Declaration};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub username: String,
    pub unit_id: String,
    pub unit_name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PullResponse {
    pub items: Vec<serde_json::Value>,
    pub tombstones: Vec<String>,
    pub next_cursor: String,
    pub has_more: bool,
    pub count: Option<i64>,
    pub checksum: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChangesResponse {
    pub staff: PullResponse,
    pub declarations: PullResponse,
}

#[derive(Debug, Clone, Serialize)]
pub struct PushItem {
    pub idempotency_key: String,
    pub declaration_id: String,
    pub declaration_version: u64,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credited_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub decided_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Problem {
    pub status: u16,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PushResult {
    pub idempotency_key: Option<String>,
    pub result: String,
    pub applied_version: Option<u64>,
    pub declaration: Option<Declaration>,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
    /// The answer to the pushed audit head.
    #[serde(default)]
    pub audit: Option<AuditAnswer>,
}

/// The local audit chain's head, sent with a push.
#[derive(Debug, Clone, Serialize)]
pub struct AuditHead {
    pub profile: String,
    pub seq: u64,
    pub hash: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuditSeen {
    pub seq: u64,
    pub hash: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuditAnswer {
    pub result: String,
    pub previous: Option<AuditSeen>,
}

/// One spot-check finding as pushed.
#[derive(Debug, Clone, Serialize)]
pub struct FindingItem {
    pub idempotency_key: String,
    pub pack_id: String,
    pub declaration_id: String,
    pub finding: String,
    pub note: Option<String>,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FindingResult {
    pub idempotency_key: Option<String>,
    /// stored | duplicate | rejected
    pub result: String,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FindingsResponse {
    pub results: Vec<FindingResult>,
}
