//! jxjy-core: the pure domain of continuing-education credit review (继续教育学时初审).
//!
//! Types of the interchange JSON, rule sets as data, the crediting engine with its checks and
//! the annual ledger, decision validation, and a deterministic synthetic-unit generator. No I/O:
//! time and randomness come in as parameters.

pub mod address;
mod date_format;
pub mod decision;
pub mod engine;
pub mod evidence_record;
pub mod filekind;
pub mod flags;
pub mod hours;
pub mod idnumber;
pub mod ids;
pub mod input;
pub mod labels;
pub mod model;
pub mod roster_fix;
pub mod ruleset;
pub mod spotcheck;
pub mod states;
pub mod synth;

pub use engine::evaluate;
pub use flags::Flag;
pub use hours::Hours;
pub use input::{parse_input, InputError};
pub use model::*;
pub use ruleset::{RuleSet, RuleSetError};
pub use states::{DecisionState, ReviewState, SyncScope, UploadState};
