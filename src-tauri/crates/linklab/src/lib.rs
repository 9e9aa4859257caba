//! Link lab: a tokio TCP proxy between a client and a server on loopback that behaves like a bad
//! link — one-way latency, bandwidth per direction, connection resets after a random number of
//! bytes, and an on/off switch — and counts what crossed it. No root needed; it cannot model
//! packet loss (the netns benchmark script does).

use jxjy_core::synth::Rng;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone, Default)]
pub struct LinkConfig {
    /// Added to every chunk in each direction.
    pub latency: Duration,
    /// Bytes per second towards the client (None: unlimited).
    pub down_bytes_per_sec: Option<u64>,
    /// Bytes per second towards the server.
    pub up_bytes_per_sec: Option<u64>,
    /// Reset each connection after a number of bytes (both directions) drawn from this range.
    pub reset_after: Option<(u64, u64)>,
    pub seed: u64,
}

/// Bytes and events that crossed the proxy.
#[derive(Debug, Default)]
pub struct Stats {
    pub up: AtomicU64,
    pub down: AtomicU64,
    pub connections: AtomicU64,
    pub resets: AtomicU64,
}

pub struct Proxy {
    pub addr: SocketAddr,
    online: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
    config: Arc<Mutex<LinkConfig>>,
    pub stats: Arc<Stats>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr, config: LinkConfig) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let online = Arc::new(AtomicBool::new(true));
        let (cut, cut_rx) = watch::channel(0u64);
        let stats = Arc::new(Stats::default());
        let rng = Arc::new(Mutex::new(Rng::new(config.seed)));
        let config = Arc::new(Mutex::new(config));
        let (o, s, c) = (online.clone(), stats.clone(), config.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if !o.load(Ordering::SeqCst) {
                    reset(client);
                    continue;
                }
                s.connections.fetch_add(1, Ordering::Relaxed);
                let cfg = c.lock().map(|g| g.clone()).unwrap_or_default();
                let budget = cfg.reset_after.map(|(lo, hi)| {
                    let span = hi.saturating_sub(lo).max(1);
                    lo + rng.lock().map(|mut r| r.below(span)).unwrap_or(0)
                });
                tokio::spawn(connection(
                    client,
                    upstream,
                    cfg,
                    budget,
                    s.clone(),
                    cut_rx.clone(),
                ));
            }
        });
        Ok(Proxy {
            addr,
            online,
            cut,
            config,
            stats,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Off: new connections are refused with a reset and open ones are cut. On: back to normal.
    pub fn set_online(&self, on: bool) {
        self.online.store(on, Ordering::SeqCst);
        if !on {
            self.cut.send_modify(|n| *n += 1);
        }
    }

    /// Changes the link for connections opened from now on.
    pub fn set_config(&self, config: LinkConfig) {
        if let Ok(mut c) = self.config.lock() {
            *c = config;
        }
    }

    pub fn down_bytes(&self) -> u64 {
        self.stats.down.load(Ordering::Relaxed)
    }

    pub fn up_bytes(&self) -> u64 {
        self.stats.up.load(Ordering::Relaxed)
    }
}

/// Closes with RST rather than FIN, as a dropped link looks to the peer.
fn reset(stream: TcpStream) {
    // Best effort: if the option cannot be set, a FIN instead of a RST is still a cut.
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn connection(
    client: TcpStream,
    upstream: SocketAddr,
    cfg: LinkConfig,
    budget: Option<u64>,
    stats: Arc<Stats>,
    mut cut: watch::Receiver<u64>,
) {
    // Only a switch-off after this connection opened cuts it.
    cut.borrow_and_update();
    let Ok(server) = TcpStream::connect(upstream).await else {
        reset(client);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let left = Arc::new(AtomicU64::new(budget.unwrap_or(u64::MAX)));
    let ended_by_budget = {
        let mut up = Box::pin(pump(
            &mut cr,
            &mut sw,
            cfg.latency,
            cfg.up_bytes_per_sec,
            left.clone(),
            &stats.up,
        ));
        let mut down = Box::pin(pump(
            &mut sr,
            &mut cw,
            cfg.latency,
            cfg.down_bytes_per_sec,
            left.clone(),
            &stats.down,
        ));
        let (mut up_done, mut down_done) = (false, false);
        // Either direction running out of budget (or the switch) cuts the whole connection at
        // once; an orderly end of one direction waits for the other.
        loop {
            tokio::select! {
                r = &mut up, if !up_done => { if r { break true; } up_done = true; }
                r = &mut down, if !down_done => { if r { break true; } down_done = true; }
                _ = cut.changed() => break true,
            }
            if up_done && down_done {
                break false;
            }
        }
    };
    if ended_by_budget {
        stats.resets.fetch_add(1, Ordering::Relaxed);
        if let (Ok(c), Ok(s)) = (cr.reunite(cw), sr.reunite(sw)) {
            reset(c);
            reset(s);
        }
    }
}

/// Copies one direction; returns true when the connection's byte budget ran out.
async fn pump<R, W>(
    from: &mut R,
    to: &mut W,
    latency: Duration,
    bytes_per_sec: Option<u64>,
    left: Arc<AtomicU64>,
    counter: &AtomicU64,
) -> bool
where
    R: AsyncReadExt + Unpin,
    W: AsyncWriteExt + Unpin,
{
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return false;
            }
            Ok(n) => n,
        };
        let allowed = left.load(Ordering::SeqCst).min(n as u64) as usize;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        if let Some(bps) = bytes_per_sec.filter(|b| *b > 0) {
            tokio::time::sleep(Duration::from_secs_f64(allowed as f64 / bps as f64)).await;
        }
        if allowed > 0 && to.write_all(&buf[..allowed]).await.is_err() {
            return false;
        }
        counter.fetch_add(allowed as u64, Ordering::Relaxed);
        left.fetch_sub(allowed as u64, Ordering::SeqCst);
        if allowed < n || left.load(Ordering::SeqCst) == 0 {
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A server that sends `n` bytes to whoever connects.
    async fn sender(n: usize) -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = l.accept().await {
                tokio::spawn(async move {
                    let _ = s.write_all(&vec![7u8; n]).await;
                    let _ = s.shutdown().await;
                });
            }
        });
        addr
    }

    async fn read_all(addr: SocketAddr) -> (usize, bool) {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let mut got = 0;
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) => return (got, false),
                Ok(n) => got += n,
                Err(_) => return (got, true),
            }
        }
    }

    #[tokio::test]
    async fn passes_everything_when_no_budget() {
        let p = Proxy::start(sender(100_000).await, LinkConfig::default())
            .await
            .unwrap();
        assert_eq!(read_all(p.addr).await, (100_000, false));
        assert_eq!(p.down_bytes(), 100_000);
    }

    #[tokio::test]
    async fn resets_after_the_budget() {
        let cfg = LinkConfig {
            reset_after: Some((10_000, 10_001)),
            ..LinkConfig::default()
        };
        let p = Proxy::start(sender(100_000).await, cfg).await.unwrap();
        let (got, reset) = read_all(p.addr).await;
        assert!(got <= 10_000, "{got}");
        assert!(reset || got < 100_000);
        assert_eq!(p.stats.resets.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn off_refuses_and_on_restores() {
        let p = Proxy::start(sender(1000).await, LinkConfig::default())
            .await
            .unwrap();
        p.set_online(false);
        assert_eq!(read_all(p.addr).await.0, 0);
        p.set_online(true);
        assert_eq!(read_all(p.addr).await, (1000, false));
    }

    /// On paused time the clock moves only by the proxy's own pauses, so what is measured is
    /// the throttle's schedule: 100,000 bytes at 200,000 B/s take at least half a second of it,
    /// however fast the machine is.
    #[tokio::test(start_paused = true)]
    async fn bandwidth_is_limited() {
        let cfg = LinkConfig {
            down_bytes_per_sec: Some(200_000),
            ..LinkConfig::default()
        };
        let p = Proxy::start(sender(100_000).await, cfg).await.unwrap();
        let t = tokio::time::Instant::now();
        assert_eq!(read_all(p.addr).await.0, 100_000);
        assert!(
            t.elapsed() >= Duration::from_millis(400),
            "{:?}",
            t.elapsed()
        );
    }
}
