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
  | "undo"
  | ViewerAction
  | "close";

/** What the evidence viewer does with a key (on the file that has the focus ring). */
export type ViewerAction =
  | "zoom_in"
  | "zoom_out"
  | "zoom_reset"
  | "rotate"
  | "page_next"
  | "page_previous"
  | "file_next"
  | "file_previous"
  | "full_size";

export const VIEWER_ACTIONS: ViewerAction[] = [
  "zoom_in",
  "zoom_out",
  "zoom_reset",
  "rotate",
  "page_next",
  "page_previous",
  "file_next",
  "file_previous",
  "full_size",
];

export function isViewerAction(a: Action): a is ViewerAction {
  return (VIEWER_ACTIONS as string[]).includes(a);
}

const KEYS: Record<string, Action> = {
  j: "next",
  ArrowDown: "next",
  k: "previous",
  ArrowUp: "previous",
  a: "approve",
  r: "return",
  x: "reject",
  z: "undo",
  "+": "zoom_in",
  "=": "zoom_in",
  "-": "zoom_out",
  "0": "zoom_reset",
  t: "rotate",
  n: "page_next",
  p: "page_previous",
  "]": "file_next",
  "[": "file_previous",
  f: "full_size",
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
  ["z", "撤销刚才的审核意见（尚未上传时）"],
  ["空格", "勾选 / 取消勾选（批量通过）"],
  ["+ / -", "证明材料放大 / 缩小"],
  ["0", "证明材料恢复原大小和方向"],
  ["t", "证明材料旋转90°"],
  ["n / p", "PDF下一页 / 上一页"],
  ["] / [", "下一个 / 上一个证明材料文件"],
  ["f", "全屏查看证明材料（再按 f 或 Esc 退出）"],
  ["/", "搜索姓名、身份证号首尾4位、完整身份证号或申报编号"],
  ["?", "显示本帮助"],
  ["Ctrl+L", "锁定档案（离开座位时；再次打开需输入解锁密码）"],
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
