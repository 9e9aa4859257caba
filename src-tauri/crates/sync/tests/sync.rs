//! The sync engine against the reference platform over real HTTP through the link-lab proxy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::decision::{Decision, Outcome};
use jxjy_core::Status;
use jxjy_linklab::LinkConfig;
use jxjy_platform::faults::FaultConfig;
use jxjy_platform::seed::SeedParams;
use jxjy_store::queries::QueueFilter;
use jxjy_store::Store;
use std::collections::HashSet;

fn open_pending(store: &Store, n: u32) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    while (out.len() as u32) < n {
        let rows = store
            .queue(&QueueFilter {
                status: Some(Status::PendingUnitReview),
                review_state: Some(jxjy_core::ReviewState::Open),
                limit: (n - out.len() as u32).min(500),
                offset: out.len() as u32,
                sort: jxjy_store::queries::SortKey::Id,
                ..QueueFilter::default()
            })
            .unwrap()
            .rows;
        if rows.is_empty() {
            break;
        }
        out.extend(rows.into_iter().map(|r| (r.id, r.version)));
    }
    out
}

fn decide(store: &mut Store, id: &str, version: u64, key: &str) {
    let d = Decision {
        declaration_id: id.into(),
        declaration_version: version,
        outcome: Outcome::Return,
        credited_hours: None,
        category: None,
        reason: Some("证明材料不清晰，请重新上传".into()),
        reviewer: "reviewer-u01".into(),
        decided_at: now(),
        idempotency_key: key.into(),
    };
    store.decide(&d, now()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_sync_agrees_with_the_platform_and_fetches_evidence() {
    let p = platform(small_unit(), FaultConfig::default()).await;
    let proxy = proxy(&p, LinkConfig::default()).await;
    let mut s = logged_in(&p, &proxy.url()).await;
    let r = sync(&mut s, &proxy.url(), true).await.unwrap();
    let server_count: i64 = p
        .conn()
        .query_row("SELECT count(*) FROM declarations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(r.declarations_received as i64, server_count);
    assert_eq!(r.staff_received, 40);
    assert!(r.repulled.is_empty() && r.checksum_mismatch.is_empty());
    assert_eq!(s.dashboard().unwrap().total, server_count);
    let files: i64 = p
        .conn()
        .query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(r.evidence_downloaded as i64, files);
    assert_eq!(r.evidence_failed, 0);
    assert!(s.evidence_to_fetch(None).unwrap().is_empty());
    let status = s.sync_status().unwrap();
    assert!(status.last_sync.is_some());
    assert_eq!(status.clock_offset_secs, Some(0));

    // Nothing changed: a second sync costs a handful of requests and moves no items.
    let again = sync(&mut s, &proxy.url(), true).await.unwrap();
    assert_eq!(again.declarations_received + again.staff_received, 0);
    assert_eq!(again.requests, 1, "one round trip when nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exactly_once_through_resets_and_faults() {
    let faults = FaultConfig {
        error_5xx: 0.10,
        error_429: 0.05,
        portal: 0.05,
        truncate: 0.05,
        drop: 0.05,
        seed: 11,
        ..FaultConfig::default()
    };
    let params = SeedParams {
        units: 1,
        staff_per_unit: 250,
        declarations_per_staff: 10,
        evidence: false,
        seed: 21,
        year: 2019,
    };
    let p = platform(params, faults).await;
    let proxy = proxy(
        &p,
        LinkConfig {
            reset_after: Some((2_000, 30_000)),
            seed: 5,
            ..LinkConfig::default()
        },
    )
    .await;
    let url = proxy.url();
    let mut s = logged_in_with_retries(&p, &url).await;
    sync_until_done(&mut s, &url).await;

    let pending = open_pending(&s, 1000);
    assert_eq!(pending.len(), 1000, "the seed has enough work");
    let mut keys = HashSet::new();
    for (i, (id, v)) in pending.iter().enumerate() {
        let key = format!("eo-{i:04}");
        decide(&mut s, id, *v, &key);
        keys.insert(key);
    }
    assert_eq!(s.sync_status().unwrap().pending, 1000);
    sync_until_done(&mut s, &url).await;

    let held = p.decisions();
    let held_keys: HashSet<String> = held.iter().map(|d| d.idempotency_key.clone()).collect();
    assert_eq!(held.len(), 1000, "each decision exactly once");
    assert_eq!(held_keys, keys);
    eprintln!(
        "proxy: {} connections, {} resets, {} bytes down",
        proxy
            .stats
            .connections
            .load(std::sync::atomic::Ordering::Relaxed),
        proxy
            .stats
            .resets
            .load(std::sync::atomic::Ordering::Relaxed),
        proxy.down_bytes()
    );
    let st = s.sync_status().unwrap();
    assert_eq!(
        (st.pending, st.in_flight, st.conflicts, st.rejected),
        (0, 0, 0, 0),
        "the outbox is empty"
    );
    assert!(
        proxy
            .stats
            .resets
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0,
        "the proxy did cut connections"
    );
}

async fn logged_in_with_retries(p: &Platform, url: &str) -> Store {
    for _ in 0..200 {
        let mut st = store();
        let client = jxjy_sync::Client::for_address(url).unwrap();
        if jxjy_sync::engine::login(
            &mut st,
            &client,
            &p.account.username,
            &p.account.password,
            2019,
        )
        .await
        .is_ok()
        {
            return st;
        }
    }
    panic!("could not log in through the faults");
}

/// Syncs until one sync succeeds (a sync gives up after many attempts of one request).
async fn sync_until_done(s: &mut Store, url: &str) {
    for _ in 0..20 {
        if sync(s, url, false).await.is_ok() {
            return;
        }
    }
    panic!("no sync succeeded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_is_shown_not_applied_then_decided_again() {
    let p = platform(small_unit(), FaultConfig::default()).await;
    let url = format!("http://{}", p.addr);
    let mut s = logged_in(&p, &url).await;
    sync(&mut s, &url, false).await.unwrap();
    let (id, v) = open_pending(&s, 1).remove(0);
    decide(&mut s, &id, v, "offline-1");
    // Meanwhile the declarant amends it on the platform.
    jxjy_platform::manage::amend(&mut p.conn(), &id, false).unwrap();

    let r = sync(&mut s, &url, false).await.unwrap();
    assert_eq!(r.conflicts, 1);
    assert!(p.decisions().is_empty(), "not applied");
    let conflicts = s.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].decision.key, "offline-1");
    assert_eq!(
        conflicts[0].server.as_ref().unwrap().version,
        v + 1,
        "both versions are kept"
    );
    assert_eq!(
        conflicts[0].seen.as_ref().unwrap().version,
        v,
        "the version the reviewer saw is kept beside the platform's"
    );
    let view = s.declaration(&id).unwrap();
    assert_eq!(
        view.declaration.version,
        v + 1,
        "the new version was pulled"
    );
    assert_eq!(view.review_state, jxjy_core::ReviewState::Conflict);
    assert_eq!(s.sync_status().unwrap().conflicts, 1);

    // Decided again on the new version: applied, and the conflict is closed.
    decide(&mut s, &id, v + 1, "again-1");
    assert_eq!(s.sync_status().unwrap().conflicts, 0);
    let r = sync(&mut s, &url, false).await.unwrap();
    assert_eq!(r.applied, 1);
    let held = p.decisions();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].idempotency_key, "again-1");
    assert_eq!(
        s.declaration(&id).unwrap().declaration.status,
        Status::Returned
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_item_does_not_block_the_queue() {
    let p = platform(small_unit(), FaultConfig::default()).await;
    let url = format!("http://{}", p.addr);
    let mut s = logged_in(&p, &url).await;
    sync(&mut s, &url, false).await.unwrap();
    let pending = open_pending(&s, 3);
    for (i, (id, v)) in pending.iter().enumerate() {
        decide(&mut s, id, *v, &format!("r-{i}"));
    }
    // The platform loses the middle one entirely (not a withdrawal): it will refuse it.
    p.conn()
        .execute("DELETE FROM declarations WHERE id = ?1", [&pending[1].0])
        .unwrap();
    let r = sync(&mut s, &url, false).await.unwrap();
    assert_eq!((r.applied, r.rejected), (2, 1));
    let d = s.decisions_for(&pending[1].0).unwrap();
    assert_eq!(d[0].state, jxjy_core::DecisionState::Rejected);
    assert!(d[0]
        .server_note
        .as_deref()
        .unwrap()
        .contains("no such declaration"));
    assert_eq!(s.sync_status().unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_captive_portal_never_counts_as_success() {
    let p = platform(
        small_unit(),
        FaultConfig {
            portal: 1.0,
            ..FaultConfig::default()
        },
    )
    .await;
    let url = format!("http://{}", p.addr);
    // Log in on the platform's database directly: every API answer is the portal's page.
    let mut s = store();
    {
        let conn = p.conn();
        conn.execute(
            "INSERT INTO tokens (token_hash, kind, username, expires_at) VALUES (?1, 'access', ?2, ?3)",
            rusqlite::params![jxjy_platform::auth::token_hash("tok"), p.account.username, i64::MAX],
        )
        .unwrap();
    }
    jxjy_store::keys::save_tokens(
        s.profile(),
        &jxjy_store::keys::Tokens {
            access: jxjy_store::Sensitive::new("tok".into()),
            refresh: jxjy_store::Sensitive::new("r".into()),
        },
    )
    .unwrap();
    s.set_meta("unit_id", "U01").unwrap();
    let clock = now;
    let mut e = jxjy_sync::Engine::new(
        &mut s,
        jxjy_sync::Client::for_address(&url).unwrap(),
        &jxjy_sync::progress::Quiet,
        Default::default(),
        1,
        &clock,
    );
    e.policy = jxjy_sync::retry::RetryPolicy {
        max_attempts: Some(3),
        ..fast_retries()
    };
    let err = e.sync(&Default::default()).await.unwrap_err();
    assert!(matches!(err, jxjy_sync::SyncError::GaveUp { .. }), "{err}");
    assert!(err.to_string().contains("not JSON"), "{err}");
    assert_eq!(
        s.dashboard().unwrap().total,
        0,
        "nothing was taken from the portal page"
    );
    assert!(s.cursor(jxjy_core::SyncScope::Staff).unwrap().is_none());
    assert!(s.sync_status().unwrap().last_sync.is_none());
    assert!(!s
        .sync_status()
        .unwrap()
        .last_error
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checksum_mismatch_repulls_that_scope_only() {
    let p = platform(small_unit(), FaultConfig::default()).await;
    let url = format!("http://{}", p.addr);
    let mut s = logged_in(&p, &url).await;
    sync(&mut s, &url, false).await.unwrap();
    let total = s.dashboard().unwrap().total;
    // Local damage the cursor cannot see: a declaration lost its row's liveness.
    s.raw_connection()
        .execute("UPDATE declarations SET deleted = 1 WHERE rowid = 5", [])
        .unwrap();
    // And the platform changes something so that the next pull has a last page with a checksum.
    let some: String = p
        .conn()
        .query_row(
            "SELECT id FROM declarations WHERE status = 'pending_unit_review' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    jxjy_platform::manage::amend(&mut p.conn(), &some, false).unwrap();
    let r = sync(&mut s, &url, false).await.unwrap();
    assert_eq!(r.repulled, vec![jxjy_core::SyncScope::Declarations]);
    assert!(r.checksum_mismatch.is_empty());
    assert_eq!(s.dashboard().unwrap().total, total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_renewed_with_the_refresh_token() {
    let p = platform(small_unit(), FaultConfig::default()).await;
    let url = format!("http://{}", p.addr);
    let mut s = logged_in(&p, &url).await;
    p.conn()
        .execute("DELETE FROM tokens WHERE kind = 'access'", [])
        .unwrap();
    let r = sync(&mut s, &url, false).await.unwrap();
    assert!(r.declarations_received > 0);
    let t = jxjy_store::keys::load_tokens(s.profile()).unwrap().unwrap();
    let valid: i64 = p
        .conn()
        .query_row(
            "SELECT count(*) FROM tokens WHERE kind = 'access' AND token_hash = ?1",
            [jxjy_platform::auth::token_hash(t.access.expose())],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(valid, 1, "the new token is in the keyring");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5mb_download_cut_every_mb_resumes() {
    let p = platform(small_unit(), FaultConfig::default()).await;
    // A 5 MB incompressible file on one pending declaration of the unit.
    let mut bytes = vec![0u8; 5 * 1024 * 1024];
    let mut rng = jxjy_core::synth::Rng::new(3);
    for chunk in bytes.chunks_mut(8) {
        let v = rng.next_u64().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    {
        let conn = p.conn();
        let (id, doc): (String, String) = conn
            .query_row(
                "SELECT id, doc FROM declarations WHERE status = 'pending_unit_review' LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let mut d: jxjy_core::Declaration = serde_json::from_str(&doc).unwrap();
        d.evidence = vec![jxjy_core::Evidence {
            id: "BIG".into(),
            file_name: "扫描件.pdf".into(),
            media_type: "application/pdf".into(),
            size: bytes.len() as u64,
            sha256: sha.clone(),
        }];
        conn.execute(
            "UPDATE declarations SET doc = ?2 WHERE id = ?1",
            rusqlite::params![id, serde_json::to_string(&d).unwrap()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO evidence (sha256, media_type, data) VALUES (?1, 'application/pdf', ?2)",
            rusqlite::params![sha, bytes],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO evidence_units (sha256, unit_id) VALUES (?1, 'U01')",
            [&sha],
        )
        .unwrap();
    }
    let direct = format!("http://{}", p.addr);
    let mut s = logged_in(&p, &direct).await;
    sync(&mut s, &direct, false).await.unwrap();

    let mb = 1024 * 1024;
    // A fast link (8 MB/s) that resets every connection after 1 MB.
    let link = LinkConfig {
        reset_after: Some((mb, mb + 1)),
        down_bytes_per_sec: Some(8 * mb),
        ..LinkConfig::default()
    };
    let proxy = proxy(&p, link).await;
    let clock = now;
    let mut e = jxjy_sync::Engine::new(
        &mut s,
        jxjy_sync::Client::for_address(&proxy.url()).unwrap(),
        &jxjy_sync::progress::Quiet,
        Default::default(),
        1,
        &clock,
    );
    e.policy = fast_retries();
    e.fetch_file(&sha, bytes.len() as u64).await.unwrap();
    assert_eq!(
        s.read_evidence(&sha).unwrap(),
        bytes,
        "complete and verified"
    );
    let moved = proxy.down_bytes();
    eprintln!(
        "resume: {moved} bytes crossed the link for a {} byte file ({:.3}x)",
        bytes.len(),
        moved as f64 / bytes.len() as f64
    );
    assert!(
        proxy
            .stats
            .resets
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 4,
        "cut at every MB"
    );
    assert!(
        moved as f64 <= 1.05 * bytes.len() as f64,
        "{moved} bytes moved for {} bytes",
        bytes.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_arrives_whole_through_faults_and_cuts() {
    let faults = FaultConfig {
        error_5xx: 0.1,
        truncate: 0.1,
        drop: 0.05,
        seed: 4,
        ..FaultConfig::default()
    };
    let p = platform(small_unit(), faults).await;
    let proxy = proxy(
        &p,
        LinkConfig {
            reset_after: Some((20_000, 100_000)),
            seed: 9,
            ..LinkConfig::default()
        },
    )
    .await;
    let url = proxy.url();
    let mut s = logged_in_with_retries(&p, &url).await;
    for _ in 0..20 {
        if let Ok(r) = sync(&mut s, &url, true).await {
            if r.evidence_failed == 0 {
                break;
            }
        }
    }
    assert!(
        s.evidence_to_fetch(None).unwrap().is_empty(),
        "every file arrived"
    );
    let shas: Vec<String> = p
        .conn()
        .prepare("SELECT sha256 FROM evidence")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(shas.len() > 50);
    for sha in &shas {
        let bytes = s.read_evidence(sha).unwrap();
        use sha2::Digest;
        let got: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&got, sha);
    }
}

/// The platform anchors the audit chain (#17): a local chain cut back and made consistent again
/// (rows, head and checkpoint all fixed up, so nothing on the PC can tell) is found at the next
/// sync, kept as an alarm, and the pending decisions still go up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_audit_chain_is_found_by_the_platforms_anchor() {
    let p = platform(small_unit(), FaultConfig::default()).await;
    let proxy = proxy(&p, LinkConfig::default()).await;
    let mut s = logged_in(&p, &proxy.url()).await;
    s.ensure_profile_id(|| "00112233445566778899aabbccddeeff".into())
        .unwrap();
    sync(&mut s, &proxy.url(), false).await.unwrap();
    let ids = open_pending(&s, 4);
    for (i, (id, v)) in ids.iter().take(3).enumerate() {
        decide(&mut s, id, *v, &format!("anchor-{i}"));
    }
    let r = sync(&mut s, &proxy.url(), false).await.unwrap();
    assert_eq!(r.audit_problem, None, "an honest chain: {r:?}");
    assert_eq!(s.audit_problem().unwrap(), None);

    // Cut back to the first entry, and make what is left look whole.
    s.raw_connection()
        .execute_batch(
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
             DELETE FROM audit_log WHERE seq > 1;
             UPDATE meta SET value = (SELECT seq || ':' || hash FROM audit_log WHERE seq = 1)
               WHERE key IN ('audit_head', 'audit_checked');",
        )
        .unwrap();
    assert!(s.verify_audit().unwrap().ok(), "the PC alone cannot tell");
    let (id, v) = &ids[3];
    decide(&mut s, id, *v, "anchor-after");
    let r = sync(&mut s, &proxy.url(), false).await.unwrap();
    let problem = r.audit_problem.expect("the anchor finds the cut");
    assert!(
        problem.contains("truncated") || problem.contains("rewritten"),
        "{problem}"
    );
    assert_eq!(
        s.audit_problem().unwrap().as_deref(),
        Some(problem.as_str())
    );
    assert_eq!(r.applied, 1, "the decision still went up");
}
