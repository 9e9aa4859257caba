// Taking the last decision back: the notice after each decision carries a 撤销 button, and `z`
// does the same. The app says why when the decision has already left this PC.
import { h } from "vue";
import { ElMessage } from "element-plus";
import { api } from "./ipc";
import { dataChanged } from "./appState";

export type LastDecision = { kind: "one"; id: string } | { kind: "batch"; batch: string; n: number };

let last: LastDecision | null = null;
let notice: { close: () => void } | null = null;

/** Shows the notice of a decision just recorded, with its 撤销 action. */
export function decided(what: LastDecision, text: string) {
  last = what;
  notice?.close();
  notice = ElMessage({
    type: "success",
    duration: 6000,
    customClass: "undo-notice",
    message: h("span", [
      text,
      h(
        "button",
        { class: "undo-action", "data-test": "undo", onClick: () => void undoLast(null) },
        "撤销 (z)",
      ),
    ]),
  });
}

/** Undoes the last decision of this session, else the one on `selected` (the declaration on
 *  screen). */
export async function undoLast(selected: string | null) {
  const what: LastDecision | null = last ?? (selected ? { kind: "one", id: selected } : null);
  if (!what) return;
  notice?.close();
  notice = null;
  try {
    if (what.kind === "one") {
      await api.undo(what.id);
      ElMessage.info({ message: "已撤销，申报回到待审核", duration: 1500 });
    } else {
      const r = await api.undoBatch(what.batch);
      const kept = r.kept.length ? `；${r.kept.length}条已上传，未撤销` : "";
      ElMessage.info({ message: `已撤销批量通过的${r.undone.length}条${kept}`, duration: 2500 });
    }
    last = null;
    dataChanged();
  } catch (e) {
    last = null;
    ElMessage.error((e as { message: string }).message);
  }
}
