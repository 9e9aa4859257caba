//! What the CLI refuses before it touches the network or the keyring, in one English line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn home(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("jxjy-cli-refuse-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(cmd: &mut Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit before reading: a refused address reads no password.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn one_line(out: &Output) -> String {
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn plain_http_to_another_computer_is_refused_before_the_password_is_read() {
    let h = home("http");
    for server in ["http://192.168.1.10:8787", "http://zj.example.cn"] {
        let out = run(
            Command::new(env!("CARGO_BIN_EXE_jxjy"))
                .args([
                    "login",
                    "--server",
                    server,
                    "--user",
                    "u",
                    "--password-stdin",
                ])
                .env("JXJY_HOME", &h)
                .env("JXJY_KEYRING", "memory"),
            "secret-password\n",
        );
        assert_eq!(out.status.code(), Some(2), "{server}");
        let err = one_line(&out);
        assert!(err.contains("plain http"), "{err}");
        assert!(err.contains("https://"), "says what to type: {err}");
        assert!(!err.contains("secret-password"));
    }
    // No profile was even created: nothing was opened or written.
    assert_eq!(std::fs::read_dir(&h).unwrap().count(), 0);
}

#[cfg(target_os = "linux")]
#[test]
fn the_os_keyring_without_a_secret_service_says_what_to_use_instead() {
    let h = home("dbus");
    let out = run(
        Command::new(env!("CARGO_BIN_EXE_jxjy"))
            .args(["status", "--unlock-stdin"])
            .env("JXJY_HOME", &h)
            .env("JXJY_KEYRING", "os")
            // A session bus that is not there, as on a server or over SSH.
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/jxjy-bus",
            ),
        "24681357\n",
    );
    assert!(!out.status.success());
    let err = one_line(&out);
    assert!(err.contains("no Secret Service"), "{err}");
    assert!(err.contains("JXJY_KEYRING=keyutils"), "{err}");
}
