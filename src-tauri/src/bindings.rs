//! The TypeScript declarations of every type that crosses IPC, in one file
//! (`ui/src/bindings.ts`). A test regenerates it and fails when the committed file differs.

use ts_rs::TS;

macro_rules! decls {
    ($cfg:expr; $($t:ty),* $(,)?) => {
        vec![$(<$t as TS>::decl($cfg)),*]
    };
}

/// The whole `bindings.ts` text.
pub fn typescript() -> String {
    use jxjy_core::decision::{Decision, Outcome};
    use jxjy_core::model::*;
    let mut out = String::from(
        "// Generated from the Rust types by `cargo test --test bindings` (UPDATE_BINDINGS=1 to write).\n// Do not edit: CI fails when this file and the Rust types differ.\n",
    );
    // serde_json writes 64-bit integers as plain numbers; all ours fit in 2^53.
    let cfg = &ts_rs::Config::new().with_large_int("number");
    let all = decls![cfg;
        crate::error::ErrorCode,
        crate::error::AppError,
        crate::commands::session::RuleSetInfo,
        crate::commands::session::StartInfo,
        crate::commands::session::SessionInfo,
        crate::commands::session::SetUpInfo,
        jxjy_store::unlock::LockState,
        crate::idle::IdleMinutes,
        crate::commands::session::Requirement,
        crate::commands::session::LoginInput,
        jxjy_usecases::review::DecideRequest,
        jxjy_usecases::review::BatchResult,
        jxjy_store::undo::BatchUndo,
        jxjy_store::undo::UndoRefusal,
        jxjy_core::DecisionState,
        jxjy_core::ReviewState,
        jxjy_core::UploadState,
        jxjy_core::SyncScope,
        crate::sync_worker::SyncEvent,
        crate::sync_worker::SyncState,
        crate::reading_worker::ReadingProgress,
        jxjy_usecases::readings::FieldPlace,
        jxjy_usecases::readings::ReadField,
        jxjy_usecases::readings::FieldVerdict,
        jxjy_usecases::readings::FieldRow,
        jxjy_usecases::readings::ReadingFinding,
        jxjy_usecases::readings::ReadingSummary,
        jxjy_usecases::readings::DeclarationReading,
        jxjy_core::Hours,
        jxjy_core::Flag,
        jxjy_core::filekind::FileKind,
        Category,
        Form,
        ConferenceLevel,
        ExamLevel,
        TitleLevel,
        Status,
        Evidence,
        Declaration,
        Deemed,
        DeclarationResult,
        Shortfall,
        LedgerEntry,
        Evaluation,
        Outcome,
        Decision,
        jxjy_store::queries::SortKey,
        jxjy_store::queries::QueueFilter,
        jxjy_store::queries::QueueRow,
        jxjy_store::queries::QueuePage,
        jxjy_store::queries::StaffView,
        jxjy_store::queries::EvidenceView,
        jxjy_store::queries::DeclarationView,
        jxjy_store::queries::Dashboard,
        jxjy_store::roster::RosterFilter,
        jxjy_store::roster::RosterRow,
        jxjy_store::roster::RosterPage,
        jxjy_store::batch::BatchItem,
        jxjy_store::batch::BatchSkip,
        jxjy_store::batch::BatchPlan,
        jxjy_store::decide::DecisionRecord,
        jxjy_store::audit::AuditEntry,
        jxjy_store::sync_state::SyncStatus,
        jxjy_store::sync_state::ConflictView,
        jxjy_sync::Phase,
        jxjy_sync::Progress,
        jxjy_sync::SyncReport,
        jxjy_core::spotcheck::RiskReason,
        jxjy_core::spotcheck::SampleSize,
        jxjy_core::spotcheck::SampleSpec,
        jxjy_core::spotcheck::Stratum,
        jxjy_core::roster_fix::RosterCorrection,
        jxjy_core::roster_fix::RowCheck,
        jxjy_store::spotcheck::Finding,
        jxjy_store::spotcheck::PackSummary,
        jxjy_store::spotcheck::PackEvidence,
        jxjy_store::spotcheck::PackItem,
        jxjy_store::spotcheck::PackView,
        jxjy_store::exchange::ExportReport,
        jxjy_store::exchange::SkippedItem,
        jxjy_store::exchange::ImportReport,
        crate::commands::office::spotcheck::SpotcheckInput,
        crate::commands::office::spotcheck::FindingInput,
        crate::commands::office::Written,
        jxjy_usecases::exports::ExportKind,
        crate::commands::office::exports::ExportInput,
        jxjy_usecases::exports::PrintInput,
        jxjy_usecases::exchange::ExchangeKind,
        crate::commands::office::roster::RosterCheck,
        crate::commands::office::exchange::ExchangeExportInput,
        crate::commands::office::exchange::ExchangeImportInput,
        crate::commands::upload::UploadProgress,
        crate::commands::office::exchange::ExchangeWritten,
        serde_json::Value,
    ];
    for d in all {
        out.push_str("\nexport ");
        out.push_str(&d);
        out.push('\n');
    }
    out.push_str(&labels());
    out
}

fn code<T: serde::Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The Chinese words of the codes, from the core's own labels, so the page and the exports
/// read the same.
fn labels() -> String {
    use jxjy_core::decision::Outcome;
    use jxjy_core::filekind::FileKind;
    use jxjy_core::labels::{
        category_zh, conference_level_zh, exam_level_zh, form_zh, status_zh, title_level_zh,
    };
    use jxjy_core::model::{Category, ConferenceLevel, ExamLevel, Form, Status, TitleLevel};
    use jxjy_core::spotcheck::RiskReason;
    use jxjy_core::{DecisionState, Flag, ReviewState, SyncScope, UploadState};
    use jxjy_store::spotcheck::Finding;
    use jxjy_usecases::readings::{FieldVerdict, ReadField};
    use serde_json::{json, Map, Value};
    fn table<T: Copy + serde::Serialize>(all: &[T], word: impl Fn(T) -> Value) -> Value {
        Value::Object(
            all.iter()
                .map(|v| (code(v), word(*v)))
                .collect::<Map<_, _>>(),
        )
    }
    let all = json!({
        "categories": table(&[Category::Public, Category::Professional], |c| category_zh(c).into()),
        "conference_levels": table(&ConferenceLevel::ALL, |l| conference_level_zh(l).into()),
        "exam_levels": table(&ExamLevel::ALL, |l| exam_level_zh(l).into()),
        "flags": table(&Flag::ALL, |f| json!({"badge": f.badge_zh(), "explanation": f.explanation_zh()})),
        "forms": table(&Form::ALL, |f| form_zh(f).into()),
        "media_types": table(&FileKind::ALL, |k| k.media_type().into()),
        "statuses": table(&Status::ALL, |s| status_zh(s).into()),
        "title_levels": table(&TitleLevel::ALL, |l| title_level_zh(l).into()),
        "risk_reasons": table(&RiskReason::ALL, |r| r.zh().into()),
        "outcomes": table(&Outcome::ALL, |o| o.label_zh().into()),
        "decision_states": table(DecisionState::ALL, |s| s.zh().into()),
        "review_states": table(ReviewState::ALL, |s| s.zh().into()),
        "upload_states": table(UploadState::ALL, |s| s.zh().into()),
        "sync_scopes": table(SyncScope::ALL, |s| s.zh().into()),
        "findings": table(&Finding::ALL, |f| f.zh().into()),
        "read_fields": table(&ReadField::ALL, |f| f.zh().into()),
        "field_verdicts": table(&FieldVerdict::ALL, |v| v.zh().into()),
    });
    let text = serde_json::to_string_pretty(&all).unwrap_or_default();
    format!("\n/** The Chinese words of every code (from the core's labels), and the media type of each\n *  evidence kind. */\nexport const LABELS = {text} as const;\n")
}
