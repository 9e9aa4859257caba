//! What an evidence record may claim before anything acts on it. The record comes from the
//! platform, an interchange file or an exchange file, so its hash is checked before it names a
//! URL or a row, and its size before anything is sized from it.

use crate::model::Evidence;
use thiserror::Error;

/// The largest evidence file accepted: a phone photo or a multi-page scan is a few MB; a
/// certificate of 50 MiB is not one a reviewer is sent.
pub const MAX_EVIDENCE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EvidenceRecordError {
    #[error("evidence {id}: sha256 must be 64 hexadecimal digits")]
    BadHash { id: String },
    #[error("evidence {id}: declared size {size} bytes is over the limit of {MAX_EVIDENCE_BYTES}")]
    TooLarge { id: String, size: u64 },
}

/// A SHA-256 digest written as 64 hexadecimal digits (either case).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks one evidence record: a well-formed hash and a size within the limit.
pub fn check_evidence(e: &Evidence) -> Result<(), EvidenceRecordError> {
    let id: String = e.id.chars().take(64).collect();
    if !is_sha256_hex(&e.sha256) {
        return Err(EvidenceRecordError::BadHash { id });
    }
    if e.size > MAX_EVIDENCE_BYTES {
        return Err(EvidenceRecordError::TooLarge { id, size: e.size });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(sha256: &str, size: u64) -> Evidence {
        Evidence {
            id: "E1".into(),
            file_name: "证书.pdf".into(),
            media_type: "application/pdf".into(),
            size,
            sha256: sha256.into(),
        }
    }

    #[test]
    fn hash_and_size_are_checked() {
        let good = "ab".repeat(32);
        assert_eq!(check_evidence(&record(&good, 1)), Ok(()));
        assert_eq!(check_evidence(&record(&good.to_uppercase(), 1)), Ok(()));
        assert_eq!(check_evidence(&record(&good, MAX_EVIDENCE_BYTES)), Ok(()));
        for bad in [
            "",
            "../../etc/passwd",
            &"ab".repeat(31),
            &"zz".repeat(32),
            &format!("{good}a"),
        ] {
            assert!(matches!(
                check_evidence(&record(bad, 1)),
                Err(EvidenceRecordError::BadHash { .. })
            ));
        }
        assert!(matches!(
            check_evidence(&record(&good, MAX_EVIDENCE_BYTES + 1)),
            Err(EvidenceRecordError::TooLarge { .. })
        ));
        assert!(matches!(
            check_evidence(&record(&good, u64::MAX)),
            Err(EvidenceRecordError::TooLarge { .. })
        ));
    }
}
