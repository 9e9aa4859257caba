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
        jxjy_core::Staff,
        jxjy_core::Declaration,
        jxjy_core::Evidence,
        jxjy_core::Hours,
        jxjy_core::Category,
        jxjy_core::Form,
        jxjy_core::ConferenceLevel,
        jxjy_core::ExamLevel,
        jxjy_core::TitleLevel,
        jxjy_core::Status,
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

/// The document as served and committed. Kept as JSON after `exact`: utoipa's own types would
/// drop what they do not model (a link's `operationId` and `requestBody`, for one).
pub fn document() -> serde_json::Value {
    let mut value = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    exact(&mut value);
    value
}

/// A pull page whose items are of one interchange type: `PullResponse` with typed `items`.
fn typed_page(item: &str) -> serde_json::Value {
    serde_json::json!({
        "allOf": [
            {"$ref": "#/components/schemas/PullResponse"},
            {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}}}
        ]
    })
}

/// The pulls carry the interchange types (DOMAIN.md), generated from the core's Rust types;
/// the server passes them through as stored, so the handlers say only "objects".
fn typed_items(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let page = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.insert("StaffPage".into(), typed_page("Staff"));
        schemas.insert("DeclarationPage".into(), typed_page("Declaration"));
        let typed = [
            ("ChangesResponse", "staff", page("StaffPage")),
            ("ChangesResponse", "declarations", page("DeclarationPage")),
            (
                "PushResult",
                "declaration",
                json!({"oneOf": [page("Declaration"), {"type": "null"}],
                       "description": "For a conflict: the declaration as it is now (null when withdrawn)."}),
            ),
        ];
        for (schema, property, typed) in typed {
            if let Some(props) = schemas
                .get_mut(schema)
                .and_then(|c| c.get_mut("properties"))
                .and_then(Value::as_object_mut)
            {
                props.insert(property.into(), typed);
            }
        }
    }
    for (path, name) in [
        ("~1api~1v1~1units~1{unit_id}~1staff", "StaffPage"),
        (
            "~1api~1v1~1units~1{unit_id}~1declarations",
            "DeclarationPage",
        ),
    ] {
        let pointer = format!("/paths/{path}/get/responses/200/content/application~1json/schema");
        if let Some(schema) = doc.pointer_mut(&pointer) {
            *schema = page(name);
        }
    }
}

/// How one answer leads to the next call (OpenAPI links): a login to its unit's pulls and to a
/// refresh, a page to the next one, a declaration to its evidence. A client (or a stateful
/// fuzzer) can follow them from a login alone.
fn links(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let unit = json!({"unit_id": "$response.body#/unit_id"});
    let same_unit = |since: &str| json!({"unit_id": "$request.path.unit_id", "since": since});
    let table = [
        (
            "~1api~1v1~1auth~1login",
            "post",
            json!({
                "PullStaff": {"operationId": "pullStaff", "parameters": unit},
                "PullDeclarations": {"operationId": "pullDeclarations", "parameters": unit},
                "PullChanges": {"operationId": "pullChanges", "parameters": unit},
                "Refresh": {"operationId": "refreshTokens", "parameters": {}, "requestBody": {"refresh_token": "$response.body#/refresh_token"}}
            }),
        ),
        (
            "~1api~1v1~1auth~1refresh",
            "post",
            json!({
                "Refresh": {"operationId": "refreshTokens", "parameters": {}, "requestBody": {"refresh_token": "$response.body#/refresh_token"}}
            }),
        ),
        (
            "~1api~1v1~1units~1{unit_id}~1staff",
            "get",
            json!({
                "NextPage": {"operationId": "pullStaff", "parameters": same_unit("$response.body#/next_cursor")}
            }),
        ),
        (
            "~1api~1v1~1units~1{unit_id}~1declarations",
            "get",
            json!({
                "NextPage": {"operationId": "pullDeclarations", "parameters": same_unit("$response.body#/next_cursor")},
                "Evidence": {"operationId": "downloadEvidence", "parameters": {"sha256": "$response.body#/items/0/evidence/0/sha256"}}
            }),
        ),
        (
            "~1api~1v1~1units~1{unit_id}~1changes",
            "get",
            json!({
                "Staff": {"operationId": "pullStaff", "parameters": same_unit("$response.body#/staff/next_cursor")},
                "Declarations": {"operationId": "pullDeclarations", "parameters": same_unit("$response.body#/declarations/next_cursor")}
            }),
        ),
    ];
    for (path, method, links) in table {
        let pointer = format!("/paths/{path}/{method}/responses/200");
        if let Some(answer) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            answer.insert("links".into(), links);
        }
    }
}

/// What the generated document leaves out or says loosely, made exact: every error answer is
/// `application/problem+json`; every operation can answer 429 (the rate limit is global) and
/// 500, every protected one 401, every one with a body 413; an evidence hash is 64 lowercase hex digits; pulls carry typed items.
fn exact(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    typed_items(doc);
    links(doc);
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
            let has_body = op.get("requestBody").is_some();
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
            // The body limit applies to every request, before the handler.
            if has_body {
                responses.entry("413").or_insert_with(|| {
                    problem_answer("the request body is larger than the server takes")
                });
            }
            responses.entry("500").or_insert_with(|| {
                problem_answer("the server failed; the detail is in its log, not here")
            });
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
    let mut text = serde_json::to_string_pretty(&document()).unwrap_or_default();
    text.push('\n');
    text
}

pub async fn serve() -> Json<serde_json::Value> {
    Json(document())
}
