//! The shell's commands through Tauri's real IPC path on the mock runtime (no window), against
//! the reference platform served on loopback, with the real SQLCipher store on disk and the
//! in-memory keyring.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jxjy_platform::api::Config;
use jxjy_platform::faults::{FaultConfig, RateLimiter};
use jxjy_platform::seed::{seed, Account, SeedParams};
use jxjy_review::reading_worker::Reading;
use jxjy_review::sync_worker::Schedule;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindowBuilder};

type Window = tauri::WebviewWindow<MockRuntime>;

fn temp_dir(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let d = std::env::temp_dir().join(format!("jxjy-ipc-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

struct Harness {
    _app: tauri::App<MockRuntime>,
    w: Window,
    events: mpsc::Receiver<Value>,
    home: std::path::PathBuf,
}

/// A schedule for tests: a quick first sync, no timer, and decisions that wake the worker
/// only after an hour (so no test but the one about it sees a sync it did not ask for).
fn test_schedule() -> Schedule {
    Schedule {
        first: Duration::from_millis(20),
        interval: Duration::from_secs(3600),
        retry: Duration::from_millis(200),
        retry_max: Duration::from_millis(400),
        quiet: Duration::from_secs(3600),
        quiet_max: Duration::from_secs(3600),
        reading: Reading::Off,
    }
}

fn app() -> Harness {
    app_with(test_schedule())
}

fn app_with(schedule: Schedule) -> Harness {
    jxjy_store::keys::install(jxjy_store::keys::Backend::Memory);
    // Exports of every test go to one folder of this test process, set once before any app
    // reads it (setting the environment while other threads read it is not safe).
    static EXPORTS: std::sync::Once = std::sync::Once::new();
    EXPORTS.call_once(|| std::env::set_var("JXJY_EXPORT_DIR", temp_dir("exports")));
    app_at(jxjy_store::Home::new(temp_dir("home")), schedule)
}

/// An app on a given data folder.
fn app_at(home: jxjy_store::Home, schedule: Schedule) -> Harness {
    let app = jxjy_review::setup(mock_builder(), home.clone(), schedule)
        .build(mock_context(noop_assets()))
        .unwrap();
    let root = home.root().to_owned();
    jxjy_review::attach(app.handle(), home, schedule);
    let (tx, events) = mpsc::channel();
    app.listen_any(jxjy_review::SYNC_EVENT, move |e| {
        let _ = tx.send(serde_json::from_str::<Value>(e.payload()).unwrap());
    });
    let url = "tauri://localhost".parse().unwrap();
    let w = WebviewWindowBuilder::new(&app, "main", tauri::WebviewUrl::CustomProtocol(url))
        .build()
        .unwrap();
    Harness {
        _app: app,
        w,
        events,
        home: root,
    }
}

fn request(w: &Window, cmd: &str, args: Value) -> Result<InvokeResponseBody, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(w, request)
}

/// A command that takes a file the page picked: raw bytes and headers.
fn upload(
    w: &Window,
    cmd: &str,
    bytes: Vec<u8>,
    headers: &[(&'static str, &str)],
) -> Result<Value, Value> {
    let mut map = tauri::http::HeaderMap::new();
    for (k, v) in headers {
        map.insert(*k, v.parse().unwrap());
    }
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Raw(bytes),
        headers: map,
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(w, request).map(|b| b.deserialize::<Value>().unwrap())
}

/// Hands `bytes` over as the page does: `upload_begin`, then pieces in order; gives the id.
fn upload_in_pieces(w: &Window, bytes: &[u8], piece: usize) -> String {
    let id = invoke(w, "upload_begin", json!({"size": bytes.len()})).unwrap();
    let id = id.as_str().unwrap().to_owned();
    for (i, chunk) in bytes.chunks(piece).enumerate() {
        let offset = (i * piece).to_string();
        let end = upload(
            w,
            "upload_piece",
            chunk.to_vec(),
            &[("x-upload", &id), ("x-offset", &offset)],
        )
        .unwrap();
        assert_eq!(end, json!(i * piece + chunk.len()));
    }
    id
}

fn invoke(w: &Window, cmd: &str, args: Value) -> Result<Value, Value> {
    request(w, cmd, args).map(|b| b.deserialize::<Value>().unwrap())
}

/// Logs the open profile in to the platform with its reviewer account (the first sync follows).
fn log_in(w: &Window, p: &Platform) {
    invoke(
        w,
        "login",
        json!({"input": {"server": p.url, "username": p.account.username, "password": p.account.password, "year": 2019}}),
    )
    .unwrap();
}

/// Every test profile's unlock secret.
const SECRET: &str = "24681357";

/// Gives a new profile its secret and opens it, as the login screen does; the session.
fn set_up(w: &Window, name: &str) -> Value {
    let info = invoke(w, "profile_set_up", json!({"name": name, "secret": SECRET})).unwrap();
    assert_eq!(info["recovery_code"].as_str().unwrap().len(), 29, "{info}");
    info["session"].clone()
}

impl Harness {
    /// Waits for the reader's next progress event; none means the reader went idle without
    /// reading `id`'s files. The deadline only keeps a broken reader from hanging the suite.
    fn next_reading_event(&self, id: &str) {
        loop {
            let e = self
                .events
                .recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|_| panic!("the reader went idle without reading {id}"));
            if e["kind"] == "reading" {
                return;
            }
        }
    }

    /// Waits for the end of a sync and gives its state event.
    fn sync_finished(&self) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let e = self
                .events
                .recv_timeout(left)
                .expect("no sync finished in time");
            if e["kind"] == "state"
                && e["running"] == false
                && (!e["report"].is_null() || !e["error"].is_null())
            {
                return e;
            }
        }
    }
}

struct Platform {
    url: String,
    db: PathBuf,
    account: Account,
}

fn platform() -> Platform {
    platform_seeded(30, 5, false)
}

/// A platform of `staff` people with `per` declarations each; `certificates`: realistic ones
/// as evidence (text PDFs, scans, photos, with the seed's ground truth).
fn platform_seeded(staff: usize, per: usize, certificates: bool) -> Platform {
    let db = temp_dir("platform").join("p.db");
    let mut conn = jxjy_platform::db::open(&db).unwrap();
    let params = SeedParams {
        units: 1,
        staff_per_unit: staff,
        declarations_per_staff: per,
        evidence: true,
        seed: 11,
        year: 2019,
    };
    let report = if certificates {
        let fonts = jxjy_certgen::Fonts::from_system().unwrap();
        jxjy_platform::seed::seed_with_certificates(&mut conn, &params, &fonts).unwrap()
    } else {
        seed(&mut conn, &params).unwrap()
    };
    let addr = tauri::async_runtime::block_on(jxjy_platform::api::spawn_server(
        "127.0.0.1:0",
        conn,
        Config::default(),
        FaultConfig::default(),
        RateLimiter::new(0.0, 1.0),
    ))
    .unwrap();
    Platform {
        url: format!("http://{addr}"),
        db,
        account: report.accounts[0].clone(),
    }
}

#[test]
fn review_flow_over_ipc_against_the_reference_platform() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let p = platform();
    let h = app();
    let w = &h.w;

    let start = invoke(w, "app_start", json!({})).unwrap();
    assert_eq!(start["profiles"], json!([]));
    assert_eq!(start["rule_sets"][0]["id"], "bingtuan-2019");

    // Nothing works before a profile is open.
    let err = invoke(w, "queue", json!({"filter": {}})).unwrap_err();
    assert_eq!(err["code"], "no_profile");

    let err = invoke(
        w,
        "profile_open",
        json!({"name": "reviewer-1", "secret": SECRET}),
    )
    .unwrap_err();
    assert_eq!(
        err["code"], "no_unlock_secret",
        "a new profile first chooses its secret"
    );
    let s = set_up(w, "reviewer-1");
    assert_eq!(s["logged_in"], false);
    let err = invoke(
        w,
        "profile_set_up",
        json!({"name": "../evil", "secret": SECRET}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");

    let login = |password: &str| {
        invoke(
            w,
            "login",
            json!({"input": {"server": p.url, "username": p.account.username, "password": password, "year": 2019}}),
        )
    };
    let err = login("wrong-password").unwrap_err();
    assert_eq!(err["code"], "not_logged_in");
    assert_eq!(err["message"], "用户名或密码不正确");
    let err = invoke(
        w,
        "login",
        json!({"input": {"server": "file:///etc/passwd", "username": "a", "password": "b", "year": 2019}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    // Plain http to another computer: refused before any request, saying what to type.
    let err = invoke(
        w,
        "login",
        json!({"input": {"server": "http://192.168.1.10:8787", "username": "a", "password": "b", "year": 2019}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("https://192.168.1.10:8787"), "{message}");
    assert!(message.contains("必须以 https:// 开头"), "{message}");

    let s = login(&p.account.password).unwrap();
    assert_eq!(s["logged_in"], true);
    assert_eq!(s["unit_id"], p.account.unit_id.as_str());
    // The login starts the first sync; progress events come before its end.
    let done = h.sync_finished();
    assert!(done["error"].is_null(), "{done}");
    // Five per person, plus the duplicates the seed plants for the checks to find.
    assert!(
        done["report"]["declarations_received"].as_u64().unwrap() >= 150,
        "{done}"
    );
    assert!(done["report"]["evidence_downloaded"].as_u64().unwrap() > 0);

    let page = invoke(
        w,
        "queue",
        json!({"filter": {"status": "pending_unit_review", "review_state": "open", "limit": 500}}),
    )
    .unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert!(rows.len() > 10, "{}", rows.len());
    assert!(rows.iter().all(|r| r["status"] == "pending_unit_review"));
    let clean: Vec<&Value> = rows.iter().filter(|r| r["flags"] == json!([])).collect();
    let flagged: Vec<&Value> = rows.iter().filter(|r| r["flags"] != json!([])).collect();
    assert!(clean.len() >= 3 && !flagged.is_empty());

    // The declaration view, and its evidence through the sniffing gate.
    let id = clean[0]["id"].as_str().unwrap();
    let view = invoke(w, "declaration", json!({"id": id})).unwrap();
    assert!(view["evaluation"]["explanation"]
        .as_str()
        .unwrap()
        .contains("学时"));
    let ev = view["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["state"] == "present");
    if let Some(ev) = ev {
        // The store sniffed the stored bytes: the viewer knows the kind before fetching them.
        assert!(
            ["pdf", "png"].contains(&ev["kind"].as_str().unwrap()),
            "{ev}"
        );
        let body = request(w, "evidence_content", json!({"sha256": ev["sha256"]})).unwrap();
        let InvokeResponseBody::Raw(bytes) = body else {
            panic!("evidence should come as raw bytes")
        };
        assert!(jxjy_core::filekind::sniff(&bytes).is_some());
    }
    let err = invoke(w, "evidence_content", json!({"sha256": "../../etc/passwd"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");

    // One decision by hand; a changed credit without a reason is refused in Rust.
    let version = view["declaration"]["version"].clone();
    let err = invoke(
        w,
        "decide",
        json!({"input": {"declaration_id": id, "declaration_version": version, "outcome": "approve", "credited_hours": 999}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let rec = invoke(
        w,
        "decide",
        json!({"input": {"declaration_id": id, "declaration_version": version, "outcome": "approve", "credited_hours": null, "reason": null}}),
    )
    .unwrap();
    assert_eq!(rec["state"], "pending");
    assert_eq!(rec["credited_hours"], view["evaluation"]["credited_hours"]);

    // Batch: flagged and already decided items are left out, with reasons.
    let ids: Vec<&str> = [clean[0], clean[1], clean[2], flagged[0]]
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let plan = invoke(w, "batch_preview", json!({"ids": ids})).unwrap();
    assert_eq!(plan["eligible"].as_array().unwrap().len(), 2);
    assert_eq!(plan["skipped"].as_array().unwrap().len(), 2);
    let result = invoke(w, "batch_approve", json!({"ids": ids})).unwrap();
    assert_eq!(result["approved"].as_array().unwrap().len(), 2);
    let dash = invoke(w, "dashboard", json!({})).unwrap();
    assert_eq!(dash["pending_upload"], 3);

    let history = invoke(w, "history", json!({"id": id})).unwrap();
    assert_eq!(history[0]["action"], "decide");

    // Sync now: the three decisions reach the platform, once each.
    invoke(w, "sync_now", json!({"evidence_first": null})).unwrap();
    let done = h.sync_finished();
    assert!(done["error"].is_null(), "{done}");
    assert_eq!(done["report"]["applied"], 3);
    assert_eq!(done["status"]["pending"], 0);
    let conn = jxjy_platform::db::open(&p.db).unwrap();
    let decisions = jxjy_platform::manage::decisions(&conn).unwrap();
    assert_eq!(decisions.len(), 3);
    assert!(decisions
        .iter()
        .any(|d| d.declaration_id == id && d.outcome == "approve"));

    // The staff view with the year's ledger; ID numbers masked unless revealed (audited).
    let roster = invoke(w, "roster", json!({"filter": {"year": 2019, "limit": 100}})).unwrap();
    assert_eq!(roster["total"], 30);
    let first = &roster["rows"][0];
    assert!(first["staff"]["id_number_masked"]
        .as_str()
        .unwrap()
        .contains('*'));
    let full = invoke(
        w,
        "reveal_id_number",
        json!({"staff_id": first["staff"]["id"]}),
    )
    .unwrap();
    assert_eq!(full.as_str().unwrap().len(), 18);

    // Inputs are checked in Rust.
    for (cmd, args) in [
        ("queue", json!({"filter": {"limit": 1000}})),
        (
            "declaration",
            json!({"id": "'; DROP TABLE declarations; --"}),
        ),
        ("batch_preview", json!({"ids": []})),
        (
            "decide",
            json!({"input": {"declaration_id": id, "declaration_version": version, "outcome": "reject", "credited_hours": 3}}),
        ),
    ] {
        let err = invoke(w, cmd, args.clone()).unwrap_err();
        assert_eq!(err["code"], "invalid_input", "{cmd} {args}: {err}");
    }
    // A review state is a closed set: anything else is refused while the arguments are read,
    // before a query runs (the page turns such an answer into `invalid_input`).
    let err = invoke(w, "queue", json!({"filter": {"review_state": "x' OR 1=1"}})).unwrap_err();
    assert!(
        err.as_str()
            .unwrap()
            .contains("expected one of `open`, `decided`, `conflict`"),
        "{err}"
    );
    let err = invoke(w, "declaration", json!({"id": "NO-SUCH"})).unwrap_err();
    assert_eq!(err["code"], "not_found");

    // The profile is listed and remembered for the next start.
    let start = invoke(w, "app_start", json!({})).unwrap();
    assert_eq!(start["profiles"], json!(["reviewer-1"]));
    assert_eq!(start["last_profile"], "reviewer-1");
}

/// Decisions start a sync by themselves: the test never asks for one. A batch approval records
/// all its decisions before it wakes the worker, so they go up in one push whatever the speed
/// of the machine; the burst timing itself is the `Debounce` unit test's.
#[test]
fn a_decision_wakes_the_sync_worker_and_a_batch_goes_up_in_one_push() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let p = platform();
    let h = app_with(Schedule {
        quiet: Duration::ZERO,
        quiet_max: Duration::ZERO,
        ..test_schedule()
    });
    let w = &h.w;
    set_up(w, "wake");
    log_in(w, &p);
    let first = h.sync_finished();
    assert!(first["error"].is_null(), "{first}");

    let page = invoke(
        w,
        "queue",
        json!({"filter": {"status": "pending_unit_review", "review_state": "open", "flagged": false, "limit": 10}}),
    )
    .unwrap();
    let ids: Vec<String> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 4, "{page}");

    invoke(
        w,
        "decide",
        json!({"input": {"declaration_id": ids[0], "outcome": "approve"}}),
    )
    .unwrap();
    let woke = h.sync_finished();
    assert!(woke["error"].is_null(), "{woke}");
    assert_eq!(woke["report"]["applied"], 1, "{woke}");
    assert_eq!(woke["status"]["pending"], 0);

    let batch = invoke(w, "batch_approve", json!({"ids": &ids[1..4]})).unwrap();
    assert_eq!(batch["approved"].as_array().unwrap().len(), 3);
    let woke = h.sync_finished();
    assert_eq!(woke["report"]["applied"], 3, "{woke}");
    assert_eq!(
        woke["report"]["push_requests"], 1,
        "one push for the batch: {woke}"
    );
    let conn = jxjy_platform::db::open(&p.db).unwrap();
    assert_eq!(jxjy_platform::manage::decisions(&conn).unwrap().len(), 4);

    // Sent: the undo is refused with the reason, and nothing changes.
    let err = invoke(w, "undo", json!({"id": ids[0]})).unwrap_err();
    assert_eq!(err["code"], "not_allowed");
    assert!(
        err["message"].as_str().unwrap().contains("已上传到平台"),
        "{err}"
    );
}

/// Undo over IPC while the decision is on this PC (the worker asleep: no wake in time).
#[test]
fn undo_over_ipc_returns_the_declaration_to_the_queue() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let p = platform();
    let h = app();
    let w = &h.w;
    set_up(w, "undo");
    log_in(w, &p);
    assert!(h.sync_finished()["error"].is_null());
    let page = invoke(
        w,
        "queue",
        json!({"filter": {"status": "pending_unit_review", "review_state": "open", "flagged": false, "limit": 3}}),
    )
    .unwrap();
    let id = page["rows"][0]["id"].as_str().unwrap().to_owned();
    invoke(
        w,
        "decide",
        json!({"input": {"declaration_id": id, "outcome": "return", "reason": "证明材料不清晰，请重新上传"}}),
    )
    .unwrap();
    let undone = invoke(w, "undo", json!({"id": id})).unwrap();
    assert_eq!(undone["state"], "withdrawn");
    let view = invoke(w, "declaration", json!({"id": id})).unwrap();
    assert_eq!(view["review_state"], "open");
    assert!(view["cannot_decide"].is_null());
    assert_eq!(
        invoke(w, "dashboard", json!({})).unwrap()["pending_upload"],
        0
    );
    let err = invoke(w, "undo", json!({"id": id})).unwrap_err();
    assert_eq!(err["code"], "not_allowed");
    assert!(
        err["message"].as_str().unwrap().contains("没有可撤销"),
        "{err}"
    );
    let err = invoke(w, "undo_batch", json!({"batch": "../x"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    // The session carries the rule set's minimums the page draws against.
    let s = invoke(w, "session", json!({})).unwrap();
    assert_eq!(s["requirement"]["public_hours"].as_f64(), Some(30.0));
    assert_eq!(s["requirement"]["professional_hours"].as_f64(), Some(60.0));

    // Logging out ends the session on the platform too: the tokens held before stop working.
    let profile = jxjy_store::ProfileName::new("undo").unwrap();
    let held = jxjy_store::keys::load_tokens(&profile).unwrap().unwrap();
    let out = invoke(w, "logout", json!({})).unwrap();
    assert_eq!(out["logged_in"], false);
    assert!(jxjy_store::keys::load_tokens(&profile).unwrap().is_none());
    let status = tauri::async_runtime::block_on(async {
        reqwest::Client::new()
            .get(format!("{}/api/v1/rules?year=2019", p.url))
            .bearer_auth(held.access.expose())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 401, "the platform session ended");
}

#[test]
fn credit_preview_evaluates_and_errors_are_code_and_message() {
    let h = app();
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/domain-example.json"
    ))
    .unwrap();
    let e = invoke(
        &h.w,
        "credit_preview",
        json!({"document": doc, "today": "2019-12-31"}),
    )
    .unwrap();
    assert_eq!(e["declarations"][0]["credited_hours"], 24);
    let bad = doc.replace("\"academic_conference\"", "\"webinar\"");
    let err = invoke(
        &h.w,
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
fn unknown_commands_and_plugins_are_refused() {
    let h = app();
    assert!(invoke(&h.w, "plugin:fs|read_file", json!({"path": "/etc/passwd"})).is_err());
    assert!(invoke(&h.w, "plugin:shell|execute", json!({"program": "sh"})).is_err());
    assert!(invoke(&h.w, "app_info", json!({})).is_err());
}

#[test]
fn spot_checks_exports_and_exchange_files_over_ipc() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let p = platform();
    let h = app();
    let w = &h.w;
    set_up(w, "office-1");
    log_in(w, &p);
    let done = h.sync_finished();
    assert!(done["error"].is_null(), "{done}");
    assert_eq!(invoke(w, "spotcheck_list", json!({})).unwrap(), json!([]));

    // A pack: the seed comes back, a problem needs a note.
    let pack = invoke(
        w,
        "spotcheck_create",
        json!({"input": {"year": 2019, "size": {"by": "count", "value": 5}, "min_per_form": 1, "seed": "7"}}),
    )
    .unwrap();
    assert_eq!(pack["seed"], "7");
    let err = invoke(
        w,
        "spotcheck_create",
        json!({"input": {"size": {"by": "count", "value": 0}, "min_per_form": 1, "seed": null}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    let view = invoke(w, "spotcheck_pack", json!({"id": pack["id"]})).unwrap();
    let first = view["items"][0]["declaration_id"].clone();
    let err = invoke(
        w,
        "spotcheck_record",
        json!({"input": {"pack_id": pack["id"], "declaration_id": first, "finding": "problem", "note": null}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["message"], "存在问题时须填写问题说明");
    let item = invoke(
        w,
        "spotcheck_record",
        json!({"input": {"pack_id": pack["id"], "declaration_id": first, "finding": "problem", "note": "证书无盖章"}}),
    )
    .unwrap();
    assert_eq!(item["upload"], "pending");
    let written = invoke(w, "spotcheck_export", json!({"id": pack["id"]})).unwrap();
    assert!(std::path::Path::new(written["paths"][0].as_str().unwrap()).exists());

    // Exports land in the exports folder; the print view is a page without script.
    let x = invoke(
        w,
        "export_xlsx",
        json!({"input": {"what": "ledger", "full_ids": false, "filter": null}}),
    )
    .unwrap();
    let path = x["paths"][0].as_str().unwrap();
    assert!(std::fs::read(path).unwrap().starts_with(b"PK"), "{path}");
    assert_eq!(x["rows"], 30);
    assert_eq!(x["full_ids"], false);
    assert!(!path.contains("含完整身份证号"), "{path}");
    // With full ID numbers: it says so in its name and only its owner can read it.
    let x = invoke(
        w,
        "export_xlsx",
        json!({"input": {"what": "ledger", "full_ids": true, "filter": null}}),
    )
    .unwrap();
    assert_eq!(x["full_ids"], true);
    let path = x["paths"][0].as_str().unwrap();
    assert!(path.contains("年度完成情况-含完整身份证号-"), "{path}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{path}");
    }
    let html = invoke(w, "print_view", json!({"input": {"what": "summary"}})).unwrap();
    assert!(html.as_str().unwrap().contains("初审情况汇总"));
    assert!(!html.as_str().unwrap().contains("<script"));

    // Roster corrections: checked, then applied only with the token of that check.
    let staff_id = view["items"][0]["staff_id"].as_str().unwrap().to_owned();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "人员编号").unwrap();
    ws.write_string(0, 1, "职称级别").unwrap();
    ws.write_string(1, 0, &staff_id).unwrap();
    ws.write_string(1, 1, "正高级").unwrap();
    ws.write_string(2, 0, "NOBODY").unwrap();
    ws.write_string(2, 1, "特级").unwrap();
    let check = upload(w, "roster_import_check", wb.save_to_buffer().unwrap(), &[]).unwrap();
    assert_eq!(check["ready"], 1);
    assert_eq!(check["rows"][1]["errors"].as_array().unwrap().len(), 2);
    let err = invoke(w, "roster_import_apply", json!({"token": 1})).unwrap_err();
    assert_eq!(err["code"], "stale");
    assert_eq!(
        invoke(w, "roster_import_apply", json!({"token": check["token"]})).unwrap(),
        1
    );
    let err = upload(w, "roster_import_check", b"not a spreadsheet".to_vec(), &[]).unwrap_err();
    assert_eq!(err["code"], "invalid_input");

    // A snapshot into a profile that never logged in: wrong passphrase, changed byte, then in.
    let pass = "团场口令-2026";
    let snap = invoke(
        w,
        "exchange_export",
        json!({"input": {"kind": "snapshot", "passphrase": pass}}),
    )
    .unwrap();
    let bytes = std::fs::read(snap["path"].as_str().unwrap()).unwrap();
    let s = set_up(w, "regiment");
    assert_eq!(s["offline_ready"], false);
    let import = |bytes: &[u8], pass: &str| {
        let id = upload_in_pieces(w, bytes, 64 * 1024);
        invoke(
            w,
            "exchange_import",
            json!({"input": {"upload": id, "passphrase": pass}}),
        )
    };
    // Pieces come in order; ids are the app's own numbers; an upload is read once, then gone.
    let id = invoke(w, "upload_begin", json!({"size": 10})).unwrap();
    let id = id.as_str().unwrap();
    let piece = |id: &str, at: &str| {
        upload(
            w,
            "upload_piece",
            vec![1; 5],
            &[("x-upload", id), ("x-offset", at)],
        )
        .unwrap_err()
    };
    assert_eq!(piece(id, "5")["code"], "invalid_input");
    assert_eq!(piece("../../etc/passwd", "0")["code"], "invalid_input");
    let progress = |id: &str| invoke(w, "upload_progress", json!({ "upload": id }));
    assert_eq!(progress(id).unwrap(), Value::Null, "not being read yet");
    assert_eq!(progress("x/1").unwrap_err()["code"], "invalid_input");
    let once = json!({"input": {"upload": id, "passphrase": pass}});
    assert!(
        invoke(w, "exchange_import", once.clone()).is_err(),
        "an empty file"
    );
    let err = invoke(w, "exchange_import", once).unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("上传已失效"),
        "{err}"
    );
    assert_eq!(progress(id).unwrap(), Value::Null, "done with");
    let err = import(&bytes, "wrong-passphrase").unwrap_err();
    assert_eq!(err["code"], "wrong_passphrase");
    let mut changed = bytes.clone();
    let at = changed.len() / 2;
    changed[at] ^= 0x40;
    let err = import(&changed, pass).unwrap_err();
    assert_eq!(err["code"], "file_refused");
    assert!(err["message"].as_str().unwrap().contains("未导入任何内容"));
    let q = invoke(w, "queue", json!({"filter": {}})).unwrap();
    assert_eq!(q["total"], 0, "nothing applied from the changed file");
    assert!(
        bytes.len() > 3 * 64 * 1024,
        "the snapshot spans several pieces"
    );
    let report = import(&bytes, pass).unwrap();
    let left = std::fs::read_dir(h.home.join("uploads")).unwrap().count();
    assert_eq!(left, 0, "every upload is deleted once read");
    let n = snap["report"]["declarations"].clone();
    assert!(n.as_u64().unwrap() >= 150, "{snap}");
    assert_eq!(report["declarations"], n);
    let s = invoke(w, "session", json!({})).unwrap();
    assert_eq!(s["offline_ready"], true);
    assert_eq!(s["logged_in"], false);
    let q = invoke(w, "queue", json!({"filter": {}})).unwrap();
    assert_eq!(q["total"], n);
}

#[test]
fn a_second_app_on_the_same_data_folder_opens_no_profile() {
    let first = app();
    set_up(&first.w, "one");
    let second = app_at(jxjy_store::Home::new(&first.home), test_schedule());
    let start = invoke(&second.w, "app_start", json!({})).unwrap();
    assert_eq!(start["already_running"], true);
    let err = invoke(
        &second.w,
        "profile_open",
        json!({"name": "one", "secret": SECRET}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "already_running");
    assert!(
        err["message"].as_str().unwrap().contains("另一个窗口"),
        "{err}"
    );
    let start = invoke(&first.w, "app_start", json!({})).unwrap();
    assert_eq!(start["already_running"], false);
    assert_eq!(
        invoke(&first.w, "session", json!({})).unwrap()["profile"],
        "one"
    );
}

/// The profile opens only with its secret; a lock (the button, idle) closes it with nothing
/// lost; a wrong secret opens nothing; the recovery code sets a new secret.
#[test]
fn a_locked_profile_answers_nothing_until_unlocked_and_loses_nothing() {
    use jxjy_review::state::AppState;
    use std::sync::Arc;
    use tauri::Manager;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let p = platform();
    let h = app();
    let w = &h.w;
    let (tx, locked_events) = mpsc::channel();
    h._app.listen_any(jxjy_review::LOCKED_EVENT, move |e| {
        let _ = tx.send(e.payload().to_owned());
    });

    // A weak secret is refused, and nothing is created.
    let err = invoke(
        w,
        "profile_set_up",
        json!({"name": "lock", "secret": "1234"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("至少6位数字"),
        "{err}"
    );
    let state = invoke(w, "profile_lock_state", json!({"name": "lock"})).unwrap();
    assert_eq!(state, "new");
    let info = invoke(
        w,
        "profile_set_up",
        json!({"name": "lock", "secret": SECRET}),
    )
    .unwrap();
    let recovery = info["recovery_code"].as_str().unwrap().to_owned();
    assert_eq!(
        invoke(w, "profile_lock_state", json!({"name": "lock"})).unwrap(),
        "protected"
    );
    let err = invoke(
        w,
        "profile_set_up",
        json!({"name": "lock", "secret": "13579246"}),
    )
    .unwrap_err();
    assert_eq!(
        err["code"], "not_allowed",
        "a second set-up cannot replace the secret"
    );

    log_in(w, &p);
    assert!(h.sync_finished()["error"].is_null());
    let page = invoke(
        w,
        "queue",
        json!({"filter": {"status": "pending_unit_review", "review_state": "open", "flagged": false, "limit": 1}}),
    )
    .unwrap();
    let id = page["rows"][0]["id"].as_str().unwrap().to_owned();
    invoke(
        w,
        "decide",
        json!({"input": {"declaration_id": id, "outcome": "approve"}}),
    )
    .unwrap();

    // The lock button: every command of the profile answers "locked".
    assert_eq!(invoke(w, "lock", json!({})).unwrap(), "lock");
    for (cmd, args) in [
        ("queue", json!({"filter": {}})),
        ("session", json!({})),
        ("dashboard", json!({})),
        ("sync_now", json!({"evidence_first": null})),
    ] {
        let err = invoke(w, cmd, args).unwrap_err();
        assert_eq!(err["code"], "locked", "{cmd}: {err}");
    }
    // Wrong secrets open nothing (the first two do not wait yet).
    for _ in 0..2 {
        let err = invoke(
            w,
            "profile_open",
            json!({"name": "lock", "secret": "99999999"}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "wrong_secret", "{err}");
        assert_eq!(
            invoke(w, "queue", json!({"filter": {}})).unwrap_err()["code"],
            "locked"
        );
    }
    let s = invoke(w, "profile_open", json!({"name": "lock", "secret": SECRET})).unwrap();
    assert_eq!(s["logged_in"], true, "the platform login outlives a lock");
    let dash = invoke(w, "dashboard", json!({})).unwrap();
    assert_eq!(
        dash["pending_upload"], 1,
        "the decision made before the lock is kept"
    );
    // The worker came back with the unlock: the decision goes up.
    invoke(w, "sync_now", json!({"evidence_first": null})).unwrap();
    let done = h.sync_finished();
    assert_eq!(done["report"]["applied"], 1, "{done}");

    // Idle: the watcher's check with the time passed in locks and tells the window.
    let app_state = h._app.state::<Arc<AppState>>().inner().clone();
    let err = invoke(w, "idle_lock_set", json!({"minutes": 0})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(invoke(w, "idle_lock_set", json!({"minutes": 121})).is_err());
    assert_eq!(
        invoke(w, "idle_lock_set", json!({"minutes": 30})).unwrap(),
        30
    );
    assert_eq!(
        invoke(w, "app_start", json!({})).unwrap()["idle_lock_minutes"],
        30
    );
    invoke(w, "activity", json!({})).unwrap();
    // The last input, an hour ahead of the real clock: the commands above and below report
    // earlier times, which never move it back, so no figure here depends on how fast this runs.
    let t0 = std::time::Instant::now() + Duration::from_secs(3600);
    app_state.touched(t0).unwrap();
    assert!(!app_state.lock_if_idle(t0).unwrap(), "not idle yet");
    let minute = Duration::from_secs(60);
    assert!(
        !app_state.lock_if_idle(t0 + 29 * minute).unwrap(),
        "29 of 30 minutes"
    );
    assert!(app_state.lock_if_idle(t0 + 30 * minute).unwrap());
    let event = locked_events.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(event, "\"lock\"");
    assert_eq!(
        invoke(w, "queue", json!({"filter": {}})).unwrap_err()["code"],
        "locked"
    );

    // The recovery code: a wrong one opens nothing; the right one sets a new secret and a new
    // code, and the old secret and code stop working.
    let err = invoke(
        w,
        "profile_recover",
        json!({"name": "lock", "code": "00000-00000-00000-00000-00000", "new_secret": "13579246"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "wrong_secret", "{err:?}");
    let info = invoke(
        w,
        "profile_recover",
        json!({"name": "lock", "code": recovery.to_lowercase(), "new_secret": "13579246"}),
    )
    .unwrap();
    assert_ne!(info["recovery_code"].as_str().unwrap(), recovery);
    assert_eq!(info["session"]["logged_in"], true);
    invoke(w, "lock", json!({})).unwrap();
    let err = invoke(w, "profile_open", json!({"name": "lock", "secret": SECRET})).unwrap_err();
    assert_ne!(err["code"], Value::Null);
    assert!(
        err["code"] == "wrong_secret" || err["code"] == "unlock_throttled",
        "the old secret: {err}"
    );
    let err = invoke(
        w,
        "profile_recover",
        json!({"name": "lock", "code": recovery, "new_secret": "11223344"}),
    )
    .unwrap_err();
    assert!(
        err["code"] == "wrong_secret" || err["code"] == "unlock_throttled",
        "the old code: {err}"
    );
    let conn = jxjy_platform::db::open(&p.db).unwrap();
    assert_eq!(
        jxjy_platform::manage::decisions(&conn).unwrap().len(),
        1,
        "applied once"
    );
}

/// The background reader, on the seed's realistic certificates (text PDFs here: OCR is the
/// reader's own tests'): a certificate that matches its declaration shows every field agreeing,
/// one made with a discrepancy raises its flag on the declaration, which batch approve then
/// leaves out; the reviewer's pane never waits for a reading (it says pending).
#[test]
fn the_background_reader_compares_certificates_with_their_declarations() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let p = platform_seeded(16, 4, true);
    let h = app_with(Schedule {
        reading: Reading::TextOnly,
        ..test_schedule()
    });
    let w = &h.w;
    set_up(w, "reader");
    log_in(w, &p);
    let done = h.sync_finished();
    assert!(done["error"].is_null(), "{done}");

    // The seed's ground truth: which text PDFs carry which discrepancy.
    let conn = jxjy_platform::db::open(&p.db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT declaration_id, coalesce(discrepancy, '') FROM evidence_truth
             WHERE format = 'text_pdf' ORDER BY declaration_id",
        )
        .unwrap();
    let truth: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // Declarations the app holds with all their files present and one text PDF among them.
    let present = |id: &str| {
        invoke(w, "declaration", json!({"id": id})).is_ok_and(|v| {
            let ev = v["evidence"].as_array().unwrap();
            ev.len() == 1 && ev[0]["state"] == "present"
        })
    };
    let matching = truth
        .iter()
        .find(|(id, d)| d.is_empty() && present(id))
        .map(|(id, _)| id.clone())
        .expect("a matching text PDF");
    let wrong = truth
        .iter()
        .find(|(id, d)| {
            ["name", "dates", "hours", "organizer"].contains(&d.as_str()) && present(id)
        })
        .cloned();

    // Asked for again after each progress event of the reader (which goes to `id` first), so
    // the test waits for the reader's work, not for a time.
    let ready = |id: &str| loop {
        let r = invoke(w, "evidence_reading", json!({"declaration_id": id})).unwrap();
        if r["state"] == "ready" {
            return r["summary"].clone();
        }
        assert_eq!(r["state"], "pending", "{r}");
        h.next_reading_event(id);
    };
    let summary = ready(&matching);
    let verdict = |s: &Value, field: &str| {
        s["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["field"] == field)
            .unwrap_or_else(|| panic!("no {field} row: {s}"))
            .clone()
    };
    for field in ["holder_name", "dates", "organizer"] {
        let row = verdict(&summary, field);
        assert_eq!(row["verdict"], "agrees", "{field}: {row}");
        // Where it was read, for the viewer's highlight: inside the page.
        let at = &row["place"];
        assert!(
            at["x"].as_u64().unwrap() + at["w"].as_u64().unwrap()
                <= at["page_width"].as_u64().unwrap(),
            "{row}"
        );
    }
    assert_eq!(verdict(&summary, "certificate_no")["verdict"], "read");
    assert_eq!(summary["files_read"], 1);
    assert_eq!(summary["findings"], json!([]));

    {
        let (id, discrepancy) = wrong.expect("a text PDF made with a discrepancy (seed 11)");
        let summary = ready(&id);
        let field = if discrepancy == "name" {
            "holder_name"
        } else {
            &discrepancy
        };
        assert_eq!(verdict(&summary, field)["verdict"], "differs", "{summary}");
        let flag = format!("evidence_{discrepancy}_mismatch");
        let view = invoke(w, "declaration", json!({"id": id})).unwrap();
        let flags = &view["evaluation"]["flags"];
        assert!(
            flags.as_array().is_some_and(|f| f.contains(&json!(flag))),
            "{flag} not in {flags}"
        );
        let plan = invoke(w, "batch_preview", json!({"ids": [id]})).unwrap();
        assert_eq!(plan["eligible"], json!([]), "{plan}");
    }

    // Bad input is refused before anything is asked of the reader.
    let err = invoke(w, "evidence_reading", json!({"declaration_id": "../x"})).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    // The progress: some files read, the images waiting for OCR (turned off here).
    let progress = invoke(w, "reading_progress", json!({})).unwrap();
    assert!(progress["read"].as_u64().unwrap() >= 1, "{progress}");
    assert!(
        progress["read"].as_u64() <= progress["total"].as_u64(),
        "{progress}"
    );
}
