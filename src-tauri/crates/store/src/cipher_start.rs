//! Waiting for SQLCipher's process start-up before the first connection is keyed.
//!
//! SQLite marks itself initialised *before* it runs SQLCipher's start-up (`SQLITE_EXTRA_INIT`:
//! private heap, crypto provider, random seed). A thread that opens a database in that window
//! skips initialisation, and its `PRAGMA key` fails with "An error occurred with PRAGMA key or
//! rekey". At start the app opens its store and its sync worker's store together, and test
//! binaries open many at once, so the first keyed open of the process waits here until a
//! throwaway in-memory connection can be keyed.

use rusqlite::Connection;
use std::sync::Mutex;
use std::time::Duration;

/// How often, and how long between, the probe is tried: SQLCipher's start-up takes
/// milliseconds, so two seconds only runs out when the start-up itself failed.
const ATTEMPTS: u32 = 2_000;
const PAUSE: Duration = Duration::from_millis(1);

static READY: Mutex<bool> = Mutex::new(false);

/// Returns once SQLCipher can key a connection in this process, or the probe's last error.
pub(crate) fn wait_until_ready() -> Result<(), rusqlite::Error> {
    // A poisoned lock only means a probe panicked; the flag is still meaningful.
    let mut ready = READY.lock().unwrap_or_else(|e| e.into_inner());
    if *ready {
        return Ok(());
    }
    let mut attempt = 0;
    loop {
        match probe() {
            Ok(()) => {
                *ready = true;
                return Ok(());
            }
            Err(e) if attempt + 1 >= ATTEMPTS => return Err(e),
            Err(_) => {
                attempt += 1;
                std::thread::sleep(PAUSE);
            }
        }
    }
}

/// Keys an in-memory database; opening it also starts SQLite (and SQLCipher) if nothing has.
fn probe() -> Result<(), rusqlite::Error> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE; PRAGMA key = 'start-up probe';")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_after_the_first_call_and_on_every_later_one() {
        assert!(wait_until_ready().is_ok());
        assert!(*READY.lock().unwrap());
        assert!(wait_until_ready().is_ok());
    }
}
