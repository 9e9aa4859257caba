//! jxjy-sync: the sync engine between the offline store and the platform API, built for slow,
//! lossy, intermittent links (SYNC.md): server cursors, pages committed with their cursor,
//! resumable content-addressed evidence, idempotent batched push, full-jitter retries, and a
//! response is trusted only after its shape is checked.

pub mod client;
pub mod engine;
pub mod error;
pub mod limits;
pub mod progress;
pub mod retry;
pub mod wire;

pub use client::Client;
pub use engine::{Engine, SyncReport};
pub use error::SyncError;
pub use jxjy_core::address::{AddressError, PlatformAddress};
pub use progress::{CancelToken, Phase, Progress, ProgressSink};
