//! Store errors: English for logs (Display), Chinese for the reviewer (`message_zh`), and a
//! stable code for the IPC error.

use jxjy_core::decision::DecisionError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the keyring has no database key for profile `{profile}`; the database cannot be opened (its data is kept)")]
    KeyMissing { profile: String },
    #[error("the database key of profile `{profile}` does not open its database (wrong key or not a jxjy database)")]
    WrongKey { profile: String },
    #[error("keyring: {0}")]
    Keyring(String),
    #[error("profile `{profile}` is locked: give its unlock secret")]
    Locked { profile: String },
    #[error("profile `{profile}` has no unlock secret yet: choose one (at least 6 digits or 8 characters)")]
    NoUnlockSecret { profile: String },
    #[error("profile `{profile}` already has an unlock secret")]
    HasUnlockSecret { profile: String },
    #[error("wrong unlock secret for profile `{profile}`{}", wait_note(*wait_s))]
    WrongSecret { profile: String, wait_s: u64 },
    #[error("wrong recovery code for profile `{profile}`{}", wait_note(*wait_s))]
    WrongRecoveryCode { profile: String, wait_s: u64 },
    #[error("too many wrong unlock attempts for profile `{profile}`: try again in {wait_s} s (nothing was deleted)")]
    UnlockThrottled { profile: String, wait_s: u64 },
    #[error(
        "the unlock secret must be at least 6 digits or 8 characters (at most {})",
        crate::key_wrap::MAX_SECRET_CHARS
    )]
    WeakSecret(crate::key_wrap::WeakSecret),
    #[error("no Secret Service (the OS keyring over D-Bus) can be reached here; on a machine without a desktop session set JXJY_KEYRING=keyutils")]
    NoSecretService,
    #[error("the database has schema version {found}; this program supports up to {supported}")]
    TooNew { found: i64, supported: i64 },
    #[error("invalid profile name `{0}`")]
    InvalidProfile(String),
    #[error("no home folder: set JXJY_HOME")]
    NoHome,
    #[error("{what} `{id}` not found")]
    NotFound { what: &'static str, id: String },
    #[error("declaration {id} is at version {current}, the decision was made on version {seen}")]
    StaleVersion { id: String, seen: u64, current: u64 },
    #[error("declaration {id} is `{status}`, not pending unit review")]
    NotReviewable { id: String, status: String },
    #[error("declaration {id} was withdrawn on the platform")]
    Withdrawn { id: String },
    #[error("declaration {id} has not been evaluated yet")]
    NotEvaluated { id: String },
    #[error("the earlier decision on {id} is being uploaded; sync first")]
    InFlight { id: String },
    #[error("the decision on declaration {id} cannot be undone: {}", why.en())]
    CannotUndo {
        id: String,
        why: crate::undo::UndoRefusal,
    },
    #[error("invalid decision: {0}")]
    Decision(#[from] DecisionError),
    #[error("evidence {sha256}: {problem}")]
    Evidence { sha256: String, problem: String },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("exchange file: {0}")]
    Exchange(#[from] jxjy_exchange::ExchangeError),
    #[error("the exchange file belongs to {file}, this profile to {profile}")]
    ExchangeOwner { file: String, profile: String },
    /// Sealed with the right passphrase, but signed by a key this profile does not trust.
    #[error("the exchange file was signed by key {key}, which this profile does not know: {why}")]
    ExchangeSigner { key: String, why: &'static str },
    /// An evidence record (from a pull, a snapshot or an interchange file) that names no file
    /// this program will fetch or keep; the whole page or file is refused.
    #[error("declaration {declaration}: {problem}")]
    BadEvidenceRecord {
        declaration: String,
        problem: jxjy_core::evidence_record::EvidenceRecordError,
    },
    #[error("the snapshot presets a platform address that is refused: {0}")]
    SnapshotAddress(jxjy_core::address::AddressError),
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("this profile has not logged in to the platform yet")]
    NotLoggedIn,
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("file system: {0}")]
    Io(#[source] std::io::Error),
}

impl StoreError {
    /// A stable code for the IPC error type.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::KeyMissing { .. } => "key_missing",
            StoreError::WrongKey { .. } => "wrong_key",
            StoreError::Keyring(_) | StoreError::NoSecretService => "keyring",
            StoreError::Locked { .. } => "locked",
            StoreError::NoUnlockSecret { .. } => "no_unlock_secret",
            StoreError::HasUnlockSecret { .. } => "not_allowed",
            StoreError::WrongSecret { .. } | StoreError::WrongRecoveryCode { .. } => "wrong_secret",
            StoreError::UnlockThrottled { .. } => "unlock_throttled",
            StoreError::WeakSecret(_) => "invalid_input",
            StoreError::TooNew { .. } => "database_too_new",
            StoreError::InvalidProfile(_) | StoreError::Decision(_) => "invalid_input",
            StoreError::NoHome | StoreError::Io(_) => "io",
            StoreError::NotFound { .. } => "not_found",
            StoreError::StaleVersion { .. } | StoreError::Withdrawn { .. } => "stale",
            StoreError::NotReviewable { .. }
            | StoreError::NotEvaluated { .. }
            | StoreError::InFlight { .. }
            | StoreError::CannotUndo { .. } => "not_allowed",
            StoreError::Evidence { .. } => "evidence",
            StoreError::Corrupt(_) | StoreError::Sqlite(_) => "database",
            StoreError::Exchange(e) => match e {
                jxjy_exchange::ExchangeError::WrongPassphrase => "wrong_passphrase",
                jxjy_exchange::ExchangeError::WeakPassphrase => "invalid_input",
                jxjy_exchange::ExchangeError::Io(_) => "io",
                _ => "file_refused",
            },
            StoreError::ExchangeOwner { .. } | StoreError::NotLoggedIn => "not_allowed",
            StoreError::ExchangeSigner { .. } => "file_refused",
            StoreError::SnapshotAddress(_) => "file_refused",
            StoreError::BadEvidenceRecord { .. } => "bad_data",
            StoreError::Invalid(_) => "invalid_input",
        }
    }

    /// What the reviewer reads.
    pub fn message_zh(&self) -> String {
        match self {
            StoreError::KeyMissing { profile } => format!(
                "系统密钥库中没有档案“{profile}”的数据库密钥，无法打开本地数据。请用原来的系统账户登录本机；本地数据（含未上传的审核意见）仍完整保留，不会被删除。"
            ),
            StoreError::WrongKey { profile } => format!(
                "档案“{profile}”的数据库密钥与本地数据不匹配，无法打开。本地数据仍完整保留，请联系管理员。"
            ),
            StoreError::Keyring(e) => format!("无法访问系统密钥库：{e}"),
            StoreError::Locked { profile } => format!("档案“{profile}”已锁定，请输入解锁密码"),
            StoreError::NoUnlockSecret { profile } => {
                format!("档案“{profile}”尚未设置解锁密码，请先设置")
            }
            StoreError::HasUnlockSecret { profile } => format!("档案“{profile}”已设置解锁密码"),
            StoreError::WrongSecret { wait_s, .. } => {
                format!("解锁密码不正确。{}", wait_zh(*wait_s))
            }
            StoreError::WrongRecoveryCode { wait_s, .. } => {
                format!("恢复码不正确。{}", wait_zh(*wait_s))
            }
            StoreError::UnlockThrottled { wait_s, .. } => format!(
                "错误次数过多，请{wait_s}秒后再试。本地数据（含未上传的审核意见）不会因此删除。"
            ),
            StoreError::WeakSecret(_) => crate::key_wrap::SECRET_RULE_ZH.to_owned(),
            StoreError::NoSecretService => {
                "无法访问系统密钥库（Secret Service 未运行），请在桌面会话中打开本程序".to_owned()
            }
            StoreError::TooNew { found, supported } => format!(
                "本地数据库由更新版本的程序创建（结构版本{found}，本程序最高支持{supported}），请升级程序后再打开。"
            ),
            StoreError::InvalidProfile(name) => {
                format!("档案名“{name}”无效：只能使用文字、数字、“-”“_”“.”，最长64字")
            }
            StoreError::NoHome => "找不到数据目录，请设置 JXJY_HOME".to_owned(),
            StoreError::NotFound { what, id } => format!("找不到{}：{id}", what_zh(what)),
            StoreError::StaleVersion { id, .. } => {
                format!("申报{id}已在平台上更新，请查看最新内容后重新审核")
            }
            StoreError::NotReviewable { id, .. } => format!("申报{id}不在“待单位初审”状态，不能审核"),
            StoreError::Withdrawn { id } => format!("申报{id}已被申报人撤回"),
            StoreError::NotEvaluated { id } => format!("申报{id}尚未完成学时核算，请稍后再试"),
            StoreError::InFlight { id } => {
                format!("申报{id}的上一条审核意见正在上传，请先完成同步再修改")
            }
            StoreError::CannotUndo { id, why } => format!("申报{id}：{}", why.zh()),
            StoreError::Decision(e) => e.message_zh(),
            StoreError::Evidence { .. } => "证明材料已损坏或不完整，请重新下载".to_owned(),
            StoreError::Corrupt(_) => "本地数据已损坏，请联系管理员".to_owned(),
            StoreError::Sqlite(_) | StoreError::Io(_) => "本地数据读写失败，请重试".to_owned(),
            StoreError::Exchange(e) => exchange_zh(e),
            StoreError::ExchangeOwner { file, profile } => format!(
                "该交换文件属于“{file}”，与当前档案“{profile}”不符，未导入任何内容。请在同一审核人的档案中导入。"
            ),
            StoreError::ExchangeSigner { key, .. } => format!(
                "该交换文件不是由本档案或本档案制作的数据快照所对应的团场档案生成的（签名密钥 {key} 未知），未导入任何内容。请让审核人在其本人档案中重新导出。"
            ),
            StoreError::BadEvidenceRecord {
                declaration,
                problem,
            } => {
                use jxjy_core::evidence_record::EvidenceRecordError as E;
                let why = match problem {
                    E::BadHash { .. } => "文件校验值格式不正确".to_owned(),
                    E::TooLarge { .. } => format!(
                        "文件超过{}MB",
                        jxjy_core::evidence_record::MAX_EVIDENCE_BYTES >> 20
                    ),
                };
                format!("申报{declaration}的证明材料记录不合规（{why}），未写入任何内容，请联系平台管理员")
            }
            StoreError::SnapshotAddress(e) => {
                format!("快照文件预设的平台地址不安全，未导入任何内容。{}", e.message_zh())
            }
            StoreError::Invalid(zh) => zh.clone(),
            StoreError::NotLoggedIn => "当前档案尚未登录专技平台，请先登录一次".to_owned(),
        }
    }
}

fn wait_note(wait_s: u64) -> String {
    if wait_s == 0 {
        String::new()
    } else {
        format!("; the next attempt waits {wait_s} s")
    }
}

fn wait_zh(wait_s: u64) -> String {
    if wait_s == 0 {
        "请重试".to_owned()
    } else {
        format!("请{wait_s}秒后再试")
    }
}

fn exchange_zh(e: &jxjy_exchange::ExchangeError) -> String {
    use jxjy_exchange::ExchangeError as E;
    match e {
        E::NotExchangeFile => "这不是本系统的交换文件".to_owned(),
        E::UnsupportedVersion(_) => "交换文件由更新版本的程序生成，请升级程序后再导入".to_owned(),
        E::WrongPassphrase => "交换文件口令错误，请核对后重试".to_owned(),
        E::WeakPassphrase => format!("口令至少需要{}个字符", jxjy_exchange::MIN_PASSPHRASE_CHARS),
        E::Io(_) => "交换文件读写失败，请检查U盘或磁盘后重试".to_owned(),
        E::Unsigned => {
            "交换文件没有签名（由旧版本生成或已被改动），未导入任何内容。请用当前版本重新导出。"
                .to_owned()
        }
        E::BadSignature => "交换文件的签名校验未通过，文件已被改动，未导入任何内容。".to_owned(),
        E::BadHeader(_)
        | E::Tampered { .. }
        | E::Truncated
        | E::TrailingData
        | E::BadRecord(_)
        | E::TooLarge(_)
        | E::Crypto => {
            "交换文件已被改动或损坏，校验未通过，未导入任何内容。请重新复制或重新导出该文件。"
                .to_owned()
        }
    }
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "declaration" => "申报",
        "staff" => "人员",
        "evidence" => "证明材料",
        "spotcheck" => "抽审材料包",
        "spotcheck item" => "抽审条目",
        "batch" => "批量审核记录",
        _ => "记录",
    }
}
