//! End-to-end benchmark of the desktop app (release build, real WebKit window under Xvfb,
//! driven through WebDriver): start to an interactive queue, filter / scroll / next-item
//! interactions, and resident memory, with 100,000 declarations cached — against a baseline of
//! 1,000 declarations measured in the same run — and resident memory after the app's first
//! sync of a 100,000-declaration unit from the reference platform on loopback. Run by
//! `scripts/bench-app.sh` (it provides Xvfb, tauri-driver and a kernel keyring session shared
//! with the app).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/support/platform.rs"]
mod platform;
#[path = "../tests/support/webdriver.rs"]
mod webdriver;

use chrono::NaiveDate;
use jxjy_core::synth::{generate, SynthParams};
use jxjy_core::RuleSet;
use jxjy_platform::seed::SeedParams;
use jxjy_store::keys::{self, Sensitive, Tokens};
use jxjy_store::{Home, ProfileName};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};
use webdriver::{Driver, DriverProcess, Session};

/// The bench profiles' unlock secret.
const SECRET: &str = "24681357";

/// Types the unlock secret as the reviewer does (the start-up figures include the Argon2id
/// unwrap of the database key).
async fn unlock(s: &Session) {
    s.fill("input[data-test=unlock-secret]", SECRET).await;
    let button = s.wait("[data-test=unlock]", 10).await;
    s.click(&button).await;
}

/// A logged-in profile (offline: the platform address points nowhere) with `staff × 10`
/// declarations, evaluated. Its name is new to this run: keyring entries are named by profile
/// and the kernel's persistent keyring keeps them past the run, so a name used before (by the
/// other size, or an earlier run) would already have an unlock secret.
fn fill(home: &Home, staff: usize) {
    let profile = ProfileName::new(&format!("bench-{}-{staff}", std::process::id())).unwrap();
    let mut store = jxjy_usecases::profile::set_up(home, &profile, SECRET)
        .unwrap()
        .store;
    let input = generate(&SynthParams {
        staff,
        declarations_per_staff: 10,
        seed: 99,
        ..SynthParams::default()
    });
    store.import_input(&input).unwrap();
    let today = NaiveDate::from_ymd_opt(2020, 1, 15).unwrap();
    store
        .reevaluate(&RuleSet::for_year(2019).unwrap(), 2019, today)
        .unwrap();
    for (k, v) in [
        ("server", "http://127.0.0.1:9"),
        ("username", "bench"),
        ("unit_id", "U01"),
        ("unit_name", "基准单位"),
        ("review_year", "2019"),
    ] {
        store.set_meta(k, v).unwrap();
    }
    keys::save_tokens(
        &profile,
        &Tokens {
            access: Sensitive::new("x".into()),
            refresh: Sensitive::new("y".into()),
        },
    )
    .unwrap();
}

/// The value (first number) of the `name` line of a /proc file such as `status`.
fn proc_field(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
}

/// The app process's memory, in MiB.
#[derive(Default)]
struct Memory {
    /// Resident (VmRSS).
    rss: f64,
    /// Of that, anonymous pages, and file-backed (shared libraries, mostly) with shared memory.
    anon: f64,
    file: f64,
    /// Proportional set size: each shared page divided among the processes mapping it — the
    /// libraries it shares with the WebKit processes count a share each.
    pss: f64,
    /// Resident, with the WebKit processes it started.
    with_webkit: f64,
}

fn memory(app_binary: &str) -> Memory {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Memory::default();
    };
    let mut app = None;
    // (pid, parent, executable, VmRSS in MiB)
    let mut all: Vec<(u32, u32, String, f64)> = Vec::new();
    for p in procs.flatten() {
        let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let status = std::fs::read_to_string(p.path().join("status")).unwrap_or_default();
        let exe = std::fs::read_link(p.path().join("exe"))
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rss = proc_field(&status, "VmRSS:") / 1024.0;
        all.push((pid, proc_field(&status, "PPid:") as u32, exe.clone(), rss));
        if exe == app_binary {
            let rollup = std::fs::read_to_string(p.path().join("smaps_rollup")).unwrap_or_default();
            app = Some((
                pid,
                Memory {
                    rss,
                    anon: proc_field(&status, "RssAnon:") / 1024.0,
                    file: (proc_field(&status, "RssFile:") + proc_field(&status, "RssShmem:"))
                        / 1024.0,
                    pss: proc_field(&rollup, "Pss:") / 1024.0,
                    with_webkit: 0.0,
                },
            ));
        }
    }
    let Some((pid, mut m)) = app else {
        return Memory::default();
    };
    m.with_webkit = all
        .iter()
        .filter(|(p, ppid, exe, _)| *p == pid || (*ppid == pid && exe.contains("WebKit")))
        .map(|(_, _, _, rss)| rss)
        .sum();
    m
}

fn median(xs: &[f64]) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn p95(xs: &[f64]) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[((xs.len() as f64) * 0.95).ceil() as usize - 1]
}

/// Times one interaction in the page: `action` runs, then the time until `done` holds and the
/// page has painted it. `done` is checked on every DOM change (a mutation observer runs right
/// after the change, in the same task) and every 4 ms. Then a message is posted: WebKit paints a
/// changed page in the rendering update that follows the task that changed it, and a message
/// posted by that task arrives after it (measured: the page's thread is busy without a break
/// from the change to the end of the paint, and such a message arrives at that end). An
/// animation frame is not waited for: when the page has been idle the next one comes a frame
/// interval after the paint, time in which nothing is left to show.
async fn interaction(s: &Session, action: &str, done: &str) -> f64 {
    let script = format!(
        "const cb = arguments[arguments.length - 1];
         const t0 = performance.now();
         let seen = false;
         const check = () => {{
           if (seen || !({done})) return;
           seen = true;
           observer.disconnect();
           clearInterval(poll);
           const ch = new MessageChannel();
           ch.port1.onmessage = () => cb(performance.now() - t0);
           ch.port2.postMessage(0);
         }};
         const observer = new MutationObserver(check);
         observer.observe(document.body, {{subtree: true, childList: true, characterData: true, attributes: true}});
         const poll = setInterval(check, 4);
         {action};
         check();"
    );
    let v: Value = s.script_async(&script).await;
    v.as_f64()
        .unwrap_or_else(|| panic!("interaction `{action}` did not finish"))
}

struct Figures {
    /// From the app process's start to the first queue rows in the page.
    start_process_ms: f64,
    /// From asking WebDriver for a session (which launches the app) to the queue being found.
    start_wall_ms: f64,
    start_page_ms: f64,
    paced: Rounds,
    back_to_back: Rounds,
    memory: Memory,
    total: f64,
}

/// Interaction latencies (ms) of one kind each.
#[derive(Default)]
struct Rounds {
    filter: Vec<f64>,
    scroll: Vec<f64>,
    next: Vec<f64>,
}

impl Rounds {
    fn worst_p95(&self) -> f64 {
        p95(&self.filter)
            .max(p95(&self.scroll))
            .max(p95(&self.next))
    }

    fn describe(&self) -> String {
        format!(
            "filter p95 {:.1} ms (median {:.1}) · scroll p95 {:.1} ms (median {:.1}) · next item p95 {:.1} ms (median {:.1})",
            p95(&self.filter),
            median(&self.filter),
            p95(&self.scroll),
            median(&self.scroll),
            p95(&self.next),
            median(&self.next)
        )
    }
}

/// Twenty rounds of: a filter on, the filter off, a jump deep into the list, the next item by
/// keyboard. With `pause`, each interaction starts from a settled app, as at a person's pace:
/// the work the previous one started after its rows were painted (the detail pane, the
/// neighbouring pages) is done. Without it, each starts the moment the previous one has
/// painted: a stress case, reported beside it.
async fn rounds(s: &Session, total: f64, pause: Option<Duration>) -> Rounds {
    let settle = || async {
        if let Some(p) = pause {
            tokio::time::sleep(p).await;
        }
    };
    let total_is = |pred: &str| {
        format!("(() => {{ const t = Number(document.querySelector('[data-test=total] b').textContent); return {pred}; }})()")
    };
    let mut r = Rounds::default();
    let forms = [
        "online_course",
        "base_training",
        "academic_conference",
        "organized_training",
        "qualification_exam",
    ];
    for round in 0..20 {
        // A filter on, then off.
        let form = forms[round % forms.len()];
        let before = total;
        settle().await;
        r.filter.push(
            interaction(
                s,
                &format!("window.__jxjyQueue.setFilter({{form: '{form}'}})"),
                &total_is(&format!(
                    "t !== {before} && document.querySelector('[data-test=queue-row][data-id]')"
                )),
            )
            .await,
        );
        let mid: f64 = s
            .script("return Number(document.querySelector('[data-test=total] b').textContent)")
            .await
            .as_f64()
            .unwrap();
        settle().await;
        r.filter.push(
            interaction(
                s,
                "window.__jxjyQueue.setFilter({form: null})",
                &total_is(&format!(
                    "t !== {mid} && document.querySelector('[data-test=queue-row][data-id]')"
                )),
            )
            .await,
        );
        // A jump deep into the list.
        let row = (((round as f64 * 0.0485) + 0.05) * total) as u64;
        settle().await;
        r.scroll.push(
            interaction(
                s,
                &format!("document.querySelector('[data-test=queue-list]').scrollTop = {row} * 56; document.querySelector('[data-test=queue-list]').dispatchEvent(new Event('scroll'))"),
                &format!("[...document.querySelectorAll('[data-test=queue-row]')].some(r => r.style.top === '{}px' && r.dataset.id)", row * 56),
            )
            .await,
        );
        // Next item with the keyboard.
        settle().await;
        r.next.push(
            interaction(
                s,
                "window.__prevSel = document.querySelector('.qrow.sel')?.dataset.id; window.dispatchEvent(new KeyboardEvent('keydown', {key: 'j'}))",
                "document.querySelector('.qrow.sel')?.dataset.id !== window.__prevSel && document.querySelector('[data-test=detail-title]')",
            )
            .await,
        );
    }
    r
}

async fn measure(app: &str, home: &Path) -> Figures {
    let driver = DriverProcess::start([
        ("JXJY_HOME", home.as_os_str()),
        ("JXJY_KEYRING", OsStr::new("keyutils")),
    ]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let t0 = Instant::now();
    let s = Driver::new(4444).session(app).await;
    s.wait("input[data-test=unlock-secret]", 60).await;
    unlock(&s).await;
    s.wait("[data-test=queue-row][data-id]", 60).await;
    let start_wall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let start_page_ms = s
        .script("return window.__jxjyFirstQueueAt")
        .await
        .as_f64()
        .unwrap();
    let shown_epoch_ms = s
        .script("return window.__jxjyFirstQueueEpoch")
        .await
        .as_f64()
        .unwrap();
    let started = s
        .script_async("const cb = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('app_start').then(i => cb(i.started_at_ms));")
        .await
        .as_f64()
        .unwrap();
    let start_process_ms = shown_epoch_ms - started;
    let marks = s.script("return window.__jxjyMarks").await;
    println!("  start-up marks since page load (ms): {marks}, queue shown {start_page_ms:.0}");
    let total: f64 = s
        .script("return Number(document.querySelector('[data-test=total] b').textContent)")
        .await
        .as_f64()
        .unwrap();

    // The bare IPC round trip, as a reference for the interactions.
    let ipc = s
        .script_async(
            "const cb = arguments[arguments.length - 1];
             const inv = window.__TAURI_INTERNALS__.invoke;
             const f = (limit) => ({filter: {status: null, review_state: null, form: null, category: null, flag: null, flagged: null, search: null, staff_id: null, from: null, to: null, sort: 'end_date', descending: false, offset: 0, limit}});
             (async () => {
               const t = async (fn) => { const xs = []; for (let i = 0; i < 7; i++) { const t0 = performance.now(); await fn(); xs.push(performance.now() - t0); } xs.sort((a, b) => a - b); return xs[3]; };
               const g = {filter: {...f(200).filter, status: 'pending_unit_review', form: 'base_training'}};
               cb({dashboard: await t(() => inv('dashboard')), queue20: await t(() => inv('queue', f(20))), queue200: await t(() => inv('queue', f(200))), queue200_form: await t(() => inv('queue', g)), frame: await t(() => new Promise(r => requestAnimationFrame(() => r())))});
             })();",
        )
        .await;
    println!("  IPC medians (ms): {ipc}");
    // A person's pace: 400 ms between interactions (the detail pane loads 40 ms after the
    // selection settles, then renders).
    let paced = rounds(&s, total, Some(Duration::from_millis(400))).await;
    let back_to_back = rounds(&s, total, None).await;
    let memory = memory(app);
    s.close().await;
    drop(driver);
    Figures {
        start_process_ms,
        start_wall_ms,
        start_page_ms,
        paced,
        back_to_back,
        memory,
        total,
    }
}

/// Memory around the app's first sync of a whole 100,000-declaration unit from the reference
/// platform on loopback, through the first-run screen as a reviewer does it.
struct FirstSync {
    seconds: f64,
    /// The moment the sync has finished.
    after: Memory,
    /// The queue open, ten seconds later.
    settled: Memory,
}

async fn first_sync(app: &str, root: &Path) -> FirstSync {
    let (addr, account) = platform::serve_seeded(
        &root.join("platform.db"),
        &SeedParams {
            units: 1,
            staff_per_unit: 10_000,
            declarations_per_staff: 10,
            evidence: false,
            seed: 5,
            year: 2019,
        },
    )
    .await;
    let home = root.join("home");
    // The first login makes the profile `default`; nothing is shared with the bench process
    // here, so the app's own in-memory keyring keeps an earlier run's entries out of the way.
    let driver = DriverProcess::start([
        ("JXJY_HOME", home.as_os_str()),
        ("JXJY_KEYRING", OsStr::new("memory")),
    ]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let s = Driver::new(4444).session(app).await;
    s.fill("input[data-test=server]", &format!("http://{addr}"))
        .await;
    s.fill("input[data-test=username]", &account.username).await;
    s.fill("input[data-test=password]", &account.password).await;
    s.fill("input[data-test=new-secret]", SECRET).await;
    s.fill("input[data-test=new-secret-again]", SECRET).await;
    let login = s.wait("[data-test=login]", 10).await;
    let t = Instant::now();
    s.click(&login).await;
    // The recovery code shows once, over the first sync's progress.
    let noted = s.wait("[data-test=recovery-noted]", 30).await;
    s.click(&noted).await;
    let done = s.wait("[data-test=recovery-done]", 5).await;
    s.click(&done).await;
    s.wait_for(
        "the first sync",
        "document.querySelector('[data-test=start-review]')?.textContent.trim() === '开始审核'",
        900,
    )
    .await;
    let seconds = t.elapsed().as_secs_f64();
    let after = memory(app);
    let start = s.wait("[data-test=start-review]", 5).await;
    s.click(&start).await;
    s.wait("[data-test=queue-row][data-id]", 60).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let settled = memory(app);
    s.close().await;
    drop(driver);
    FirstSync {
        seconds,
        after,
        settled,
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    keys::install(keys::Backend::Keyutils);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let app = env!("CARGO_BIN_EXE_jxjy-review");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let root = std::env::temp_dir().join(format!("jxjy-app-bench-{}", std::process::id()));
    let mut results = Vec::new();
    for (label, staff) in [("baseline 1,000", 100usize), ("100,000", 10_000usize)] {
        let dir = root.join(staff.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        fill(&Home::new(&dir), staff);
        println!(
            "{label}: profile filled in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let f = rt.block_on(measure(app, &dir));
        println!(
            "{}: {} declarations in the queue · start {:.0} ms from the app process's start to the queue (WebDriver launch to queue {:.0} ms; page load to queue {:.0} ms) · RSS app {:.0} MiB (anonymous {:.0}, file-backed {:.0}; PSS {:.0}), with WebKit {:.0} MiB",
            label, f.total, f.start_process_ms, f.start_wall_ms, f.start_page_ms, f.memory.rss, f.memory.anon, f.memory.file, f.memory.pss, f.memory.with_webkit
        );
        println!("  at a person's pace: {}", f.paced.describe());
        println!("  back to back:       {}", f.back_to_back.describe());
        results.push(f);
    }
    let dir = root.join("first-sync");
    let _ = std::fs::create_dir_all(&dir);
    let f = rt.block_on(first_sync(app, &dir));
    println!(
        "first sync of 100,000 declarations through the app: {:.1} s · RSS app right after {:.0} MiB (anonymous {:.0}), with the queue open 10 s later {:.0} MiB (anonymous {:.0})",
        f.seconds, f.after.rss, f.after.anon, f.settled.rss, f.settled.anon
    );
    let (b, big) = (&results[0], &results[1]);
    println!(
        "ratios 100,000 / baseline: start {:.2}x · filter p95 {:.2}x · scroll p95 {:.2}x · next p95 {:.2}x (at a person's pace) · RSS app {:.2}x",
        big.start_process_ms / b.start_process_ms,
        p95(&big.paced.filter) / p95(&b.paced.filter),
        p95(&big.paced.scroll) / p95(&b.paced.scroll),
        p95(&big.paced.next) / p95(&b.paced.next),
        big.memory.rss / b.memory.rss
    );
    println!(
        "goals (100,000): start ≤ 1500 ms: {} · interactions ≤ 50 ms at a person's pace: {} · RSS ≤ 200 MB (190.7 MiB), cached and after a first sync: {}",
        if big.start_process_ms <= 1500.0 {
            "met"
        } else {
            "NOT met"
        },
        if big.paced.worst_p95() <= 50.0 {
            "met"
        } else {
            "NOT met"
        },
        if big.memory.rss.max(f.after.rss).max(f.settled.rss) * 1024.0 * 1024.0 <= 200e6 {
            "met"
        } else {
            "NOT met"
        }
    );
    let _ = std::fs::remove_dir_all(&root);
}
