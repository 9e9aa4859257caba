//! The exchange-file reader on hostile input. Half the inputs are whole files (header,
//! segments); the other half are arbitrary plaintext sealed with a valid key, so the record
//! parser behind the authentication is reached too. Any panic, hang or runaway allocation is
//! a finding; errors are expected.
#![no_main]

use jxjy_exchange::{FileKey, Kdf, Kind, Opener, Origin, Sealer};
use libfuzzer_sys::fuzz_target;

fn read_all(bytes: &[u8], key: &FileKey) {
    if let Ok(mut o) = Opener::with_key(bytes, key) {
        for _ in 0..100_000 {
            match o.next_record() {
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let key = FileKey::from_bytes([42u8; 32]);
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        read_all(rest, &key);
        return;
    }
    let origin = Origin {
        kind: Kind::Decisions,
        created_at: "2026-11-26T00:00:00Z".into(),
        origin: "fuzz".into(),
    };
    let Ok(mut s) = Sealer::with_key(Vec::new(), origin, Kdf::standard([1; 16]), &key, [2; 7])
    else {
        return;
    };
    if s.raw_for_fuzzing(rest).is_err() {
        return;
    }
    if let Ok(file) = s.finish_raw_for_fuzzing() {
        read_all(&file, &key);
    }
});
