//! A unit reviewer's decision and the rules it must satisfy before it is stored or sent.

use crate::hours::Hours;
use crate::model::{Category, DeclarationResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// 通过 / 退回修改 / 不予认定.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approve,
    Return,
    Reject,
}

impl Outcome {
    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::Approve => "通过",
            Outcome::Return => "退回修改",
            Outcome::Reject => "不予认定",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Decision {
    pub declaration_id: String,
    /// The platform version of the declaration the reviewer saw.
    pub declaration_version: u64,
    pub outcome: Outcome,
    /// Approve only.
    pub credited_hours: Option<Hours>,
    /// Approve only.
    pub category: Option<Category>,
    pub reason: Option<String>,
    pub reviewer: String,
    pub decided_at: DateTime<Utc>,
    /// Client-made key (UUIDv7); the platform applies each key at most once.
    pub idempotency_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecisionError {
    #[error("a {0:?} decision needs a reason")]
    ReasonRequired(Outcome),
    #[error("crediting {given} hours instead of the computed {computed} needs a reason")]
    CreditChangeNeedsReason { computed: Hours, given: Hours },
    #[error("an approval needs credited hours and a category")]
    ApprovalIncomplete,
    #[error("a {0:?} decision carries no credited hours")]
    HoursOnNonApproval(Outcome),
    #[error("decision is for declaration {decision}, not {evaluated}")]
    WrongDeclaration { decision: String, evaluated: String },
    #[error("the reviewer and the idempotency key must not be empty")]
    MissingIdentity,
}

impl DecisionError {
    /// The message a reviewer reads.
    pub fn message_zh(&self) -> String {
        match self {
            DecisionError::ReasonRequired(o) => format!("“{}”须填写原因", o.label_zh()),
            DecisionError::CreditChangeNeedsReason { computed, given } => {
                format!("认定学时{given}与按标准计算的{computed}学时不同，须填写原因")
            }
            DecisionError::ApprovalIncomplete => "通过须填写认定学时和科目类别".to_owned(),
            DecisionError::HoursOnNonApproval(o) => {
                format!("“{}”不应填写认定学时", o.label_zh())
            }
            DecisionError::WrongDeclaration { .. } => "审核意见与申报记录不对应".to_owned(),
            DecisionError::MissingIdentity => "缺少审核人或幂等键".to_owned(),
        }
    }
}

fn has_text(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|r| !r.trim().is_empty())
}

impl Decision {
    /// Checks the decision against the engine's evaluation of the same declaration.
    pub fn validate(&self, evaluated: &DeclarationResult) -> Result<(), DecisionError> {
        if self.declaration_id != evaluated.id {
            return Err(DecisionError::WrongDeclaration {
                decision: self.declaration_id.clone(),
                evaluated: evaluated.id.clone(),
            });
        }
        if self.reviewer.trim().is_empty() || self.idempotency_key.trim().is_empty() {
            return Err(DecisionError::MissingIdentity);
        }
        match self.outcome {
            Outcome::Return | Outcome::Reject => {
                if self.credited_hours.is_some() {
                    return Err(DecisionError::HoursOnNonApproval(self.outcome));
                }
                if !has_text(&self.reason) {
                    return Err(DecisionError::ReasonRequired(self.outcome));
                }
            }
            Outcome::Approve => {
                let (Some(given), Some(_)) = (self.credited_hours, self.category) else {
                    return Err(DecisionError::ApprovalIncomplete);
                };
                if given != evaluated.credited_hours && !has_text(&self.reason) {
                    return Err(DecisionError::CreditChangeNeedsReason {
                        computed: evaluated.credited_hours,
                        given,
                    });
                }
            }
        }
        Ok(())
    }
}
