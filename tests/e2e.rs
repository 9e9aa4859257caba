//! End to end: the real app in a real WebKit webview under Xvfb, driven through WebDriver
//! (`tauri-driver` + `WebKitWebDriver`), against the reference platform seeded on loopback.
//! Log in → first sync → open a declaration → see its evidence → approve with the keyboard →
//! sync → the platform holds the decision. Run by scripts/test.sh as
//! `xvfb-run -a cargo test --test e2e -- --ignored`; with `JXJY_SCREENSHOTS=DIR` it also
//! saves screenshots of the main screens (scripts/screenshots.sh).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use jxjy_platform::seed::SeedParams;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::platform::serve_seeded_with_certificates;
use support::webdriver::{Driver, DriverProcess, Session};

/// Clicks the first loaded row that has no flag and is not decided yet; gives its id.
const CLICK_CLEAN_ROW: &str = "(() => { const r = [...document.querySelectorAll('[data-test=queue-row][data-id]')].find(r => !r.querySelector('[data-test=flag]') && !r.textContent.includes('已审核')); if (r) { r.click(); return r.dataset.id; } return null; })()";

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jxjy-e2e-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn shot(s: &Session, dir: &Option<PathBuf>, name: &str) {
    if let Some(dir) = dir {
        // Let animations settle, then wait for two painted frames so the picture is current.
        tokio::time::sleep(Duration::from_millis(600)).await;
        s.script_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
        )
        .await;
        s.screenshot(&dir.join(format!("{name}.png"))).await;
    }
}

/// True when no Element Plus dialog overlay is showing.
const NO_DIALOG: &str = "![...document.querySelectorAll('.el-overlay')].some(o => o.offsetParent !== null || getComputedStyle(o).display !== 'none')";

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by scripts/test.sh under xvfb-run"]
fn review_in_the_real_app_reaches_the_platform() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run());
}

async fn run() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let screenshots = std::env::var_os("JXJY_SCREENSHOTS").map(PathBuf::from);
    if let Some(d) = &screenshots {
        std::fs::create_dir_all(d).unwrap();
    }

    // The reference platform, seeded with realistic certificates, on loopback.
    let db = temp_dir("platform").join("platform.db");
    let params = SeedParams {
        units: 1,
        staff_per_unit: 60,
        declarations_per_staff: 6,
        evidence: true,
        seed: 5,
        year: 2019,
    };
    let (addr, account) = serve_seeded_with_certificates(&db, &params).await;

    // The app, launched by WebKitWebDriver through tauri-driver, with a fresh data folder.
    let home = temp_dir("home");
    let exports = home.join("exports");
    let mut envs = vec![
        ("JXJY_HOME", home.as_os_str()),
        ("JXJY_KEYRING", OsStr::new("memory")),
        ("JXJY_EXPORT_DIR", exports.as_os_str()),
    ];
    if screenshots.is_some() {
        // WebKitWebDriver's screenshots hang without compositing (the app turns it off).
        envs.push(("WEBKIT_DISABLE_COMPOSITING_MODE", OsStr::new("0")));
    }
    let driver = DriverProcess::start(envs);
    let s = Driver::new(4444)
        .session(env!("CARGO_BIN_EXE_jxjy-review"))
        .await;

    // First run: log in; the first sync runs with progress.
    s.fill("input[data-test=server]", &format!("http://{addr}"))
        .await;
    s.fill("input[data-test=username]", &account.username).await;
    s.fill("input[data-test=password]", "wrong").await;
    // A new profile chooses its unlock secret at its first login.
    s.fill("input[data-test=new-secret]", SECRET).await;
    s.fill("input[data-test=new-secret-again]", SECRET).await;
    let login = s.wait("[data-test=login]", 10).await;
    s.click(&login).await;
    // The profile was set up before the login was tried: its recovery code shows once.
    let code = s.wait("[data-test=recovery-code]", 20).await;
    let code = s.text(&code).await;
    assert_eq!(code.trim().len(), 29, "{code}");
    shot(&s, &screenshots, "00-recovery-code").await;
    let noted = s.wait("[data-test=recovery-noted]", 5).await;
    s.click(&noted).await;
    let done = s.wait("[data-test=recovery-done]", 5).await;
    s.click(&done).await;
    let err = s.wait("[data-test=login-error]", 20).await;
    let message = s.text(&err).await;
    assert!(message.contains("用户名或密码不正确"), "{message}");
    shot(&s, &screenshots, "01-login").await;
    s.fill("input[data-test=password]", &account.password).await;
    s.click(&login).await;
    s.wait("[data-test=first-sync]", 20).await;
    s.wait_for(
        "the first sync",
        "document.querySelector('[data-test=start-review]')?.textContent.trim() === '开始审核'",
        180,
    )
    .await;
    shot(&s, &screenshots, "02-first-sync-done").await;
    let start = s.wait("[data-test=start-review]", 5).await;
    s.click(&start).await;

    // The queue; open a clean declaration whose evidence is a file.
    s.wait("[data-test=queue-row][data-id]", 30).await;
    let id = s.wait_for("a clean row", CLICK_CLEAN_ROW, 20).await;
    let id = id.as_str().unwrap().to_owned();
    s.wait_for(
        "the declaration",
        &format!("document.querySelector('[data-test=detail-title]') && document.querySelector('.qrow.sel')?.dataset.id === '{id}'"),
        20,
    )
    .await;
    s.wait("[data-test=hash-ok]", 60).await;
    s.wait_for(
        "the evidence on screen",
        "document.querySelector('[data-test=evidence-image]')?.complete || document.querySelector('[data-test=evidence-pdf] canvas')",
        60,
    )
    .await;
    // The background reader reaches the declaration on screen (it goes there first): 证书内容
    // beside 申报内容, and a click on a field read marks where it stands on the certificate.
    s.wait("[data-test=reading-table]", 180).await;
    shot(&s, &screenshots, "03-review").await;
    s.wait_for(
        "a field marked on the certificate",
        "(() => { if (document.querySelector('[data-test=evidence-mark]')) return true; const r = document.querySelector('[data-test=reading-table] tr.clickable'); if (r && !r.classList.contains('on')) r.click(); return false; })()",
        20,
    )
    .await;
    shot(&s, &screenshots, "03b-evidence-read").await;

    // Approve with the keyboard.
    s.key("a").await;
    s.wait_for(
        "the decision to be recorded",
        "document.querySelector('[data-test=pending]')?.textContent.trim() === '1'",
        20,
    )
    .await;

    // Help, batch, staff and conflicts screens for the screenshots.
    if screenshots.is_some() {
        s.key("?").await;
        s.wait("[data-test=help]", 5).await;
        shot(&s, &screenshots, "04-shortcuts").await;
        s.key("\u{E00C}").await; // Escape
        s.wait_for("the dialog to close", NO_DIALOG, 10).await;
        s.script("document.querySelectorAll('[data-test=queue-row][data-id] input[type=checkbox]').forEach((c, i) => i < 6 && c.click())").await;
        let batch = s.wait("[data-test=batch-approve]", 5).await;
        s.click(&batch).await;
        s.wait("[data-test=batch-summary]", 10).await;
        shot(&s, &screenshots, "05-batch-approve").await;
        s.key("\u{E00C}").await;
        s.wait_for("the dialog to close", NO_DIALOG, 10).await;
        let staff = s.wait("[data-test=tab-staff]", 5).await;
        s.click(&staff).await;
        s.wait("[data-test=staff-view] .el-table__row", 20).await;
        shot(&s, &screenshots, "06-staff").await;
        let review = s.wait("[data-test=tab-review]", 5).await;
        s.click(&review).await;
    }

    // Sync: the decision reaches the platform.
    let sync = s.wait("[data-test=sync-now]", 10).await;
    s.click(&sync).await;
    s.wait_for(
        "the upload",
        "document.querySelector('[data-test=pending]')?.textContent.trim() === '0' && document.querySelector('[data-test=sync-now]')",
        60,
    )
    .await;
    let conn = jxjy_platform::db::open(&db).unwrap();
    let decisions = jxjy_platform::manage::decisions(&conn).unwrap();
    assert!(
        decisions
            .iter()
            .any(|d| d.declaration_id == id && d.outcome == "approve"),
        "the platform has no approval of {id}: {decisions:?}"
    );

    // Spot-check pack, exports, print preview, exchange file: the 抽审与导出 screens.
    let tab = s.wait("[data-test=tab-office]", 5).await;
    s.click(&tab).await;
    s.wait("[data-test=spotcheck-panel]", 20).await;
    s.fill("input[data-test=spot-seed]", "20191231").await;
    let create = s.wait("[data-test=spot-create]", 5).await;
    s.click(&create).await;
    s.wait("[data-test=spot-items] .el-table__row", 20).await;
    let ok = s.wait("[data-test=spot-ok]", 5).await;
    s.click(&ok).await;
    s.wait_for(
        "the finding",
        "document.querySelector('[data-test=spot-items] .el-table__row')?.textContent.includes('待上传')",
        20,
    )
    .await;
    let export = s.wait("[data-test=spot-export]", 5).await;
    s.click(&export).await;
    s.wait("[data-test=spot-written]", 30).await;
    shot(&s, &screenshots, "08-spotcheck").await;
    let zips: Vec<_> = std::fs::read_dir(&exports)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".zip"))
        .collect();
    assert_eq!(zips.len(), 1, "one pack zip in {}", exports.display());

    let part = s.wait("[data-test=part-export]", 5).await;
    s.click(&part).await;
    let queue = s.wait("[data-test=export-queue]", 10).await;
    s.click(&queue).await;
    s.wait("[data-test=export-written]", 30).await;
    shot(&s, &screenshots, "09-export").await;
    let print = s.wait("[data-test=print-summary]", 5).await;
    s.click(&print).await;
    s.wait_for(
        "the print preview",
        "document.querySelector('[data-test=print-frame]')?.contentDocument?.body?.textContent.includes('初审情况汇总')",
        20,
    )
    .await;
    shot(&s, &screenshots, "10-print-summary").await;
    s.key("\u{E00C}").await;
    s.wait_for("the dialog to close", NO_DIALOG, 10).await;

    let part = s.wait("[data-test=part-exchange]", 5).await;
    s.click(&part).await;
    let snapshot = s.wait("[data-test=ex-kind-snapshot]", 5).await;
    s.click(&snapshot).await;
    s.fill("input[data-test=ex-pass]", "团场口令-2026").await;
    s.fill("input[data-test=ex-pass2]", "团场口令-2026").await;
    let ex = s.wait("[data-test=ex-export]", 5).await;
    s.click(&ex).await;
    s.wait("[data-test=ex-written]", 30).await;
    shot(&s, &screenshots, "11-exchange").await;
    assert!(std::fs::read_dir(&exports)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().ends_with(".jxjy")));

    // The finding reaches the platform with the next sync.
    let sync = s.wait("[data-test=sync-now]", 10).await;
    s.click(&sync).await;
    let findings = {
        let mut n = 0;
        for _ in 0..120 {
            n = jxjy_platform::manage::findings(&jxjy_platform::db::open(&db).unwrap())
                .unwrap()
                .len();
            if n > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        n
    };
    assert_eq!(findings, 1, "the platform holds the spot-check finding");
    let tab = s.wait("[data-test=tab-review]", 5).await;
    s.click(&tab).await;

    // A conflict: decide, the platform amends the declaration before the upload.
    if screenshots.is_some() {
        let next = s.wait_for("another clean row", CLICK_CLEAN_ROW, 20).await;
        let next = next.as_str().unwrap().to_owned();
        s.wait_for(
            "the row",
            &format!("document.querySelector('.qrow.sel')?.dataset.id === '{next}'"),
            10,
        )
        .await;
        s.wait("[data-test=approve]", 10).await;
        s.key("a").await;
        s.wait_for(
            "recorded",
            "document.querySelector('[data-test=pending]')?.textContent.trim() !== '0'",
            20,
        )
        .await;
        let mut conn = jxjy_platform::db::open(&db).unwrap();
        jxjy_platform::manage::amend(&mut conn, &next, false).unwrap();
        let sync = s.wait("[data-test=sync-now]", 30).await;
        s.click(&sync).await;
        s.wait_for(
            "the conflict",
            "document.querySelector('[data-test=conflicts] b')?.textContent.trim() !== '0'",
            60,
        )
        .await;
        let tab = s.wait("[data-test=tab-conflicts]", 5).await;
        s.click(&tab).await;
        s.wait("[data-test=conflict]", 20).await;
        shot(&s, &screenshots, "07-conflicts").await;
    }

    // The lock button: only the unlock screen; a wrong secret is refused; the right one
    // brings the queue back.
    let lock = s.wait("[data-test=lock]", 10).await;
    s.click(&lock).await;
    s.wait("[data-test=unlock-screen]", 20).await;
    let rows = s
        .script("return document.querySelectorAll('[data-test=queue-row]').length")
        .await;
    assert_eq!(rows, 0, "nothing of the profile behind the unlock screen");
    shot(&s, &screenshots, "12-locked").await;
    s.fill("input[data-test=unlock-secret]", "00000000").await;
    let unlock = s.wait("[data-test=unlock]", 5).await;
    s.click(&unlock).await;
    s.wait("[data-test=unlock-error]", 20).await;
    s.fill("input[data-test=unlock-secret]", SECRET).await;
    s.click(&unlock).await;
    s.wait("[data-test=queue-row][data-id]", 30).await;

    s.close().await;
    drop(driver);
    cleanup(&home);
}

/// The unlock secret the reviewer chooses at the first login.
const SECRET: &str = "24681357";

fn cleanup(home: &Path) {
    let _ = std::fs::remove_dir_all(home);
}
