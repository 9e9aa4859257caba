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
    let generated = ApiDoc::openapi();
    let Ok(mut value) = serde_json::to_value(&generated) else {
        return generated;
    };
    exact(&mut value);
    serde_json::from_value(value).unwrap_or(generated)
}

/// What the generated document leaves out or says loosely, made exact: every error answer is
/// `application/problem+json`; every operation can answer 429 (the rate limit is global) and
/// every protected one 401; an evidence hash is 64 lowercase hex digits.
fn exact(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let problem = json!({"$ref": "#/components/schemas/Problem"});
    let problem_answer = |what: &str| json!({"description": what, "content": {crate::problem::CONTENT_TYPE: {"schema": problem.clone()}}});
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let protected = op.get("security").is_some();
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for answer in responses.values_mut() {
                let Some(content) = answer.get_mut("content").and_then(Value::as_object_mut) else {
                    continue;
                };
                let is_problem = content
                    .get("application/json")
                    .and_then(|c| c.get("schema"))
                    .is_some_and(|s| *s == problem);
                if is_problem {
                    if let Some(c) = content.remove("application/json") {
                        content.insert(crate::problem::CONTENT_TYPE.to_owned(), c);
                    }
                }
            }
            responses
                .entry("429")
                .or_insert_with(|| problem_answer("too many requests; see Retry-After"));
            if protected {
                responses
                    .entry("401")
                    .or_insert_with(|| problem_answer("no valid bearer token"));
            }
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in params {
                    if p.get("name") == Some(&json!("sha256")) {
                        if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
                            schema.insert("pattern".into(), json!("^[0-9a-f]{64}$"));
                        }
                    }
                }
            }
        }
    }
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
