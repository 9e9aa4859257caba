// Generated from the Rust types by `cargo test --test bindings` (UPDATE_BINDINGS=1 to write).
// Do not edit: CI fails when this file and the Rust types differ.

export type ErrorCode = "invalid_input" | "rule_set" | "no_profile" | "locked" | "no_unlock_secret" | "wrong_secret" | "unlock_throttled" | "not_logged_in" | "key_missing" | "wrong_key" | "keyring" | "database_too_new" | "io" | "not_found" | "stale" | "not_allowed" | "evidence" | "unsupported_file" | "database" | "offline" | "refused" | "bad_data" | "cancelled" | "busy" | "wrong_passphrase" | "file_refused" | "already_running" | "internal";

export type AppError = { code: ErrorCode, message: string, };

export type RuleSetInfo = { id: string, name: string, first_year: number, };

export type StartInfo = { version: string, profiles: Array<string>, last_profile: string | null, 
/**
 * The platform address to offer on the login screen (`JXJY_SERVER`).
 */
default_server: string | null, rule_sets: Array<RuleSetInfo>, 
/**
 * When the app process started (ms since the epoch; 0 under the test runtime).
 */
started_at_ms: number, 
/**
 * Another window of the app has this data folder open; this one only says so.
 */
already_running: boolean, 
/**
 * Minutes without input before the open profile locks.
 */
idle_lock_minutes: IdleMinutes, 
/**
 * The idle lock's shortest and longest time, in minutes.
 */
idle_lock_range: [number, number], 
/**
 * What a new unlock secret must be, to show beside its fields.
 */
secret_rule: string, };

export type SessionInfo = { profile: string, logged_in: boolean, 
/**
 * The profile knows its reviewer and unit (from a login or a snapshot): it can be used
 * offline even when the login has expired.
 */
offline_ready: boolean, server: string | null, username: string | null, unit_id: string | null, unit_name: string | null, review_year: number, 
/**
 * The annual minimum of the rule set in force for the review year: what the ledger's
 * bars and headings measure against.
 */
requirement: Requirement, 
/**
 * What checking the audit chain at open found wrong (English detail), if anything: the
 * page shows an alarm.
 */
audit_problem: string | null, };

export type SetUpInfo = { session: SessionInfo, 
/**
 * Five groups of five characters: the page shows it once, to write down or print.
 */
recovery_code: string, };

export type LockState = "new" | "needs_secret" | "protected";

export type IdleMinutes = number;

export type Requirement = { public_hours: Hours, professional_hours: Hours, };

export type LoginInput = { server: string, username: string, 
/**
 * Used once for the login request; never stored.
 */
password: string, year: number, };

export type DecideRequest = { declaration_id: string, 
/**
 * The version the reviewer saw; a newer one on file makes this a `stale` error. Left out
 * (the CLI), the version on file.
 */
declaration_version: number | null, outcome: Outcome, 
/**
 * Approve only; the computed credit when left out. A different figure needs a reason.
 */
credited_hours: Hours | null, reason: string | null, };

export type BatchResult = { 
/**
 * The batch's id: `undo_batch` takes it back as one.
 */
batch: string, approved: Array<string>, plan: BatchPlan, };

export type BatchUndo = { undone: Array<string>, 
/**
 * Declarations whose decision of the batch could not be undone any more.
 */
kept: Array<string>, };

export type UndoRefusal = "nothing" | "sending" | "sent";

export type DecisionState = "pending" | "applied" | "conflict" | "rejected" | "superseded" | "withdrawn";

export type ReviewState = "open" | "decided" | "conflict";

export type UploadState = "none" | "pending" | "sent" | "rejected";

export type SyncScope = "staff" | "declarations";

export type SyncEvent = { "kind": "progress" } & Progress | { "kind": "state" } & SyncState | { "kind": "reading" } & ReadingProgress;

export type SyncState = { running: boolean, status: SyncStatus | null, 
/**
 * The last attempt's failure, for the reviewer.
 */
error: AppError | null, report: SyncReport | null, 
/**
 * Seconds until the next automatic attempt.
 */
next_in_secs: number | null, };

export type ReadingProgress = { 
/**
 * Files read at this reader's version, of all downloaded files of live declarations.
 */
read: number, total: number, 
/**
 * Whether images wait for the OCR models, which are not installed.
 */
models_missing: boolean, };

export type FieldPlace = { sha256: string, page: number, x: number, y: number, w: number, h: number, page_width: number, page_height: number, };

export type ReadField = "holder_name" | "dates" | "hours" | "organizer" | "certificate_no";

export type FieldVerdict = "agrees" | "differs" | "not_found" | "read";

export type FieldRow = { field: ReadField, 
/**
 * What the declaration states (None for the certificate number).
 */
declared: string | null, 
/**
 * What the certificate says, as read.
 */
read: string | null, verdict: FieldVerdict, place: FieldPlace | null, };

export type ReadingFinding = { flag: Flag, detail: string, };

export type ReadingSummary = { rows: Array<FieldRow>, findings: Array<ReadingFinding>, 
/**
 * Files of the declaration read so far, of all its files.
 */
files_read: number, files_total: number, 
/**
 * Files that could not be read, each with why (in Chinese).
 */
failed: Array<string>, };

export type DeclarationReading = { "state": "pending" } | { "state": "ready", summary: ReadingSummary, };

export type Hours = number;

export type Flag = "hours_mismatch" | "dates_outside_year" | "future_date" | "overlapping_dates" | "duplicate_evidence" | "duplicate_declaration" | "missing_evidence" | "implausible_daily_hours" | "staff_not_in_roster" | "staff_inactive" | "invalid_id_number" | "public_not_online" | "conference_cap_applied" | "service_under_one_year" | "missing_confirmation" | "days_exceed_span" | "promotion_needs_face_to_face" | "transition_year_not_listed" | "evidence_name_mismatch" | "evidence_dates_mismatch" | "evidence_hours_mismatch" | "evidence_organizer_mismatch" | "evidence_unreadable" | "duplicate_certificate_no";

export type FileKind = "pdf" | "png" | "jpeg" | "gif" | "webp";

export type Category = "public" | "professional";

export type Form = "online_course" | "base_training" | "organized_training" | "degree_education" | "academic_conference" | "qualification_exam" | "practice_qualification_exam" | "title_language_exam" | "computer_exam" | "grassroots_service" | "aid_xinjiang" | "transition_certificate" | "other";

export type ConferenceLevel = "national" | "corps";

export type ExamLevel = "senior" | "intermediate" | "junior";

export type TitleLevel = "senior_full" | "senior_deputy" | "intermediate" | "junior";

export type Status = "pending_unit_review" | "returned" | "rejected" | "unit_approved" | "industry_approved" | "industry_returned" | "spot_checked";

export type Evidence = { id: string, file_name: string, media_type: string, size: number, 
/**
 * The file's SHA-256: 64 lowercase hexadecimal digits.
 */
sha256: string, };

export type Declaration = { id: string, staff_id: string, category: Category, form: Form, level: ConferenceLevel | null, exam_level: ExamLevel | null, title: string, organizer: string, start_date: string, end_date: string, days: number | null, presented_paper: boolean, 
/**
 * What the declarant claims; absent or null when nothing is claimed (a deemed form such as
 * a degree or a year of service, whose record is the claim).
 */
claimed_hours: Hours | null, certified_hours: Hours | null, confirmation_ref: string | null, evidence: Array<Evidence>, status: Status, version: number, };

export type Deemed = "professional" | "all";

export type DeclarationResult = { id: string, staff_id: string, category: Category, 
/**
 * The year whose ledger this declaration counts in.
 */
year: number, 
/**
 * The hours the rule gives before the annual conference cap.
 */
computed_hours: Hours, 
/**
 * The hours that count, after caps.
 */
credited_hours: Hours, deemed: Deemed | null, clause: string, explanation: string, flags: Array<Flag>, };

export type Shortfall = { public: Hours, professional: Hours, };

export type LedgerEntry = { staff_id: string, year: number, public_hours: Hours, professional_hours: Hours, public_satisfied: boolean, professional_satisfied: boolean, complete: boolean, deemed_by: Array<string>, shortfall: Shortfall, flags: Array<Flag>, };

export type Evaluation = { declarations: Array<DeclarationResult>, ledger: Array<LedgerEntry>, };

export type Outcome = "approve" | "return" | "reject";

export type Decision = { declaration_id: string, 
/**
 * The platform version of the declaration the reviewer saw.
 */
declaration_version: number, outcome: Outcome, 
/**
 * Approve only.
 */
credited_hours: Hours | null, 
/**
 * Approve only.
 */
category: Category | null, reason: string | null, reviewer: string, decided_at: string, 
/**
 * Client-made key (UUIDv7); the platform applies each key at most once.
 */
idempotency_key: string, };

export type SortKey = "end_date" | "staff_name" | "claimed_hours" | "credited_hours" | "id";

export type QueueFilter = { status: Status | null, review_state: ReviewState | null, form: Form | null, category: Category | null, flag: Flag | null, 
/**
 * Only items with (`true`) or without (`false`) any flag.
 */
flagged: boolean | null, 
/**
 * A fragment of the staff name, the digits the ID mask shows, the whole ID number, or the
 * start of a declaration id.
 */
search: string | null, staff_id: string | null, from: string | null, to: string | null, sort: SortKey, descending: boolean, offset: number, limit: number, 
/**
 * Leave the total out (it comes back as -1): a list that already knows it, fetching
 * more pages while scrolling, spares a count over the whole filter.
 */
skip_total: boolean, };

export type QueueRow = { id: string, version: number, staff_id: string, staff_name: string | null, id_number_masked: string | null, form: Form, category: Category, status: Status, review_state: ReviewState, title: string, organizer: string, start_date: string, end_date: string, 
/**
 * None when the declarant claims nothing (a deemed form).
 */
claimed_hours: Hours | null, credited_hours: Hours | null, flags: Array<Flag>, };

export type QueuePage = { rows: Array<QueueRow>, total: number, };

export type StaffView = { id: string, name: string, id_number_masked: string, unit_id: string, title_series: string, title_level: TitleLevel | null, applying_promotion: boolean, active: boolean, };

export type EvidenceView = { id: string, file_name: string, media_type: string, size: number, sha256: string, 
/**
 * missing | partial | present
 */
state: string, bytes_stored: number, 
/**
 * What the stored bytes are, by their first bytes; None until present, or when the file
 * is of a kind the viewer refuses (SVG, HTML, unknown).
 */
kind: FileKind | null, };

export type DeclarationView = { declaration: Declaration, review_state: ReviewState, withdrawn: boolean, 
/**
 * Why this declaration cannot be decided here now (in Chinese), or None when it can:
 * the core's answer, so the page carries no rule of its own.
 */
cannot_decide: string | null, evaluation: DeclarationResult | null, staff: StaffView | null, evidence: Array<EvidenceView>, decisions: Array<DecisionRecord>, ledger: LedgerEntry | null, };

export type Dashboard = { total: number, by_status: Array<[Status, number]>, 
/**
 * Pending unit review and not yet decided here.
 */
to_review: number, 
/**
 * Of those, with at least one flag.
 */
to_review_flagged: number, 
/**
 * Decided here, waiting to be sent.
 */
pending_upload: number, conflicts: number, };

export type RosterFilter = { year: number, 
/**
 * A fragment of the name, the digits the ID mask shows, or the whole ID number.
 */
search: string | null, 
/**
 * Only people whose ledger for the year is (`true`) or is not (`false`) complete.
 */
complete: boolean | null, offset: number, limit: number, };

export type RosterRow = { staff: StaffView, 
/**
 * None: nothing declared for the year yet.
 */
ledger: LedgerEntry | null, };

export type RosterPage = { rows: Array<RosterRow>, total: number, };

export type BatchItem = { id: string, version: number, staff_name: string | null, credited_hours: Hours, category: Category, };

export type BatchSkip = { id: string, 
/**
 * Why, in Chinese.
 */
reason: string, };

export type BatchPlan = { eligible: Array<BatchItem>, skipped: Array<BatchSkip>, total_hours: Hours, };

export type DecisionRecord = { key: string, declaration_id: string, declaration_version: number, outcome: Outcome, credited_hours: Hours | null, category: Category | null, reason: string | null, reviewer: string, decided_at: string, state: DecisionState, server_note: string | null, 
/**
 * The batch approval this decision was part of (undone together), if any.
 */
batch: string | null, };

export type AuditEntry = { seq: number, at: string, actor: string, action: string, entity: string, before: JsonValue | null, after: JsonValue | null, prev_hash: string, hash: string, };

export type SyncStatus = { pending: number, in_flight: number, conflicts: number, rejected: number, last_sync: string | null, last_attempt: string | null, last_error: string | null, 
/**
 * Whether the last attempt reached the platform and succeeded.
 */
online: boolean, 
/**
 * Server time minus local time at the last sync, seconds.
 */
clock_offset_secs: number | null, server: string | null, username: string | null, unit_id: string | null, };

export type ConflictView = { id: number, declaration_id: string, decision: DecisionRecord, 
/**
 * The declaration as the reviewer saw it when deciding (None for decisions made before
 * this was kept).
 */
seen: Declaration | null, server: Declaration | null, detected_at: string, };

export type Phase = "login" | "pull_staff" | "pull_declarations" | "evaluate" | "push" | "evidence" | "done";

export type Progress = { phase: Phase, items_done: number, items_total: number | null, 
/**
 * Body bytes received and sent so far in this sync.
 */
bytes_down: number, bytes_up: number, };

export type SyncReport = { staff_received: number, declarations_received: number, tombstones: number, 
/**
 * Scopes pulled again from the start because the checksum did not match.
 */
repulled: Array<SyncScope>, 
/**
 * Scopes whose checksum still differed after a full pull.
 */
checksum_mismatch: Array<SyncScope>, applied: number, 
/**
 * Push requests sent (retries included).
 */
push_requests: number, conflicts: number, rejected: number, evidence_downloaded: number, evidence_failed: number, 
/**
 * Spot-check findings the platform stored (or already had).
 */
findings_sent: number, requests: number, retries: number, bytes_down: number, bytes_up: number, clock_offset_secs: number | null, 
/**
 * The platform's audit anchor showed the local chain rewritten or truncated.
 */
audit_problem: string | null, };

export type RiskReason = "flagged" | "high_hours" | "conference_at_cap" | "deemed";

export type SampleSize = { "by": "count", "value": number } | { "by": "per_mille", "value": number };

export type SampleSpec = { size: SampleSize, 
/**
 * At least this many of every form that has candidates (all of a form with fewer).
 */
min_per_form: number, seed: number, };

export type Stratum = "form_minimum" | "weighted";

export type RosterCorrection = { staff_id: string, name: string | null, id_number: string | null, title_series: string | null, title_level: TitleLevel | null, applying_promotion: boolean | null, active: boolean | null, };

export type RowCheck = { 
/**
 * The row number as the spreadsheet shows it (the heading is row 1).
 */
row: number, correction: RosterCorrection | null, errors: Array<string>, };

export type Finding = "confirmed" | "problem";

export type PackSummary = { id: string, year: number, seed: string, spec: SampleSpec, candidates: number, items: number, recorded: number, problems: number, created_at: string, created_by: string, };

export type PackEvidence = { sha256: string, file_name: string, present: boolean, };

export type PackItem = { rank: number, declaration_id: string, staff_id: string, staff_name: string | null, id_number_masked: string | null, form: Form, status: Status, title: string, organizer: string, start_date: string, end_date: string, credited_hours: Hours | null, clause: string | null, flags: Array<Flag>, weight: number, reasons: Array<RiskReason>, stratum: Stratum, evidence: Array<PackEvidence>, finding: Finding | null, note: string | null, recorded_at: string | null, upload: UploadState, };

export type PackView = { pack: PackSummary, items: Array<PackItem>, };

export type ExportReport = { kind: string, decisions: number, staff: number, declarations: number, evidence_files: number, bytes: number, };

export type SkippedItem = { id: string, reason: string, };

export type ImportReport = { kind: string, origin: string, created_at: string, 
/**
 * Decisions queued for upload by this import.
 */
imported: number, 
/**
 * Decisions this profile already had (an earlier import, or its own): left as they are.
 */
already_present: number, skipped: Array<SkippedItem>, staff: number, declarations: number, evidence_files: number, };

export type SpotcheckInput = { 
/**
 * The review year when left out.
 */
year: number | null, size: SampleSize, min_per_form: number, 
/**
 * Digits; a random seed is chosen (and kept with the pack) when left out.
 */
seed: string | null, };

export type FindingInput = { pack_id: string, declaration_id: string, finding: Finding, note: string | null, };

export type Written = { 
/**
 * Full paths, the first being the main one.
 */
paths: Array<string>, rows: number, 
/**
 * Evidence files not on this machine yet (packs only).
 */
missing_evidence: number, 
/**
 * The file holds full ID numbers: written for its owner only, and the page says so.
 */
full_ids: boolean, };

export type ExportKind = "queue" | "decisions" | "ledger";

export type ExportInput = { what: ExportKind, 
/**
 * Full ID numbers (the reading is audited); masked otherwise.
 */
full_ids: boolean, 
/**
 * Queue only: the filter on screen (paging is ignored: every matching row).
 */
filter: QueueFilter | null, };

export type PrintInput = { "what": "staff", "id": string } | { "what": "summary" } | { "what": "pack", "id": string };

export type ExchangeKind = "decisions" | "snapshot";

export type RosterCheck = { token: number, rows: Array<RowCheck>, ready: number, };

export type ExchangeExportInput = { kind: ExchangeKind, passphrase: string, };

export type ExchangeImportInput = { 
/**
 * The id `upload_begin` gave; the file arrived through `upload_piece`.
 */
upload: string, passphrase: string, };

export type UploadProgress = { read: number, total: number, };

export type ExchangeWritten = { path: string, report: ExportReport, };

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/** The Chinese words of every code (from the core's labels), and the media type of each
 *  evidence kind. */
export const LABELS = {
  "categories": {
    "professional": "专业科目",
    "public": "公需科目"
  },
  "conference_levels": {
    "corps": "兵团（省）级",
    "national": "国家级"
  },
  "decision_states": {
    "applied": "已上传",
    "conflict": "冲突",
    "pending": "待上传",
    "rejected": "平台未接受",
    "superseded": "已被新意见替代",
    "withdrawn": "已撤销"
  },
  "exam_levels": {
    "intermediate": "中级",
    "junior": "初级",
    "senior": "高级"
  },
  "field_verdicts": {
    "agrees": "一致",
    "differs": "不一致",
    "not_found": "未识别出",
    "read": "已识别"
  },
  "findings": {
    "confirmed": "核实无误",
    "problem": "存在问题"
  },
  "flags": {
    "conference_cap_applied": {
      "badge": "会议封顶",
      "explanation": "学术会议年度计入专业科目学时最多40学时，超出部分不计"
    },
    "dates_outside_year": {
      "badge": "非本年度",
      "explanation": "学习时间不在本审核年度"
    },
    "days_exceed_span": {
      "badge": "天数有误",
      "explanation": "申报天数超过起止日期之间的天数"
    },
    "duplicate_certificate_no": {
      "badge": "证书编号重复",
      "explanation": "同一证书编号出现在多条申报中"
    },
    "duplicate_declaration": {
      "badge": "重复申报",
      "explanation": "同一人、同一形式、同一主办单位、同一时间、同一名称的申报已存在"
    },
    "duplicate_evidence": {
      "badge": "材料重复",
      "explanation": "证明材料与其他申报（可能是他人的）完全相同"
    },
    "evidence_dates_mismatch": {
      "badge": "证书日期不符",
      "explanation": "证明材料上的日期与申报的起止日期不一致"
    },
    "evidence_hours_mismatch": {
      "badge": "证书学时不符",
      "explanation": "证明材料上的学时与申报学时不一致"
    },
    "evidence_name_mismatch": {
      "badge": "证书姓名不符",
      "explanation": "证明材料上的姓名与申报人不一致（显示读到的姓名）"
    },
    "evidence_organizer_mismatch": {
      "badge": "发证单位不符",
      "explanation": "证明材料的发证单位与申报的主办单位不一致"
    },
    "evidence_unreadable": {
      "badge": "材料无法识别",
      "explanation": "未能从证明材料中读出内容，请人工核对"
    },
    "future_date": {
      "badge": "日期超前",
      "explanation": "学习时间晚于今天"
    },
    "hours_mismatch": {
      "badge": "学时不符",
      "explanation": "申报学时与按标准计算的学时不一致"
    },
    "implausible_daily_hours": {
      "badge": "日均过高",
      "explanation": "日均学时超过8学时"
    },
    "invalid_id_number": {
      "badge": "证号有误",
      "explanation": "身份证号码校验位错误"
    },
    "missing_confirmation": {
      "badge": "缺认定文号",
      "explanation": "其他形式学时须由师市人社局或兵团业务主管部门认定"
    },
    "missing_evidence": {
      "badge": "缺少材料",
      "explanation": "该学习形式须上传证明材料"
    },
    "overlapping_dates": {
      "badge": "时间重叠",
      "explanation": "与本人其他培训、会议的时间重叠"
    },
    "promotion_needs_face_to_face": {
      "badge": "缺面授",
      "explanation": "申报上一级资格人员在本申报周期内尚无集中面授记录"
    },
    "public_not_online": {
      "badge": "公需非网学",
      "explanation": "公需科目须通过网络学习完成"
    },
    "service_under_one_year": {
      "badge": "服务不满一年",
      "explanation": "基层服务不满一年，不能视同完成当年度学习任务"
    },
    "staff_inactive": {
      "badge": "已离岗",
      "explanation": "申报人已调出或离岗"
    },
    "staff_not_in_roster": {
      "badge": "非本单位",
      "explanation": "申报人不在本单位人员名单中"
    },
    "transition_year_not_listed": {
      "badge": "非补录年度",
      "explanation": "过渡年补录的面授合格证书不属于规则集允许补录的年度，不计学时"
    }
  },
  "forms": {
    "academic_conference": "学术会议",
    "aid_xinjiang": "援疆专业技术人员",
    "base_training": "继续教育基地培训班（集中面授）",
    "computer_exam": "计算机知识考试",
    "degree_education": "学历、学位教育",
    "grassroots_service": "基层服务",
    "online_course": "网络学习（专技平台课程）",
    "organized_training": "部委、协会、学会及兵团有关部门主办的培训、研修",
    "other": "其他形式（师市人社局或兵团业务主管部门认定）",
    "practice_qualification_exam": "全国执业资格或职业水平考试",
    "qualification_exam": "全国专业技术资格考试",
    "title_language_exam": "职称外语考试",
    "transition_certificate": "2017、2018年度面授合格证书（过渡年补录）"
  },
  "media_types": {
    "gif": "image/gif",
    "jpeg": "image/jpeg",
    "pdf": "application/pdf",
    "png": "image/png",
    "webp": "image/webp"
  },
  "outcomes": {
    "approve": "通过",
    "reject": "不予认定",
    "return": "退回修改"
  },
  "read_fields": {
    "certificate_no": "证书编号",
    "dates": "起止日期",
    "holder_name": "姓名",
    "hours": "学时",
    "organizer": "主办单位"
  },
  "review_states": {
    "conflict": "冲突",
    "decided": "已审核",
    "open": "待审核"
  },
  "risk_reasons": {
    "conference_at_cap": "学术会议达年度上限",
    "deemed": "视同完成",
    "flagged": "有疑点提示",
    "high_hours": "学时较高"
  },
  "statuses": {
    "industry_approved": "复审通过",
    "industry_returned": "复审退回",
    "pending_unit_review": "待单位初审",
    "rejected": "不予认定",
    "returned": "已退回修改",
    "spot_checked": "已抽审",
    "unit_approved": "初审通过"
  },
  "sync_scopes": {
    "declarations": "申报",
    "staff": "人员名单"
  },
  "title_levels": {
    "intermediate": "中级",
    "junior": "初级",
    "senior_deputy": "副高级",
    "senior_full": "正高级"
  },
  "upload_states": {
    "none": "未核查",
    "pending": "待上传",
    "rejected": "平台未接受",
    "sent": "已上传"
  }
} as const;
