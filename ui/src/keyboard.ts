// The review shortcuts. A pure mapping, so tests can check it without a page.

export type Action =
  | "next"
  | "previous"
  | "approve"
  | "return"
  | "reject"
  | "search"
  | "help"
  | "toggle_select"
  | "close";

const KEYS: Record<string, Action> = {
  j: "next",
  ArrowDown: "next",
  k: "previous",
  ArrowUp: "previous",
  a: "approve",
  r: "return",
  x: "reject",
  "/": "search",
  "?": "help",
  " ": "toggle_select",
  Escape: "close",
};

/** What the shortcut table shows in the help dialog. */
export const SHORTCUTS: [string, string][] = [
  ["j / ↓", "下一条"],
  ["k / ↑", "上一条"],
  ["a", "通过（按核算学时）"],
  ["r", "退回修改（须填原因）"],
  ["x", "不予认定（须填原因）"],
  ["空格", "勾选 / 取消勾选（批量通过）"],
  ["/", "搜索姓名或身份证号片段"],
  ["?", "显示本帮助"],
  ["Esc", "关闭对话框 / 退出搜索框"],
];

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focused element's tag name (INPUT, TEXTAREA, …) and whether it is editable. */
  targetTag?: string;
  targetEditable?: boolean;
}

/** The action of a key press, or null when the key belongs to a text field or has a modifier. */
export function actionFor(e: KeyLike): Action | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const typing =
    e.targetEditable || e.targetTag === "INPUT" || e.targetTag === "TEXTAREA" || e.targetTag === "SELECT";
  if (typing) return e.key === "Escape" ? "close" : null;
  return KEYS[e.key] ?? null;
}

/** Moves a selection index by one within [0, total). */
export function step(index: number, total: number, action: "next" | "previous"): number {
  if (total <= 0) return -1;
  if (index < 0) return 0;
  const next = action === "next" ? index + 1 : index - 1;
  return Math.min(Math.max(next, 0), total - 1);
}
