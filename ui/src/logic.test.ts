import { describe, expect, it } from "vitest";
import { SHORTCUTS, actionFor, step } from "./keyboard";
import { toAppError } from "./ipc";
import { PAGE, PageCache, pagesFor, visibleRange } from "./pages";
import { changedFields, formatBytes, formatHours, formatWhen, localIsoDate, percent } from "./format";

describe("keyboard", () => {
  it("maps the review keys", () => {
    const cases: [string, string | null][] = [
      ["j", "next"], ["k", "previous"], ["a", "approve"], ["r", "return"], ["x", "reject"],
      ["/", "search"], ["?", "help"], [" ", "toggle_select"], ["z", "undo"], ["q", null], ["A", null],
      ["+", "zoom_in"], ["=", "zoom_in"], ["-", "zoom_out"], ["0", "zoom_reset"], ["t", "rotate"],
      ["n", "page_next"], ["p", "page_previous"], ["]", "file_next"], ["[", "file_previous"], ["f", "full_size"],
    ];
    for (const [key, want] of cases) expect(actionFor({ key }), key).toBe(want);
  });
  it("lists every key in the help, and no key twice", () => {
    const listed = SHORTCUTS.map(([k]) => k).join(" ");
    for (const k of ["z", "+", "-", "0", "t", "n / p", "] / [", "f"]) expect(listed).toContain(k);
    const keys = SHORTCUTS.map(([k]) => k);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it("leaves keys to text fields and modifiers", () => {
    expect(actionFor({ key: "a", targetTag: "INPUT" })).toBeNull();
    expect(actionFor({ key: "j", targetTag: "TEXTAREA" })).toBeNull();
    expect(actionFor({ key: "x", targetEditable: true })).toBeNull();
    expect(actionFor({ key: "Escape", targetTag: "INPUT" })).toBe("close");
    expect(actionFor({ key: "a", ctrlKey: true })).toBeNull();
  });
  it("steps within bounds", () => {
    expect(step(-1, 10, "next")).toBe(0);
    expect(step(9, 10, "next")).toBe(9);
    expect(step(0, 10, "previous")).toBe(0);
    expect(step(3, 10, "previous")).toBe(2);
    expect(step(0, 0, "next")).toBe(-1);
  });
});

describe("windowed pages", () => {
  it("covers the visible rows with a page of margin", () => {
    expect(pagesFor(0, 20, 100_000, 200)).toEqual([0, 1]);
    expect(pagesFor(450, 470, 100_000, 200)).toEqual([1, 2, 3]);
    expect(pagesFor(99_990, 99_999, 100_000, 200)).toEqual([498, 499]);
    expect(pagesFor(450, 470, 100_000, 200, 0)).toEqual([2]);
    expect(pagesFor(0, 5, 0)).toEqual([]);
  });
  it("computes the visible range", () => {
    expect(visibleRange(0, 560, 56, 1000)).toEqual({ first: 0, last: 10 });
    expect(visibleRange(5600, 560, 56, 105)).toEqual({ first: 100, last: 104 });
    expect(visibleRange(0, 500, 56, 0)).toEqual({ first: 0, last: -1 });
  });
  it("claims each page once and drops stale answers", () => {
    const c = new PageCache<number>();
    expect(c.claim([0, 1])).toEqual([0, 1]);
    expect(c.claim([0, 1, 2])).toEqual([2]);
    const gen = c.generation;
    c.put(0, [7, 8], gen);
    expect(c.row(1, 2)).toBe(8);
    c.reset();
    c.put(1, [9], gen); // an answer for the old filter
    expect(c.row(100)).toBeUndefined();
    expect(c.claim([1])).toEqual([1]);
  });
  it("keeps memory bounded", () => {
    const c = new PageCache<number>();
    for (let p = 0; p < 100; p++) c.put(p, [p], c.generation);
    c.trim([50], 10);
    expect(c.row(50 * PAGE)).toBe(50);
    expect(c.row(0)).toBeUndefined();
  });
});

describe("format", () => {
  it("writes hours, bytes, dates and shares", () => {
    expect(formatHours(24)).toBe("24学时");
    expect(formatHours(1.505)).toBe("1.51学时");
    expect(formatHours(null)).toBe("—");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(localIsoDate(new Date(2019, 0, 5))).toBe("2019-01-05");
    expect(percent(45, 30)).toBe(100);
    expect(percent(15, 60)).toBe(25);
  });
  it("says when, relative to now", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(formatWhen(null, now)).toBe("从未");
    expect(formatWhen("2026-11-25T11:59:30Z", now)).toBe("刚刚");
    expect(formatWhen("2026-11-25T11:50:00Z", now)).toBe("10分钟前");
    expect(formatWhen("2026-11-25T09:00:00Z", now)).toBe("3小时前");
  });
  it("lists changed fields", () => {
    expect(changedFields({ a: 1, b: [1] }, { a: 1, b: [2] })).toEqual(["b"]);
    expect(changedFields(null, { a: 1 })).toEqual([]);
  });
});

describe("errors from the shell", () => {
  it("keeps a {code, message} error, and reads a bare string as refused arguments", () => {
    expect(toAppError({ code: "stale", message: "已更新" })).toEqual({ code: "stale", message: "已更新" });
    expect(toAppError("invalid args `filter`").code).toBe("invalid_input");
    expect(toAppError(new Error("boom")).code).toBe("internal");
  });
});
