//! A unit reviewer's decision and the rules it must satisfy before it is stored or sent.

use crate::hours::Hours;
use crate::model::{Category, DeclarationResult, Status};
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
    pub const ALL: [Outcome; 3] = [Outcome::Approve, Outcome::Return, Outcome::Reject];

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
    #[error("crediting {given} hours is more than the rule gives this declaration ({computed})")]
    CreditAboveRule { computed: Hours, given: Hours },
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
            DecisionError::CreditAboveRule { computed, given } => {
                format!("认定学时{given}超过按标准计算的{computed}学时，只能少计，不能多计")
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

/// What a reviewer asks for on one declaration; `Decision::from_review` fills in the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub outcome: Outcome,
    /// Approve only; None means the computed credit.
    pub credited_hours: Option<Hours>,
    pub reason: Option<String>,
}

/// Why a declaration cannot be decided here now (in Chinese), or None when it can: it must be
/// live, pending unit review and evaluated. The detail screen shows this instead of the
/// decision buttons.
pub fn cannot_decide(status: Status, withdrawn: bool, evaluated: bool) -> Option<String> {
    if withdrawn {
        Some("申报已撤回".to_owned())
    } else if status != Status::PendingUnitReview {
        Some(format!(
            "当前状态“{}”，无需单位初审",
            crate::labels::status_zh(status)
        ))
    } else if !evaluated {
        Some("尚未核算学时，请先同步".to_owned())
    } else {
        None
    }
}

/// Why an item cannot be approved in a batch (in Chinese), or None when it can: it must be
/// decidable at all (`cannot_decide`), open, and unflagged.
pub fn batch_skip_reason(
    status: Status,
    review_state: crate::states::ReviewState,
    withdrawn: bool,
    evaluated: Option<&DeclarationResult>,
) -> Option<String> {
    if let Some(why) = cannot_decide(status, withdrawn, evaluated.is_some()) {
        Some(why)
    } else if review_state != crate::states::ReviewState::Open {
        Some("已审核或有冲突，须逐条处理".to_owned())
    } else if evaluated.is_some_and(|e| !e.flags.is_empty()) {
        Some("有疑点标记，须逐条审核".to_owned())
    } else {
        None
    }
}

impl Decision {
    /// The decision a review asks for, on the version the reviewer saw: an approval credits
    /// the computed hours unless others are given, with the evaluated category; the reason is
    /// trimmed (blank is none). Validated before it is returned.
    #[allow(clippy::too_many_arguments)]
    pub fn from_review(
        evaluated: &DeclarationResult,
        declaration_version: u64,
        review: Review,
        reviewer: &str,
        decided_at: DateTime<Utc>,
        idempotency_key: String,
    ) -> Result<Decision, DecisionError> {
        let approve = review.outcome == Outcome::Approve;
        if !approve && review.credited_hours.is_some() {
            return Err(DecisionError::HoursOnNonApproval(review.outcome));
        }
        let decision = Decision {
            declaration_id: evaluated.id.clone(),
            declaration_version,
            outcome: review.outcome,
            credited_hours: approve
                .then(|| review.credited_hours.unwrap_or(evaluated.credited_hours)),
            category: approve.then_some(evaluated.category),
            reason: review
                .reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty()),
            reviewer: reviewer.to_owned(),
            decided_at,
            idempotency_key,
        };
        decision.validate(evaluated)?;
        Ok(decision)
    }

    /// The checks that need no evaluation: who and which key, hours only on an approval (and
    /// then with a category), a reason for a return or a rejection. For decisions that arrive
    /// from elsewhere (an exchange file) before their declaration is evaluated here.
    pub fn validate_shape(&self) -> Result<(), DecisionError> {
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
                if self.credited_hours.is_none() || self.category.is_none() {
                    return Err(DecisionError::ApprovalIncomplete);
                }
            }
        }
        Ok(())
    }

    /// Checks the decision against the engine's evaluation of the same declaration: a credit
    /// never above the rule's own result for it (`computed_hours`, before the yearly limits),
    /// and one other than the credited result only with a reason.
    pub fn validate(&self, evaluated: &DeclarationResult) -> Result<(), DecisionError> {
        self.validate_credit(evaluated, false)
    }

    /// As `validate`, for a platform that evaluates the declaration itself. `order_dependent`:
    /// the declaration is under a yearly limit (A4's cap, A7's once per year), whose share
    /// depends on the order in which the person's other decisions reach the platform, so the
    /// reviewer's figure may differ from the platform's without a reason — though never above
    /// the rule's own result.
    pub fn validate_credit(
        &self,
        evaluated: &DeclarationResult,
        order_dependent: bool,
    ) -> Result<(), DecisionError> {
        if self.declaration_id != evaluated.id {
            return Err(DecisionError::WrongDeclaration {
                decision: self.declaration_id.clone(),
                evaluated: evaluated.id.clone(),
            });
        }
        self.validate_shape()?;
        match self.outcome {
            Outcome::Return | Outcome::Reject => {}
            Outcome::Approve => {
                let Some(given) = self.credited_hours else {
                    return Err(DecisionError::ApprovalIncomplete);
                };
                if given > evaluated.computed_hours {
                    return Err(DecisionError::CreditAboveRule {
                        computed: evaluated.computed_hours,
                        given,
                    });
                }
                if given != evaluated.credited_hours && !order_dependent && !has_text(&self.reason)
                {
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

#[cfg(test)]
mod review_tests {
    use super::*;
    use crate::model::Category;

    fn evaluated(flags: Vec<crate::Flag>) -> DeclarationResult {
        DeclarationResult {
            id: "D1".into(),
            staff_id: "S1".into(),
            category: Category::Professional,
            year: 2019,
            computed_hours: Hours::whole(24),
            credited_hours: Hours::whole(24),
            deemed: None,
            clause: "A4".into(),
            explanation: String::new(),
            flags,
        }
    }

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_576_000_000, 0).unwrap()
    }

    #[test]
    fn a_review_becomes_a_valid_decision_with_the_computed_credit_by_default() {
        let e = evaluated(vec![]);
        let review = |outcome, hours, reason: Option<&str>| Review {
            outcome,
            credited_hours: hours,
            reason: reason.map(str::to_owned),
        };
        let d = Decision::from_review(
            &e,
            3,
            review(Outcome::Approve, None, Some("  ")),
            "r",
            at(),
            "k".into(),
        )
        .unwrap();
        assert_eq!(d.credited_hours, Some(Hours::whole(24)));
        assert_eq!(d.category, Some(Category::Professional));
        assert_eq!(d.reason, None, "a blank reason is none");
        assert_eq!(d.declaration_version, 3);
        let err = Decision::from_review(
            &e,
            3,
            review(Outcome::Approve, Some(Hours::whole(20)), None),
            "r",
            at(),
            "k".into(),
        );
        assert!(matches!(
            err,
            Err(DecisionError::CreditChangeNeedsReason { .. })
        ));
        let err = Decision::from_review(
            &e,
            3,
            review(Outcome::Reject, Some(Hours::whole(3)), Some("x")),
            "r",
            at(),
            "k".into(),
        );
        assert!(matches!(
            err,
            Err(DecisionError::HoursOnNonApproval(Outcome::Reject))
        ));
        let d = Decision::from_review(
            &e,
            3,
            review(Outcome::Return, None, Some(" 证明材料不清晰 ")),
            "r",
            at(),
            "k".into(),
        )
        .unwrap();
        assert_eq!(
            (d.credited_hours, d.category, d.reason.as_deref()),
            (None, None, Some("证明材料不清晰"))
        );
    }

    /// 通知: 学时按标准认定 — a reviewer may credit less than the rule gives (saying why), never
    /// more; under a yearly limit the platform cannot know the order the reviewer saw.
    #[test]
    fn a_credit_stays_within_the_rule_and_differs_from_it_only_with_a_reason() {
        let mut e = evaluated(vec![]);
        e.credited_hours = Hours::whole(16); // 24 by the rule, 16 after the yearly cap
        let approve = |hours: i64, reason: Option<&str>| Decision {
            declaration_id: "D1".into(),
            declaration_version: 1,
            outcome: Outcome::Approve,
            credited_hours: Some(Hours::whole(hours)),
            category: Some(Category::Professional),
            reason: reason.map(str::to_owned),
            reviewer: "r".into(),
            decided_at: at(),
            idempotency_key: "k".into(),
        };
        let kind = |r: Result<(), DecisionError>| match r {
            Ok(()) => "ok",
            Err(DecisionError::CreditAboveRule { .. }) => "above",
            Err(DecisionError::CreditChangeNeedsReason { .. }) => "reason",
            Err(_) => "other",
        };
        // (hours, reason, order_dependent, expected)
        let table = [
            (16, None, false, "ok"),
            (12, None, false, "reason"),
            (12, Some("部分课时缺勤"), false, "ok"),
            (24, Some("年度上限另计"), false, "ok"),
            (25, Some("证书写25学时"), false, "above"),
            (25, None, true, "above"),
            (24, None, true, "ok"),
            (0, None, true, "ok"),
        ];
        for (hours, reason, order_dependent, expected) in table {
            let got = kind(approve(hours, reason).validate_credit(&e, order_dependent));
            assert_eq!(
                got, expected,
                "{hours} h, reason {reason:?}, order dependent {order_dependent}"
            );
        }
        assert_eq!(kind(approve(12, None).validate(&e)), "reason");
    }

    #[test]
    fn only_open_unflagged_evaluated_pending_items_qualify_for_a_batch() {
        let clean = evaluated(vec![]);
        let flagged = evaluated(vec![crate::Flag::HoursMismatch]);
        let pending = Status::PendingUnitReview;
        assert_eq!(
            batch_skip_reason(
                pending,
                crate::states::ReviewState::Open,
                false,
                Some(&clean)
            ),
            None
        );
        assert!(batch_skip_reason(
            pending,
            crate::states::ReviewState::Open,
            false,
            Some(&flagged)
        )
        .is_some());
        assert!(batch_skip_reason(
            pending,
            crate::states::ReviewState::Decided,
            false,
            Some(&clean)
        )
        .is_some());
        assert!(batch_skip_reason(
            pending,
            crate::states::ReviewState::Conflict,
            false,
            Some(&clean)
        )
        .is_some());
        assert!(batch_skip_reason(
            pending,
            crate::states::ReviewState::Open,
            true,
            Some(&clean)
        )
        .is_some());
        assert!(
            batch_skip_reason(pending, crate::states::ReviewState::Open, false, None).is_some()
        );
        assert!(batch_skip_reason(
            Status::UnitApproved,
            crate::states::ReviewState::Open,
            false,
            Some(&clean)
        )
        .is_some());
    }
}
