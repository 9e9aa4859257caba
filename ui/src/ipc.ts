// Typed wrappers over the app's commands. Every failure is the shell's {code, message}.
import { invoke } from "@tauri-apps/api/core";

export type ErrorCode = "invalid_input" | "rule_set" | "internal";
export interface AppError {
  code: ErrorCode;
  message: string;
}
export interface RuleSetInfo {
  id: string;
  name: string;
  first_year: number;
}
export interface AppInfo {
  version: string;
  rule_sets: RuleSetInfo[];
}
export interface DeclarationResult {
  id: string;
  staff_id: string;
  category: "public" | "professional";
  year: number;
  computed_hours: number;
  credited_hours: number;
  deemed: null | "professional" | "all";
  clause: string;
  explanation: string;
  flags: string[];
}
export interface Evaluation {
  declarations: DeclarationResult[];
  ledger: unknown[];
}

/** Turns whatever a command threw into an AppError. */
export function toAppError(e: unknown): AppError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    return e as AppError;
  }
  return { code: "internal", message: `内部错误：${String(e)}` };
}

export const appInfo = () => invoke<AppInfo>("app_info");
export const creditPreview = (document: string, today: string) =>
  invoke<Evaluation>("credit_preview", { document, today });
