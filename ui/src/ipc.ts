// Typed calls to the app's commands and its `sync` event. Every type comes from bindings.ts,
// which is generated from the Rust types; every failure is the shell's {code, message}.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AppError,
  AuditEntry,
  BatchPlan,
  BatchResult,
  ConflictView,
  Dashboard,
  DecideRequest,
  BatchUndo,
  DecisionRecord,
  DeclarationView,
  DeclarationReading,
  ExchangeExportInput,
  ExchangeWritten,
  ExportInput,
  FindingInput,
  ImportReport,
  PackItem,
  PackSummary,
  PackView,
  PrintInput,
  ReadingProgress,
  RosterCheck,
  SpotcheckInput,
  Written,
  LoginInput,
  LockState,
  SetUpInfo,
  QueueFilter,
  QueuePage,
  RosterFilter,
  RosterPage,
  SessionInfo,
  StartInfo,
  SyncEvent,
  SyncState,
  UploadProgress,
} from "./bindings";

/** Turns whatever a command threw into an AppError. */
export function toAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    return e as AppError;
  }
  // A bare string is the shell refusing the arguments before any command ran (a value outside
  // a closed set, a missing field): the request was wrong, not the app.
  if (typeof e === "string") return { code: "invalid_input", message: `请求参数有误：${e}` };
  return { code: "internal", message: `内部错误：${String(e)}` };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** A file the reviewer picked goes as raw bytes (the page has no file-system access). */
async function upload<T>(cmd: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<T> {
  try {
    return await invoke<T>(cmd, bytes, { headers });
  } catch (e) {
    throw toAppError(e);
  }
}

/** The size of each piece of a large file. */
export const PIECE = 8 * 1024 * 1024;

/** Hands a large file over in pieces, reading one at a time, so that neither the page nor the
 *  app ever holds it whole; the app appends them to a temporary file. Returns the upload's id. */
export async function uploadInPieces(file: Blob, progress?: (sent: number, total: number) => void): Promise<string> {
  const id = await call<string>("upload_begin", { size: file.size });
  for (let at = 0; at < file.size; at += PIECE) {
    const bytes = new Uint8Array(await file.slice(at, at + PIECE).arrayBuffer());
    await upload<number>("upload_piece", bytes, { "x-upload": id, "x-offset": String(at) });
    progress?.(Math.min(at + PIECE, file.size), file.size);
  }
  return id;
}

/** A queue filter with every field present (the Rust side fills defaults too). */
export function emptyFilter(): QueueFilter {
  return {
    status: null,
    review_state: null,
    form: null,
    category: null,
    flag: null,
    flagged: null,
    search: null,
    staff_id: null,
    from: null,
    to: null,
    sort: "end_date",
    descending: false,
    offset: 0,
    limit: 100,
    skip_total: false,
  };
}

export const api = {
  appStart: () => call<StartInfo>("app_start"),
  profileLockState: (name: string) => call<LockState>("profile_lock_state", { name }),
  profileOpen: (name: string, secret: string) => call<SessionInfo>("profile_open", { name, secret }),
  profileSetUp: (name: string, secret: string) => call<SetUpInfo>("profile_set_up", { name, secret }),
  profileRecover: (name: string, code: string, newSecret: string) =>
    call<SetUpInfo>("profile_recover", { name, code, new_secret: newSecret }),
  lock: () => call<string | null>("lock"),
  activity: () => call<null>("activity"),
  idleLockSet: (minutes: number) => call<number>("idle_lock_set", { minutes }),
  session: () => call<SessionInfo>("session"),
  login: (input: LoginInput) => call<SessionInfo>("login", { input }),
  logout: () => call<SessionInfo>("logout"),
  queue: (filter: QueueFilter) => call<QueuePage>("queue", { filter }),
  dashboard: () => call<Dashboard>("dashboard"),
  declaration: (id: string) => call<DeclarationView>("declaration", { id }),
  decide: (input: DecideRequest) => call<DecisionRecord>("decide", { input }),
  undo: (id: string) => call<DecisionRecord>("undo", { id }),
  undoBatch: (batch: string) => call<BatchUndo>("undo_batch", { batch }),
  batchPreview: (ids: string[]) => call<BatchPlan>("batch_preview", { ids }),
  batchApprove: (ids: string[]) => call<BatchResult>("batch_approve", { ids }),
  conflicts: () => call<ConflictView[]>("conflicts"),
  history: (id: string) => call<AuditEntry[]>("history", { id }),
  roster: (filter: RosterFilter) => call<RosterPage>("roster", { filter }),
  revealIdNumber: (staffId: string) => call<string>("reveal_id_number", { staff_id: staffId }),
  syncNow: (evidenceFirst: string | null) => call<null>("sync_now", { evidence_first: evidenceFirst }),
  syncPause: () => call<null>("sync_pause"),
  syncState: () => call<SyncState>("sync_state"),
  evidenceContent: (sha256: string) => call<ArrayBuffer>("evidence_content", { sha256 }),
  evidenceReading: (declarationId: string) =>
    call<DeclarationReading>("evidence_reading", { declaration_id: declarationId }),
  readingProgress: () => call<ReadingProgress | null>("reading_progress"),
  spotcheckList: () => call<PackSummary[]>("spotcheck_list"),
  spotcheckCreate: (input: SpotcheckInput) => call<PackSummary>("spotcheck_create", { input }),
  spotcheckPack: (id: string) => call<PackView>("spotcheck_pack", { id }),
  spotcheckRecord: (input: FindingInput) => call<PackItem>("spotcheck_record", { input }),
  spotcheckExport: (id: string) => call<Written>("spotcheck_export", { id }),
  exportXlsx: (input: ExportInput) => call<Written>("export_xlsx", { input }),
  printView: (input: PrintInput) => call<string>("print_view", { input }),
  rosterImportCheck: (bytes: Uint8Array) => upload<RosterCheck>("roster_import_check", bytes),
  rosterImportApply: (token: number) => call<number>("roster_import_apply", { token }),
  exchangeExport: (input: ExchangeExportInput) => call<ExchangeWritten>("exchange_export", { input }),
  /** Imports an uploaded exchange file (see `uploadInPieces`); `uploadProgress` tells how far. */
  exchangeImport: (upload: string, passphrase: string) => call<ImportReport>("exchange_import", { input: { upload, passphrase } }),
  uploadProgress: (upload: string) => call<UploadProgress | null>("upload_progress", { upload }),
};

/** The app locked the profile by itself (idle): the payload is the profile's name. */
export function onLocked(handler: (profile: string) => void): Promise<UnlistenFn> {
  return listen<string>("locked", (e) => handler(e.payload));
}

export function onSync(handler: (e: SyncEvent) => void): Promise<UnlistenFn> {
  return listen<SyncEvent>("sync", (e) => handler(e.payload));
}
