// Chinese words for codes (generated from the core's labels) and the UI's own phrases.
import { LABELS, type Flag, type Form, type Status, type Category, type Outcome, type Phase, type RiskReason, type Finding, type DecisionState, type ReviewState, type UploadState, type ReadField, type FieldVerdict } from "./bindings";

export const flagBadge = (f: Flag) => LABELS.flags[f]?.badge ?? f;
export const flagExplanation = (f: Flag) => LABELS.flags[f]?.explanation ?? f;
export const formLabel = (f: Form) => LABELS.forms[f] ?? f;
export const statusLabel = (s: Status) => LABELS.statuses[s] ?? s;
export const categoryLabel = (c: Category) => LABELS.categories[c] ?? c;
export const titleLevelLabel = (l: keyof typeof LABELS.title_levels | null) =>
  l ? LABELS.title_levels[l] ?? l : "—";

export const riskLabel = (r: RiskReason) => LABELS.risk_reasons[r] ?? r;

export const findingLabel = LABELS.findings as Record<Finding, string>;
export const uploadLabel = LABELS.upload_states as Record<UploadState, string>;
export const outcomeLabel = LABELS.outcomes as Record<Outcome, string>;
export const reviewStateLabel = LABELS.review_states as Record<ReviewState, string>;
export const decisionStateLabel = LABELS.decision_states as Record<DecisionState, string>;
export const readFieldLabel = LABELS.read_fields as Record<ReadField, string>;
export const verdictLabel = LABELS.field_verdicts as Record<FieldVerdict, string>;

export const phaseLabel: Record<Phase, string> = {
  login: "登录",
  pull_staff: "下载人员名单",
  pull_declarations: "下载申报",
  evaluate: "核算学时",
  push: "上传审核意见",
  evidence: "证明材料下载中",
  done: "完成",
};

/** Return reasons offered as templates (GLOSSARY). */
export const REASON_TEMPLATES = [
  "证明材料不清晰，请重新上传",
  "证明材料与申报内容不符",
  "学时计算有误，请按标准修改",
  "学习时间不在本年度",
  "证明材料缺少主办单位盖章",
  "与已有申报重复",
];

export const ALL_FLAGS = Object.keys(LABELS.flags) as Flag[];
export const ALL_FORMS = Object.keys(LABELS.forms) as Form[];
export const ALL_STATUSES = Object.keys(LABELS.statuses) as Status[];
