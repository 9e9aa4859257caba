//! `jxjy-netem`: delay and loss for the packets of an NFQUEUE, for the link benchmark (this
//! kernel has no netem qdisc). Each queued packet is held for the delay and a share is
//! dropped. Run as root inside a private network namespace (see scripts/bench-link.sh).

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    use jxjy_core::synth::Rng;
    use std::collections::VecDeque;
    use std::time::{Duration, Instant};

    let mut delay = Duration::from_millis(150);
    let mut loss = 0.0f64;
    let mut queue_num = 0u16;
    let mut seed = 1u64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--delay-ms" => delay = Duration::from_millis(value.parse().unwrap_or(150)),
            "--loss" => loss = value.parse().unwrap_or(0.0),
            "--queue" => queue_num = value.parse().unwrap_or(0),
            "--seed" => seed = value.parse().unwrap_or(1),
            other => {
                eprintln!(
                    "error: unknown option {other}; use --delay-ms N --loss P --queue N --seed S"
                );
                return std::process::ExitCode::from(2);
            }
        }
        i += 2;
    }
    let mut queue = match nfq::Queue::open().and_then(|mut q| q.bind(queue_num).map(|()| q)) {
        Ok(q) => q,
        Err(e) => {
            eprintln!(
                "error: cannot bind NFQUEUE {queue_num} (root, in a namespace with the rule?): {e}"
            );
            return std::process::ExitCode::FAILURE;
        }
    };
    queue.set_nonblocking(true);
    let mut rng = Rng::new(seed);
    let mut held: VecDeque<(Instant, nfq::Message)> = VecDeque::new();
    let (mut passed, mut dropped) = (0u64, 0u64);
    eprintln!("jxjy-netem: queue {queue_num}, delay {delay:?}, loss {loss}");
    loop {
        let mut got = false;
        loop {
            match queue.recv() {
                Ok(mut msg) => {
                    got = true;
                    let draw = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    if draw < loss {
                        msg.set_verdict(nfq::Verdict::Drop);
                        dropped += 1;
                        if let Err(e) = queue.verdict(msg) {
                            eprintln!("jxjy-netem: verdict failed: {e}");
                        }
                    } else {
                        held.push_back((Instant::now() + delay, msg));
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => {
                    eprintln!("jxjy-netem: receive failed: {e}");
                    break;
                }
            }
        }
        let now = Instant::now();
        while held.front().is_some_and(|(t, _)| *t <= now) {
            if let Some((_, mut msg)) = held.pop_front() {
                msg.set_verdict(nfq::Verdict::Accept);
                passed += 1;
                if let Err(e) = queue.verdict(msg) {
                    eprintln!("jxjy-netem: verdict failed: {e}");
                }
            }
        }
        if !got {
            std::thread::sleep(Duration::from_micros(500));
        }
        if (passed + dropped) % 10_000 == 0 && passed + dropped > 0 && got {
            eprintln!("jxjy-netem: {passed} passed, {dropped} dropped");
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn main() -> std::process::ExitCode {
    eprintln!("error: jxjy-netem needs Linux NFQUEUE");
    std::process::ExitCode::FAILURE
}
