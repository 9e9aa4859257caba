//! The shell's commands through Tauri's real IPC path, on the mock runtime (no window needed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn app() -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let app = jxjy_review::setup(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    let url = "tauri://localhost".parse().unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", tauri::WebviewUrl::CustomProtocol(url))
        .build()
        .unwrap();
    (app, window)
}

fn invoke(
    window: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn app_info_lists_the_rule_sets() {
    let (_app, w) = app();
    let info = invoke(&w, "app_info", json!({})).unwrap();
    assert_eq!(info["rule_sets"][0]["id"], "bingtuan-2019");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn credit_preview_evaluates_and_errors_are_code_and_message() {
    let (_app, w) = app();
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/domain-example.json"
    ))
    .unwrap();
    let e = invoke(
        &w,
        "credit_preview",
        json!({"document": doc, "today": "2019-12-31"}),
    )
    .unwrap();
    assert_eq!(e["declarations"][0]["credited_hours"], 24);

    let bad = doc.replace("\"academic_conference\"", "\"webinar\"");
    let err = invoke(
        &w,
        "credit_preview",
        json!({"document": bad, "today": "2019-12-31"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let message = err["message"].as_str().unwrap();
    assert!(message.starts_with("申报数据有误"), "{message}");
    assert!(message.contains("D001"), "{message}");
}

#[test]
fn unknown_commands_are_refused() {
    let (_app, w) = app();
    assert!(invoke(&w, "plugin:fs|read_file", json!({"path": "/etc/passwd"})).is_err());
}
