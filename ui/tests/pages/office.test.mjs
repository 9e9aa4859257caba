// The 抽审与导出 screens in headless Chromium with the IPC mocked: a spot-check pack and its
// findings, exchange-file import (a refused file, then a good one), roster corrections.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { calls, launch, openApp, serveDist } from "./harness.mjs";

let browser, http, base;
before(async () => {
  ({ server: http, url: base } = await serveDist());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  http?.close();
});

async function office(page, part) {
  await page.click('[data-test="tab-office"]');
  await page.waitForSelector('[data-test="office-view"]');
  await page.click(`[data-test="part-${part}"]`);
}

test("a spot-check pack is drawn with its seed and findings need a note for a problem", async () => {
  const { page, errors } = await openApp(browser, base, 2000);
  await office(page, "spot");
  await page.fill('input[data-test="spot-seed"]', "20191231");
  await page.click('[data-test="spot-create"]');
  await page.waitForSelector('[data-test="spot-items"] .el-table__row');
  const create = (await calls(page, "spotcheck_create")).at(-1).args.input;
  assert.equal(create.seed, "20191231");
  assert.deepEqual(create.size, { by: "count", value: 20 });
  assert.equal(await page.locator('[data-test="spot-items"] .el-table__row').count(), 20);

  // A problem without a note is refused, in Chinese; with a note it is recorded.
  await page.locator('[data-test="spot-problem"]').first().click();
  await page.waitForSelector("text=存在问题时须填写问题说明");
  await page.locator('input[data-test="spot-note"]').first().fill("证书无主办单位盖章");
  await page.locator('[data-test="spot-problem"]').first().click();
  await page.waitForFunction(() => document.querySelector('[data-test="spot-items"] .el-table__row')?.textContent.includes("待上传"));
  const rec = (await calls(page, "spotcheck_record")).at(-1).args.input;
  assert.equal(rec.finding, "problem");
  assert.equal(rec.note, "证书无主办单位盖章");

  await page.click('[data-test="spot-export"]');
  await page.waitForSelector('[data-test="spot-written"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test("an exchange file: a changed one is refused with nothing imported, a good one reports what came", async () => {
  const { page, errors } = await openApp(browser, base, 500);
  await office(page, "exchange");
  await page.setInputFiles('[data-test="exchange-panel"] input[type=file]', { name: "审核意见.jxjy", mimeType: "application/octet-stream", buffer: Buffer.from("XJYEXC1 changed") });
  await page.fill('input[data-test="ex-in-pass"]', "团场口令-2026");
  await page.click('[data-test="ex-import"]');
  await page.waitForSelector('[data-test="ex-error"]');
  assert.match(await page.textContent('[data-test="ex-error"]'), /未导入任何内容/);
  assert.equal(await page.locator('[data-test="ex-report"]').count(), 0);
  const sent = (await calls(page, "exchange_import")).at(-1);
  assert.equal(sent.args.input.passphrase, "团场口令-2026");

  // A file larger than a piece goes over in pieces, in order; the import sees all of it.
  const big = Buffer.alloc(8 * 1024 * 1024 + 100, 7);
  big.write("JXJYEXC1 good");
  await page.setInputFiles('[data-test="exchange-panel"] input[type=file]', { name: "数据快照.jxjy", mimeType: "application/octet-stream", buffer: big });
  await page.fill('input[data-test="ex-in-pass"]', "团场口令-2026");
  const begun = (await calls(page, "upload_begin")).length;
  // Pieces that take a while, as from a slow USB stick.
  await page.evaluate(() => {
    const inner = window.__TAURI_INTERNALS__.invoke;
    window.__TAURI_INTERNALS__.invoke = async (cmd, args, options) => {
      if (cmd === "upload_piece") await new Promise((r) => setTimeout(r, 150));
      return inner(cmd, args, options);
    };
  });
  await page.click('[data-test="ex-import"]');
  await page.waitForSelector('[data-test="ex-progress"]');
  // Then the import's own progress, read from the app while it runs.
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-test="ex-progress"]');
    const pct = Number(p?.querySelector(".el-progress__text")?.textContent.replace("%", ""));
    return p?.textContent.includes("正在校验并导入") && pct > 0 && pct < 100;
  });
  // Enter in the passphrase field while the import runs does not start a second one.
  await page.press('input[data-test="ex-in-pass"]', "Enter");
  await page.waitForSelector('[data-test="ex-report"]');
  assert.equal((await calls(page, "upload_begin")).length, begun + 1);
  assert.match(await page.textContent('[data-test="ex-report"]'), /已导入审核意见 3 条/);
  const pieces = (await calls(page, "upload_piece")).slice(-2);
  assert.deepEqual(pieces.map((p) => p.headers["x-offset"]), ["0", String(8 * 1024 * 1024)]);
  assert.deepEqual(pieces.map((p) => p.args.bytes), [8 * 1024 * 1024, 100]);
  assert.equal(pieces[0].headers["x-upload"], (await calls(page, "exchange_import")).at(-1).args.input.upload);
  assert.equal(await page.locator('[data-test="ex-progress"]').count(), 0, "the progress goes once the import is done");

  // Export: the two passphrases must match.
  await page.fill('input[data-test="ex-pass"]', "abcdefgh1");
  await page.fill('input[data-test="ex-pass2"]', "abcdefgh2");
  await page.click('[data-test="ex-export"]');
  await page.waitForSelector("text=两次输入的口令不一致");
  assert.equal((await calls(page, "exchange_export")).length, 0);

  // No form ever submits natively (that would reload the app), even one without a handler.
  await page.evaluate(() => {
    window.__stillHere = true;
    const form = document.createElement("form");
    form.innerHTML = '<input name="q" value="x">';
    document.body.append(form);
    form.requestSubmit();
  });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__stillHere), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test("roster corrections show each row's errors and apply only on confirmation", async () => {
  const { page, errors } = await openApp(browser, base, 500);
  await office(page, "roster");
  await page.setInputFiles('[data-test="roster-import-panel"] input[type=file]', { name: "更正.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from("PK fake") });
  await page.waitForSelector('[data-test="roster-error"]');
  assert.match(await page.textContent('[data-test="roster-error"]'), /第3行：人员编号“NOBODY”不在本单位人员名单中/);
  assert.equal((await calls(page, "roster_import_apply")).length, 0, "nothing applied before confirming");
  await page.click('[data-test="roster-apply"]');
  await page.waitForSelector('[data-test="roster-applied"]');
  assert.equal((await calls(page, "roster_import_apply")).at(-1).args.token, 42);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an export with full ID numbers is confirmed first and then says the file holds them", async () => {
  const { page, errors } = await openApp(browser, base, 100);
  await office(page, "export");
  await page.click('[data-test="export-ledger"]');
  await page.waitForSelector('[data-test="export-written"]');
  assert.doesNotMatch(await page.textContent('[data-test="export-written"]'), /完整身份证号/);
  await page.click('[data-test="full-ids"]');
  await page.click('[data-test="export-ledger"]');
  await page.getByRole("dialog", { name: "完整身份证号" }).getByRole("button", { name: "导出" }).click();
  await page.waitForSelector('[data-test="export-written"].el-alert--warning');
  const told = await page.textContent('[data-test="export-written"]');
  assert.match(told, /文件含完整身份证号，仅本人可读/);
  assert.match(told, /ledger-含完整身份证号\.xlsx/);
  const [, full] = await calls(page, "export_xlsx");
  assert.equal(full.args.input.full_ids, true);
  assert.deepEqual(errors, []);
});
