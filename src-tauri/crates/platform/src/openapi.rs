//! The OpenAPI 3.1 document, generated from the handlers and types. `docs/openapi.json` holds
//! a copy; a test fails when they differ.

use crate::api;
use crate::problem::Problem;
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "专技平台 unit-review API (jxjy-review reference)",
        description = "The contract between jxjy-review and the platform: login, rule sets, delta pulls of a unit's roster and declarations, evidence by SHA-256 with ranges, batched idempotent decision push, and spot-check findings. Errors are RFC 9457 problem+json; every response carries a Date header; responses are gzip- or zstd-compressed on request and compressed request bodies are accepted.",
        version = "1.0.0"
    ),
    paths(
        api::auth_routes::login,
        api::auth_routes::refresh,
        api::auth_routes::logout,
        api::rules::rules,
        api::pull::staff,
        api::pull::declarations,
        api::pull::changes,
        api::evidence::download,
        api::decisions::push,
        api::findings::push,
    ),
    components(schemas(
        Problem,
        api::LoginRequest,
        api::RefreshRequest,
        api::TokenResponse,
        api::PullResponse,
        api::ChangesResponse,
        api::PushRequest,
        api::PushItem,
        api::PushResult,
        api::PushResponse,
        api::AuditHead,
        api::AuditSeen,
        api::AuditAnswer,
        api::FindingsRequest,
        api::FindingItem,
        api::FindingResult,
        api::FindingsResponse
    )),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as committed: pretty JSON with a final newline.
pub fn document_text() -> String {
    let mut text = document().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
