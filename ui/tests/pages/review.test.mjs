// Queue filtering, keyboard review, batch approve and the conflict view, in headless Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { SECRET, calls, choose, launch, openApp, serveDist, total, unlock } from "./harness.mjs";

let browser, http, base;
before(async () => {
  ({ server: http, url: base } = await serveDist());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  http?.close();
});

test("the queue filters by status, flag and search, and virtualizes thousands of rows", async () => {
  const { page, errors } = await openApp(browser, base, 20000);
  // Default: pending unit review (9 in 10 of the generated rows).
  assert.equal(await total(page), 18000);
  // Only a screenful of rows is in the DOM, not 18,000.
  assert.ok((await page.locator('[data-test="queue-row"]').count()) < 60);
  // Scrolling far down fetches that window only.
  await page.locator('[data-test="queue-list"]').evaluate((el) => (el.scrollTop = 56 * 15000));
  await page.waitForSelector('[data-test="queue-row"][data-id="D016666"]');
  const offsets = (await calls(page, "queue")).map((c) => c.args.filter.offset);
  assert.ok(offsets.includes(15000), `pages fetched: ${offsets}`);
  // Pages fetched while scrolling skip the count; only the first page of a filter has it.
  assert.ok((await calls(page, "queue")).filter((c) => c.args.filter.offset > 0).every((c) => c.args.filter.skip_total));
  assert.ok(!offsets.includes(8000), "pages far from the view are not fetched");

  await choose(page, "filter-flagged", "有疑点");
  await page.waitForFunction(() => document.querySelector('[data-test="total"] b').textContent.trim() === "2572");
  const badges = await page.locator('[data-test="queue-row"] [data-test="flag"]').count();
  assert.ok(badges > 5, "flagged rows show their badges");
  const last = (await calls(page, "queue")).at(-1).args.filter;
  assert.equal(last.flagged, true);
  assert.equal(last.status, "pending_unit_review");
  // The other choice, then the first entry, which clears the filter.
  await choose(page, "filter-flagged", "无疑点");
  await page.waitForFunction(() => document.querySelector('[data-test="total"] b').textContent.trim() === "15428");
  assert.equal((await calls(page, "queue")).at(-1).args.filter.flagged, false);
  await choose(page, "filter-flagged", "有无疑点：全部");
  await page.waitForFunction(() => document.querySelector('[data-test="total"] b').textContent.trim() === "18000");
  assert.equal((await calls(page, "queue")).at(-1).args.filter.flagged, null);
  assert.equal(await page.inputValue('[data-test="filter-flagged"]'), "-1");
  await choose(page, "filter-flagged", "有疑点");
  await page.waitForFunction(() => document.querySelector('[data-test="total"] b').textContent.trim() === "2572");

  await page.fill('input[data-test="search"]', "阿依古丽");
  await page.waitForFunction(() => Number(document.querySelector('[data-test="total"] b').textContent) < 2572);
  const names = await page.locator('[data-test="queue-row"] b').allTextContents();
  assert.ok(names.length > 0 && names.every((n) => n.startsWith("阿依古丽")), names.join(","));
  assert.deepEqual(errors, []);
});

test("a jump to rows not fetched yet draws them once, with data; placeholders only when the answer is slow", async () => {
  const { page, errors } = await openApp(browser, base, 20000, { clock: true });
  const rowAt = (n) => `[data-test="queue-row"][data-id][style*="top: ${n * 56}px"]`;
  const placeholder = '[data-test="queue-row"]:not([data-id])';
  const queueCalls = () => page.evaluate(() => window.__calls.filter((c) => c.cmd === "queue").length);
  // Jumps, and waits until the page has asked for the rows (the answer's timer is then set).
  // The queue fetches one thing at a time, so first the clock runs until whatever is in flight
  // (a neighbouring page fetched after a paint) has landed: the jump's own fetch then starts at once.
  const jump = async (n) => {
    await page.clock.runFor(1000);
    const before = await queueCalls();
    await page.locator('[data-test="queue-list"]').evaluate((el, top) => (el.scrollTop = top), n * 56);
    await page.waitForFunction((k) => window.__calls.filter((c) => c.cmd === "queue").length > k, before, { polling: 20 });
  };
  // Counts every moment a "加载中…" row was in the list.
  await page.evaluate(() => {
    window.__placeholders = 0;
    new MutationObserver(() => {
      if (document.querySelector('[data-test="queue-row"]:not([data-id])')) window.__placeholders++;
    }).observe(document.querySelector('[data-test="queue-list"]'), { subtree: true, childList: true });
  });
  // The page's clock stands still from here and moves only by runFor: which of the answer and
  // the placeholder's timer comes first is the app's own schedule, not the machine's speed.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  await page.evaluate(() => (window.__queueDelay = 20));
  await jump(9000);
  await page.clock.runFor(60);
  await page.waitForSelector(rowAt(9000));
  assert.equal(await page.evaluate(() => window.__placeholders), 0, "a quick answer is drawn with no placeholder first");
  await page.evaluate(() => (window.__queueDelay = 600));
  await jump(14000);
  await page.clock.runFor(100);
  await page.waitForSelector(placeholder);
  assert.equal(await page.locator(rowAt(14000)).count(), 0);
  await page.clock.runFor(600);
  await page.waitForSelector(rowAt(14000));
  assert.equal(await page.locator(placeholder).count(), 0, "the rows replace the placeholders");
  assert.deepEqual(errors, []);
});

test("keyboard review: j/k move, a approves with the computed credit, r asks for a reason", async () => {
  const { page, errors } = await openApp(browser, base);
  await page.waitForSelector('[data-test="detail-title"]');
  const first = await page.textContent('[data-test="detail-title"]');
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.waitForFunction((t) => document.querySelector('[data-test="detail-title"]').textContent !== t, first);
  await page.keyboard.press("k");
  await page.waitForFunction(() => document.querySelector(".qrow.sel")?.dataset.id === "D000001");
  await page.waitForFunction(() => document.querySelector('[data-test="detail-title"]').textContent.includes("第1期"));
  await page.waitForSelector('[data-test="evidence-image"]');
  await page.keyboard.press("a");
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "decide"));
  const [approve] = await calls(page, "decide");
  assert.equal(approve.args.input.declaration_id, "D000001");
  assert.equal(approve.args.input.outcome, "approve");
  assert.equal(approve.args.input.credited_hours, 9);
  assert.equal(approve.args.input.reason, null);
  await page.waitForSelector('.qrow.sel.done, .qrow.sel:has-text("已审核")');

  // Return: a dialog with templates; the reason is required.
  await page.keyboard.press("j");
  await page.waitForFunction(() => document.querySelector(".qrow.sel")?.dataset.id === "D000002");
  await page.waitForFunction(() => document.querySelector('[data-test="detail-title"]').textContent.includes("第2期"));
  await page.keyboard.press("r");
  await page.waitForSelector('[data-test="decide-dialog"]:visible');
  // The dialog's overlay covers the whole window, not only the detail pane (a contained box).
  const overlay = await page.locator('[data-test="decide-dialog"]').evaluate((d) => d.closest(".el-overlay").getBoundingClientRect().toJSON());
  assert.deepEqual([overlay.x, overlay.y, overlay.width, overlay.height], [0, 0, 1400, 880]);
  assert.equal(await page.isDisabled('[data-test="decide-confirm"]'), true);
  await page.getByRole("button", { name: "证明材料不清晰，请重新上传" }).click();
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => window.__calls.filter((c) => c.cmd === "decide").length === 2);
  const ret = (await calls(page, "decide"))[1].args.input;
  assert.equal(ret.outcome, "return");
  assert.equal(ret.reason, "证明材料不清晰，请重新上传");
  assert.equal(ret.credited_hours, null);

  // Keys typed into the search box are text, not shortcuts (once the dialog has gone and "/"
  // has put the focus in the box).
  await page.waitForSelector('[data-test="decide-dialog"]', { state: "hidden" });
  await page.keyboard.press("/");
  await page.waitForFunction(() => document.activeElement?.matches('input[data-test="search"]'));
  await page.keyboard.type("ax");
  assert.equal(await page.inputValue('input[data-test="search"]'), "ax");
  assert.equal((await calls(page, "decide")).length, 2);
  // Help.
  await page.keyboard.press("Escape");
  await page.locator("body").click({ position: { x: 700, y: 5 } });
  await page.keyboard.press("?");
  await page.waitForSelector('[data-test="help"]:visible');
  assert.deepEqual(errors, []);
});

test("batch approve shows a summary, leaves flagged items out, and records the rest", async () => {
  const { page, errors } = await openApp(browser, base);
  // D000000..D000004 in view; D000003 is flagged.
  for (const id of ["D000000", "D000001", "D000003", "D000004"]) {
    await page.click(`[data-test="queue-row"][data-id="${id}"] input[type=checkbox]`);
  }
  assert.equal(await page.textContent('[data-test="checked"]'), "已勾选 4");
  await page.click('[data-test="batch-approve"]');
  await page.waitForSelector('[data-test="batch-dialog"]:visible');
  const summary = await page.textContent('[data-test="batch-summary"]');
  assert.match(summary, /将通过 3 条申报/);
  assert.match(summary, /合计认定 (\d+)学时/);
  assert.match(await page.textContent('[data-test="batch-skipped"]'), /D000003.*有疑点标记/s);
  await page.click('[data-test="batch-confirm"]');
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "batch_approve"));
  const [call] = await calls(page, "batch_approve");
  assert.deepEqual(call.args.ids.sort(), ["D000000", "D000001", "D000003", "D000004"]);
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "3");
  assert.deepEqual(errors, []);
});

test("the conflicts inbox shows both versions side by side and leads back to review", async () => {
  const { page, errors } = await openApp(browser, base);
  await page.click('[data-test="tab-conflicts"]');
  await page.waitForSelector('[data-test="conflict"]');
  assert.equal(await page.locator('[data-test="conflict"]').count(), 2);
  const fields = await page.locator('[data-test="conflict"]').first().locator('[data-test="conflict-field"]').allTextContents();
  assert.ok(fields.some((f) => f.includes("申报学时") && f.includes("12学时") && f.includes("18学时")), fields.join(" | "));
  assert.ok(fields.some((f) => f.includes("主办单位") && f.includes("新疆医学会")), fields.join(" | "));
  await page.locator('[data-test="review-again"]').first().click();
  await page.waitForFunction(() => document.querySelector('input[data-test="search"]')?.value === "D000010");
  await page.waitForFunction(() => document.querySelector('[data-test="total"] b').textContent.trim() === "1");
  assert.deepEqual(errors, []);
});

test("sync now shows progress, then the new counts", async () => {
  const { page, errors } = await openApp(browser, base);
  // Nothing is approved before the reviewer can see it.
  await page.waitForSelector('[data-test="approve"]');
  await page.keyboard.press("a");
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "1");
  await page.click('[data-test="sync-now"]');
  await page.waitForFunction(() => document.querySelector('[data-test="online"]').textContent === "在线" && window.__calls.filter((c) => c.cmd === "dashboard").length > 2);
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "0");
  assert.deepEqual(errors, []);
});

test("a failed sync that got nowhere reloads nothing; one that had pulled pages does", async () => {
  const { page, errors } = await openApp(browser, base);
  await page.waitForSelector('[data-test="approve"]');
  const queueCalls = () => page.evaluate(() => window.__calls.filter((c) => c.cmd === "queue").length);
  const status = await page.evaluate(() => window.__syncStatus(false));
  const state = (running, error) => ({ kind: "state", running, status, error, report: null, next_in_secs: running ? null : 10 });
  const refused = { code: "offline", message: "无法连接平台" };
  const before = await queueCalls();
  // The link is down: the attempt fails at once, as an office without a link sees every few seconds.
  await page.evaluate(([a, b]) => { window.__emitSync(a); window.__emitSync(b); }, [state(true, null), state(false, refused)]);
  await page.waitForSelector('[data-test="sync-error"]');
  await page.waitForTimeout(300);
  assert.equal(await queueCalls(), before, "nothing changed, nothing reloaded");
  // An attempt that pulled some pages before the link dropped has changed the data.
  await page.evaluate(([a, p, b]) => { window.__emitSync(a); window.__emitSync(p); window.__emitSync(b); }, [
    state(true, null),
    { kind: "progress", phase: "pull_declarations", items_done: 200, items_total: 900, bytes_down: 4096, bytes_up: 0 },
    state(false, refused),
  ]);
  await page.waitForFunction((n) => window.__calls.filter((c) => c.cmd === "queue").length > n, before);
  assert.deepEqual(errors, []);
});

test("a second window on the same data folder opens no profile and says where to go", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 880 }, locale: "zh-CN" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript({ path: new URL("./mock-backend.js", import.meta.url).pathname });
  await page.goto(`${base}?n=50&second=1`);
  await page.waitForSelector('[data-test="already-running"]');
  assert.match(await page.textContent('[data-test="already-running"]'), /已经打开/);
  assert.equal((await calls(page, "profile_open")).length, 0);
  assert.equal(await page.locator('[data-test="queue-row"], [data-test="tab-review"]').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("one person's declarations: from the staff view or the detail, in any state, until the chip is closed", async () => {
  const { page, errors } = await openApp(browser, base, 2000);
  await page.click('[data-test="tab-staff"]');
  await page.click('[data-test="review-staff"] >> nth=0');
  await page.waitForSelector('[data-test="filter-staff"]');
  assert.match(await page.textContent('[data-test="filter-staff"]'), /王建国0（S0000）/);
  await page.waitForFunction(() => document.querySelector('[data-test="total"] b')?.textContent.trim() === "4");
  const asked = (await calls(page, "queue")).at(-1).args.filter;
  assert.equal(asked.staff_id, "S0000");
  assert.equal(asked.status, null, "every state of the person's declarations");
  const ids = await page.$$eval('[data-test="queue-row"][data-id]', (rows) => rows.map((r) => r.dataset.id).sort());
  assert.deepEqual(ids, ["D000000", "D000600", "D001200", "D001800"]);

  await page.click('[data-test="filter-staff"] .el-tag__close');
  await page.waitForFunction(() => document.querySelector('[data-test="total"] b')?.textContent.trim() === "2000");
  assert.equal(await page.locator('[data-test="filter-staff"]').count(), 0);

  // From the detail pane: the selected declaration's person.
  await page.waitForSelector('[data-test="show-staff"]');
  const who = (await page.textContent(".who b")).trim();
  await page.click('[data-test="show-staff"]');
  await page.waitForSelector('[data-test="filter-staff"]');
  assert.ok((await page.textContent('[data-test="filter-staff"]')).includes(who));
  const staff = (await calls(page, "queue")).at(-1).args.filter.staff_id;
  assert.ok(staff, "the queue asked for one person");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the ledger and the staff view measure against the rule set in force (24/48), not 30/60", async () => {
  const { page, errors } = await openApp(browser, base, 200, { query: "rules=24/48" });
  await page.waitForSelector('[data-test="ledger"] .el-progress');
  const ledger = await page.textContent('[data-test="ledger"]');
  assert.match(ledger, /公需科目 12学时 \/ 24学时/);
  assert.match(ledger, /专业科目 42学时 \/ 48学时/);
  assert.doesNotMatch(ledger, /(?<!\d)(30|60)(?!\d)/);
  await page.click('[data-test="tab-staff"]');
  await page.waitForSelector('[data-test="staff-view"] .el-table__body .el-progress');
  const heading = await page.textContent('[data-test="staff-view"] .el-table__header');
  assert.match(heading, /公需科目（24学时）/);
  assert.match(heading, /专业科目（48学时）/);
  assert.doesNotMatch(heading, /(?<!\d)(30|60)(?!\d)/);
  // 12 of 24 is half the bar.
  const bar = await page.getAttribute('[data-test="staff-view"] .el-table__body .el-progress', "aria-valuenow");
  assert.equal(bar, "50");
  assert.deepEqual(errors, []);
});

test("z and the notice's 撤销 take a decision back; a batch is undone as one; a sent one says why", async () => {
  const { page, errors } = await openApp(browser, base, 300);
  await page.waitForSelector('[data-test="approve"]');
  const first = await page.getAttribute(".qrow.sel", "data-id");
  await page.keyboard.press("a");
  await page.waitForSelector('[data-test="undo"]');
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "1");
  await page.keyboard.press("z");
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "undo"));
  assert.equal((await calls(page, "undo"))[0].args.id, first);
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "0");
  await page.waitForSelector(`.qrow[data-id="${first}"]:not(.done)`);

  // The notice's button does the same.
  await page.waitForSelector('[data-test="approve"]');
  await page.keyboard.press("a");
  await page.click('[data-test="undo"]');
  await page.waitForFunction(() => window.__calls.filter((c) => c.cmd === "undo").length === 2);
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "0");

  // A batch approval comes back as one.
  for (const id of ["D000001", "D000002"]) {
    await page.click(`[data-test="queue-row"][data-id="${id}"] input[type=checkbox]`);
  }
  await page.click('[data-test="batch-approve"]');
  await page.click('[data-test="batch-confirm"]');
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "2");
  await page.locator("body").click({ position: { x: 700, y: 5 } });
  await page.keyboard.press("z");
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "undo_batch"));
  assert.equal((await calls(page, "undo_batch"))[0].args.batch, "batch-1");
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "0");

  // Sent decisions stay; the reviewer is told why.
  await page.click(`[data-test="queue-row"][data-id="${first}"]`);
  await page.waitForSelector('[data-test="approve"]');
  await page.keyboard.press("a");
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "1");
  await page.click('[data-test="sync-now"]');
  await page.waitForFunction(() => document.querySelector('[data-test="pending"]').textContent.trim() === "0");
  await page.keyboard.press("z");
  await page.waitForSelector('.el-message--error:has-text("已上传到平台，不能在本机撤销")');
  assert.deepEqual(errors, []);
});

test("the evidence viewer's keys zoom, rotate, go full size and are listed by ?", async () => {
  const { page, errors } = await openApp(browser, base, 100);
  await page.waitForSelector('[data-test="evidence-image"]');
  const viewer = '[data-test="evidence"]';
  await page.keyboard.press("+");
  await page.waitForSelector(`${viewer}[data-zoom="1.25"]`);
  await page.keyboard.press("-");
  await page.keyboard.press("-");
  await page.waitForSelector(`${viewer}[data-zoom="0.75"]`);
  await page.keyboard.press("t");
  await page.waitForSelector(`${viewer}[data-rotation="90"]`);
  await page.keyboard.press("0");
  await page.waitForSelector(`${viewer}[data-zoom="1"][data-rotation="0"]`);
  await page.keyboard.press("f");
  await page.waitForSelector(`${viewer}[data-full="true"]`);
  const box = await page.locator(viewer).boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 1400, 880]);
  await page.keyboard.press("Escape");
  await page.waitForSelector(`${viewer}[data-full="false"]`);
  // Viewer keys do not decide anything.
  assert.equal((await calls(page, "decide")).length, 0);
  await page.keyboard.press("?");
  const help = await page.textContent('[data-test="help"]');
  for (const words of ["放大 / 缩小", "旋转90°", "PDF下一页", "下一个 / 上一个证明材料文件", "全屏查看证明材料", "撤销刚才的审核意见"]) {
    assert.ok(help.includes(words), words);
  }
  assert.deepEqual(errors, []);
});

test("a broken audit chain is an alarm on every screen; a clean one shows nothing", async () => {
  const clean = await openApp(browser, base, 50);
  assert.equal(await clean.page.locator('[data-test="audit-alarm"]').count(), 0);
  const { page, errors } = await openApp(browser, base, 50, { query: "tampered" });
  const alarm = await page.textContent('[data-test="audit-alarm"]');
  assert.match(alarm, /本地审计记录校验未通过/);
  assert.match(alarm, /entry 3 was changed/);
  await page.click('[data-test="tab-staff"]');
  assert.equal(await page.locator('[data-test="audit-alarm"]').count(), 1);
  assert.deepEqual(errors, [...clean.errors]);
});

test("a lock (button, Ctrl+L, idle) leaves only the unlock screen; a wrong secret is refused; the right one reopens", async () => {
  const { page, errors } = await openApp(browser, base, 50);
  const onlyUnlock = async () => {
    await page.waitForSelector('[data-test="unlock-screen"]');
    // Nothing of the profile stays on the page: no rows, no names, no tabs, no sync bar.
    assert.equal(await page.locator('[data-test="queue-row"], [data-test="tab-review"], [data-test="detail-title"]').count(), 0);
    const text = await page.textContent("body");
    assert.doesNotMatch(text, /\*{4,}|第一师阿拉尔市人民医院/, "no masked ID number or unit on the unlock screen");
  };
  await page.click('[data-test="lock"]');
  await onlyUnlock();
  // A wrong secret: refused with the backend's message, still locked.
  await unlock(page, "00000000");
  await page.waitForSelector('[data-test="unlock-error"]');
  assert.match(await page.textContent('[data-test="unlock-error"]'), /解锁密码不正确/);
  assert.equal(await page.locator('[data-test="queue-row"]').count(), 0);
  await unlock(page, SECRET);
  await page.waitForSelector('[data-test="queue-row"][data-id]');
  // Ctrl+L locks from the queue.
  await page.keyboard.press("Control+l");
  await onlyUnlock();
  await unlock(page);
  await page.waitForSelector('[data-test="queue-row"][data-id]');
  // The idle lock, which the app's watcher raises.
  await page.evaluate(() => window.__emitLocked());
  await onlyUnlock();
  assert.ok((await calls(page, "lock")).length >= 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the idle lock's minutes are chosen in the app, and input is reported at most every 20 s", async () => {
  const { page, errors } = await openApp(browser, base, 50);
  await page.click('[data-test="idle-settings"]');
  const input = page.locator('[data-test="idle-minutes"] input');
  await input.fill("30");
  await input.press("Enter");
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "idle_lock_set" && c.args.minutes === 30));
  // The label follows once the command has answered, which is after the call is recorded.
  await page.waitForFunction(() => /30 分钟/.test(document.querySelector('[data-test="idle-settings"]')?.textContent ?? ""));
  for (let i = 0; i < 5; i++) await page.mouse.move(100 + i * 10, 200);
  const reports = (await calls(page, "activity")).length;
  assert.ok(reports <= 1, `${reports} activity reports for a burst of moves`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a first login shows the recovery code once, then the first sync's panel with its start button", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 880 }, locale: "zh-CN" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript({ path: new URL("./mock-backend.js", import.meta.url).pathname });
  await page.goto(`${base}?n=50&fresh`);
  await page.fill('input[data-test="server"]', "http://127.0.0.1:8787");
  await page.fill('input[data-test="username"]', "reviewer-u01");
  await page.fill('input[data-test="password"]', "platform-password");
  await page.fill('input[data-test="new-secret"]', SECRET);
  await page.fill('input[data-test="new-secret-again"]', SECRET);
  await page.click('[data-test="login"]');
  // The code shows over the first sync; the start button waits until it is noted.
  await page.waitForSelector('[data-test="recovery-noted"]');
  assert.match(await page.textContent("body"), /7K2QD-M4XPA-9RT3B-CW5NE-HJ8VF/);
  assert.equal(await page.locator('[data-test="start-review"]').count(), 0);
  // Logged in (the first sync's panel is there), the sync runs, then ends.
  await page.waitForSelector('[data-test="first-sync"]');
  await page.evaluate(() => window.__emitSync({ kind: "state", running: true, status: window.__syncStatus(true), error: null, report: null, next_in_secs: null }));
  await page.evaluate(() => window.__emitSync({ kind: "state", running: false, status: window.__syncStatus(true), error: null, report: { pulled: 0 }, next_in_secs: null }));
  await page.click('[data-test="recovery-noted"]');
  await page.click('[data-test="recovery-done"]');
  // Back on the first sync's panel, not dropped into the queue: the reviewer starts the review.
  await page.waitForSelector('[data-test="first-sync"]');
  assert.equal((await page.textContent('[data-test="start-review"]')).trim(), "开始审核");
  assert.equal(await page.locator('[data-test="queue-row"]').count(), 0);
  assert.doesNotMatch(await page.textContent("body"), /7K2QD/, "the code is shown once");
  await page.click('[data-test="start-review"]');
  await page.waitForSelector('[data-test="queue-row"][data-id]');
  assert.deepEqual((await calls(page, "profile_set_up")).map((c) => c.args.secret), [SECRET]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("证书内容 beside 申报内容: verdicts from Rust, a click marks the place on the page, a pending reading fills in when the reader gets there", async () => {
  const { page, errors } = await openApp(browser, base, 100, { query: "unread=D000001" });
  await page.waitForFunction(() => document.querySelector('[data-test="detail-title"]')?.textContent.includes("第0期"));
  await page.waitForSelector('[data-test="reading-table"]');
  const verdict = (f) => page.getAttribute(`[data-test="reading-${f}"]`, "data-verdict");
  assert.equal(await verdict("holder_name"), "agrees");
  assert.equal(await verdict("organizer"), "not_found");
  assert.match(await page.textContent('[data-test="reading-organizer"]'), /未识别出/);
  assert.match(await page.textContent('[data-test="reading-certificate_no"]'), /BT2019-D000000/);
  // A row with a place marks it on the certificate (in percent of the page); a second click
  // takes the mark away.
  await page.click('[data-test="reading-holder_name"]');
  const mark = page.locator('[data-test="evidence-mark"]');
  await mark.waitFor();
  assert.deepEqual(await mark.evaluate((m) => [m.style.left, m.style.top, m.style.width]), ["20%", "20%", "60%"]);
  await page.click('[data-test="reading-holder_name"]');
  await mark.waitFor({ state: "detached" });
  // The reader is still busy: the bar says how far.
  await page.waitForFunction(() => /识别证书 3\/5/.test(document.querySelector('[data-test="reading-progress"]')?.textContent ?? ""));

  // Not read yet: the pane says so, and asking sent the reader to this declaration.
  await page.keyboard.press("j");
  await page.waitForFunction(() => document.querySelector('[data-test="detail-title"]').textContent.includes("第1期"));
  await page.waitForSelector('[data-test="reading-pending"]');
  assert.ok((await calls(page, "evidence_reading")).some((c) => c.args.declaration_id === "D000001"));
  await page.evaluate(() => {
    window.__readingPending.delete("D000001");
    window.__emitSync({ kind: "reading", read: 5, total: 5, models_missing: false });
  });
  await page.waitForSelector('[data-test="reading-table"]');
  await page.waitForSelector('[data-test="reading-progress"]', { state: "detached" });

  // A certificate that says other hours: the row differs, the finding quotes what was read.
  await page.keyboard.press("j");
  await page.waitForFunction(() => document.querySelector('[data-test="detail-title"]').textContent.includes("第2期"));
  await page.waitForSelector('[data-test="reading-hours"][data-verdict="differs"]');
  assert.match(await page.textContent('[data-test="reading-findings"]'), /共计20学时/);
  assert.deepEqual(errors, []);
});
