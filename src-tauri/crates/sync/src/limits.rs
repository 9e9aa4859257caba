//! How much of an answer the client will read, per endpoint, counted on the decompressed
//! stream: a gzip or zstd bomb costs at most its cap in memory and ends in an error with nothing
//! applied. The caps leave ample room over what the reference platform sends (a declaration is
//! about 1 KB of JSON).

use std::time::Duration;

/// A login or refresh answer: a few tokens and names.
pub const AUTH_BYTES: u64 = 64 * 1024;
/// An error answer's problem details.
pub const PROBLEM_BYTES: u64 = 16 * 1024;
/// A rule set document.
pub const RULES_BYTES: u64 = 4 * 1024 * 1024;
/// Room per record in a page: a staff member, a declaration or a push result with the
/// platform's current declaration.
pub const RECORD_BYTES: u64 = 16 * 1024;
/// Fixed room per answer besides its records.
const ENVELOPE_BYTES: u64 = 1024 * 1024;
/// The longest `Retry-After` honoured: a platform asking for days is treated as asking for
/// minutes, so a reviewer's decisions are not held back by a misconfigured proxy.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);
/// The longest cursor accepted from the platform (it is sent back in a URL).
pub const MAX_CURSOR_CHARS: usize = 512;

/// A pull page of at most `limit` records.
pub fn page_bytes(limit: usize) -> u64 {
    ENVELOPE_BYTES + (limit as u64).saturating_mul(RECORD_BYTES)
}

/// An answer to a push (or a findings push) of `items` items.
pub fn push_answer_bytes(items: usize) -> u64 {
    ENVELOPE_BYTES + (items as u64).saturating_mul(RECORD_BYTES)
}
