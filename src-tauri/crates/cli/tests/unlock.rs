//! The CLI's unlock contract, against the reference platform on loopback with the kernel
//! keyring: a profile opens only with `--unlock-stdin` and its secret; a wrong secret opens
//! nothing and deletes nothing; `jxjy recover` sets a new secret from the recovery code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{platform, SECRET};
use std::process::Output;

fn one_line_error(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // keyctl says which session keyring it joined; the rest is jxjy's.
    let err: String = String::from_utf8(out.stderr.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("Joined session keyring"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

/// The recovery code the set-up printed once on stderr.
fn recovery_code(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| l.contains("Recovery code"))
        .unwrap_or_else(|| panic!("no recovery code in: {text}"));
    line.rsplit(' ').next().unwrap().to_owned()
}

#[test]
fn a_profile_opens_only_with_its_secret_and_a_recovery_keeps_what_is_pending() {
    let p = platform("unlock", 6, 3);
    // The kernel keyring's entries outlive the test (keyutils links them to the user's
    // persistent keyring) and a recovery changes the secret: a profile name of this run only.
    let name: &'static str = Box::leak(format!("reviewer-{}", std::process::id()).into_boxed_str());
    let site = p.site(name);
    // The first login sets the secret (line 2) and prints the recovery code once.
    let out = site.run_raw(
        &[
            "login",
            "--server",
            &p.url,
            "--user",
            &p.account.username,
            "--password-stdin",
        ],
        &format!("{}\n{SECRET}\n", p.account.password),
    );
    assert!(out.status.success(), "{out:?}");
    let code = recovery_code(&out.stderr);
    assert_eq!(code.len(), 29, "{code}");
    site.ok(&["sync", "--json"], "");
    let queue = site.ok(&["queue", "--status", "pending_unit_review", "--json"], "");
    let id = queue[0]["declaration"]["id"].as_str().unwrap().to_owned();
    site.ok(&["decide", &id, "return", "--reason", "证明材料不清晰"], "");

    // Without --unlock-stdin: exit 2, one line saying the profile is locked.
    let err = one_line_error(&site.run_raw(&["status"], ""));
    assert!(
        err.contains(&format!("profile `{name}` is locked")),
        "{err}"
    );
    assert!(err.contains("--unlock-stdin"), "{err}");
    // A wrong secret: exit 2, one line, nothing opened.
    let err = one_line_error(&site.run_raw(&["status", "--unlock-stdin"], "11111111\n"));
    assert!(err.contains("wrong unlock secret"), "{err}");
    assert!(
        !err.contains("11111111"),
        "the secret is never echoed: {err}"
    );
    // An empty line is not a secret.
    let err = one_line_error(&site.run_raw(&["status", "--unlock-stdin"], "\n"));
    assert!(
        err.contains("no the unlock secret on stdin") || err.contains("unlock secret"),
        "{err}"
    );
    let status = site.ok(&["status", "--json"], "");
    assert_eq!(status["pending"], 1, "{status}");

    // Recovery: a wrong code opens nothing; the right one sets a new secret and a new code.
    let err = one_line_error(&site.run_raw(
        &["recover", "--recovery-stdin"],
        "00000-00000-00000-00000-00000\n13579246\n",
    ));
    assert!(err.contains("recovery code"), "{err}");
    let weak =
        one_line_error(&site.run_raw(&["recover", "--recovery-stdin"], &format!("{code}\n123\n")));
    assert!(weak.contains("unlock secret"), "{weak}");
    let out = site.run_raw(
        &["recover", "--recovery-stdin"],
        &format!("{code}\n13579246\n"),
    );
    assert!(out.status.success(), "{out:?}");
    let new_code = recovery_code(&out.stderr);
    assert_ne!(new_code, code);
    // The old secret and the old code no longer open it; the new secret does, with the
    // decision still pending — and it goes up once.
    let err = one_line_error(&site.run_raw(&["status", "--unlock-stdin"], &format!("{SECRET}\n")));
    assert!(
        err.contains("wrong unlock secret") || err.contains("try again in"),
        "{err}"
    );
    let err = one_line_error(&site.run_raw(
        &["recover", "--recovery-stdin"],
        &format!("{code}\n11223344\n"),
    ));
    assert!(
        err.contains("recovery code") || err.contains("try again in"),
        "{err}"
    );
    let out = site.run_raw(&["status", "--json", "--unlock-stdin"], "13579246\n");
    assert!(out.status.success(), "{out:?}");
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["pending"], 1, "{status}");
    let out = site.run_raw(&["sync", "--json", "--unlock-stdin"], "13579246\n");
    assert!(out.status.success(), "{out:?}");
    let conn = p.conn();
    assert_eq!(jxjy_platform::manage::decisions(&conn).unwrap().len(), 1);
}
