//! Where things stand, as closed sets: a decision, a declaration's review, a finding's upload,
//! a sync scope. Each has its stored code (the serde name, also the SQL value) and its Chinese
//! word, the one table the UI, the xlsx exports and the print views read.

use serde::{Deserialize, Serialize};

/// Declares a state enum with its code and Chinese word per arm, `ALL`, `code()`, `parse()`
/// and `zh()`: adding a state is one line here.
macro_rules! states {
    ($(#[$doc:meta])* $name:ident { $($(#[$adoc:meta])* $arm:ident = $code:literal, $zh:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $($(#[$adoc])* #[serde(rename = $code)] $arm,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$arm),+];

            /// The stored code (the serde name).
            pub fn code(self) -> &'static str {
                match self { $($name::$arm => $code),+ }
            }

            /// The state a stored code names, or None for any other text.
            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$arm),)+ _ => None }
            }

            /// The reviewer's word for it.
            pub fn zh(self) -> &'static str {
                match self { $($name::$arm => $zh),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

states! {
    /// A decision recorded on this PC, from the key press to the platform's answer.
    DecisionState {
        /// In the outbox, waiting to be sent (it may be undone here).
        Pending = "pending", "待上传";
        /// The platform applied it.
        Applied = "applied", "已上传";
        /// The platform holds a newer version of the declaration; shown, never overwritten.
        Conflict = "conflict", "冲突";
        /// The platform refused it, with its reason.
        Rejected = "rejected", "平台未接受";
        /// A later decision on the same declaration took its place before it was sent.
        Superseded = "superseded", "已被新意见替代";
        /// The reviewer took it back before it was sent.
        Withdrawn = "withdrawn", "已撤销";
    }
}

states! {
    /// A declaration's place in this reviewer's queue.
    ReviewState {
        /// Not decided here yet.
        Open = "open", "待审核";
        /// A decision is recorded (sent or not).
        Decided = "decided", "已审核";
        /// The platform answered a decision with a conflict.
        Conflict = "conflict", "冲突";
    }
}

states! {
    /// A spot-check finding on its way to the platform.
    UploadState {
        /// No finding recorded.
        None = "none", "未核查";
        /// Recorded, waiting for the next sync.
        Pending = "pending", "待上传";
        /// The platform accepted it.
        Sent = "sent", "已上传";
        /// The platform refused it, with its reason.
        Rejected = "rejected", "平台未接受";
    }
}

states! {
    /// What a pull brings down, each with its own cursor.
    SyncScope {
        /// The unit's staff roster.
        Staff = "staff", "人员名单";
        /// The unit's declarations with their evidence records.
        Declarations = "declarations", "申报";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T>(all: &[T], code: impl Fn(T) -> &'static str, parse: impl Fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + Serialize,
    {
        for s in all {
            let c = code(*s);
            assert_eq!(parse(c), Some(*s));
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::from(c))
            );
        }
        assert_eq!(parse("sending"), None);
    }

    #[test]
    fn codes_round_trip_and_match_serde() {
        round_trip(
            DecisionState::ALL,
            DecisionState::code,
            DecisionState::parse,
        );
        round_trip(ReviewState::ALL, ReviewState::code, ReviewState::parse);
        round_trip(UploadState::ALL, UploadState::code, UploadState::parse);
        round_trip(SyncScope::ALL, SyncScope::code, SyncScope::parse);
    }

    #[test]
    fn every_state_has_a_distinct_word() {
        let words: std::collections::HashSet<_> =
            DecisionState::ALL.iter().map(|s| s.zh()).collect();
        assert_eq!(words.len(), DecisionState::ALL.len());
    }
}
