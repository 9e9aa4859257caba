// A stand-in for the Rust shell, injected before the page loads: it answers the app's
// commands from a generated unit and records every call in window.__calls, so page tests can
// check what the UI asked for. It mirrors the command contract in ui/src/bindings.ts.
(() => {
  const N = Number(new URLSearchParams(location.search).get("n") || 5000);
  // `?rules=24/48`: the rule set in force asks for other annual minimums.
  const [NEED_PUBLIC, NEED_PROFESSIONAL] = (new URLSearchParams(location.search).get("rules") || "30/60").split("/").map(Number);
  const FORMS = ["online_course", "base_training", "academic_conference", "organized_training", "qualification_exam"];
  const FLAGS = ["hours_mismatch", "overlapping_dates", "missing_evidence", "duplicate_evidence"];
  const NAMES = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨洋", "赵磊", "黄敏", "周杰", "吴霞", "阿依古丽", "买买提"];
  const pad = (n, w) => String(n).padStart(w, "0");
  const rows = [];
  for (let i = 0; i < N; i++) {
    const form = FORMS[i % FORMS.length];
    const flags = i % 7 === 3 ? [FLAGS[i % FLAGS.length]] : [];
    const day = pad((i % 28) + 1, 2);
    const month = pad((i % 12) + 1, 2);
    rows.push({
      id: `D${pad(i, 6)}`,
      version: 1,
      staff_id: `S${pad(i % 600, 4)}`,
      staff_name: `${NAMES[i % NAMES.length]}${i % 600}`,
      id_number_masked: "6590**********1234",
      form,
      category: form === "online_course" && i % 2 === 0 ? "public" : "professional",
      status: i % 10 === 9 ? "unit_approved" : "pending_unit_review",
      review_state: "open",
      title: `${["护理新进展", "统计实务", "学术年会", "专项研修", "资格考试"][i % 5]}（第${i}期）`,
      organizer: "兵团继续教育基地",
      start_date: `2019-${month}-${day}`,
      end_date: `2019-${month}-${day}`,
      claimed_hours: 6 + (i % 4) * 3,
      credited_hours: flags.length ? 0 : 6 + (i % 4) * 3,
      flags,
    });
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const decisions = [];
  const calls = [];
  /** Files the page handed over in pieces, by upload id. */
  const uploads = new Map();
  window.__calls = calls;
  /** Declarations whose certificates the reader has not reached yet. */
  window.__readingPending = new Set((new URLSearchParams(location.search).get("unread") || "").split(",").filter(Boolean));
  const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

  const declaration = (r) => ({
    id: r.id, staff_id: r.staff_id, category: r.category, form: r.form, level: null, exam_level: null,
    title: r.title, organizer: r.organizer, start_date: r.start_date, end_date: r.end_date, days: 1,
    presented_paper: false, claimed_hours: r.claimed_hours, certified_hours: null, confirmation_ref: null,
    evidence: [{ id: `E${r.id}`, file_name: "证书.png", media_type: "image/png", size: PNG.length, sha256: "ab".repeat(32) }],
    status: r.status, version: r.version,
  });
  const view = (r) => ({
    declaration: declaration(r),
    review_state: r.review_state,
    withdrawn: false,
    cannot_decide: r.status === "pending_unit_review" ? null : "当前状态“初审通过”，无需单位初审",
    evaluation: {
      id: r.id, staff_id: r.staff_id, category: r.category, year: 2019, computed_hours: r.claimed_hours,
      credited_hours: r.credited_hours, deemed: null, clause: "A2",
      explanation: `${r.title} 1天 × ${r.claimed_hours}学时 = ${r.claimed_hours}学时`, flags: r.flags,
    },
    staff: { id: r.staff_id, name: r.staff_name, id_number_masked: r.id_number_masked, unit_id: "U01", title_series: "卫生", title_level: "intermediate", applying_promotion: false, active: true },
    evidence: [{ id: `E${r.id}`, file_name: "证书.png", media_type: "image/png", size: PNG.length, sha256: "ab".repeat(32), state: "present", bytes_stored: PNG.length, kind: "png" }],
    decisions: decisions.filter((d) => d.declaration_id === r.id),
    ledger: { staff_id: r.staff_id, year: 2019, public_hours: 12, professional_hours: 42, public_satisfied: false, professional_satisfied: false, complete: false, deemed_by: [], shortfall: { public: NEED_PUBLIC - 12, professional: NEED_PROFESSIONAL - 42 }, flags: [] },
  });
  const matches = (f, r) =>
    (!f.status || r.status === f.status) &&
    (!f.review_state || r.review_state === f.review_state) &&
    (!f.form || r.form === f.form) &&
    (!f.category || r.category === f.category) &&
    (!f.flag || r.flags.includes(f.flag)) &&
    (f.flagged === null || f.flagged === undefined || (r.flags.length > 0) === f.flagged) &&
    (!f.staff_id || r.staff_id === f.staff_id) &&
    (!f.search || r.staff_name.includes(f.search) || r.id.startsWith(f.search));
  const status = () => ({
    pending: decisions.filter((d) => d.state === "pending").length, in_flight: 0, conflicts: conflicts.length, rejected: 0,
    last_sync: new Date(Date.now() - 5 * 60000).toISOString(), last_attempt: null, last_error: null, online: true,
    clock_offset_secs: 0, server: "http://127.0.0.1:8787", username: "reviewer-u01", unit_id: "U01",
  });
  const conflicts = [1, 2].map((k) => {
    const r = rows[k * 10];
    r.review_state = "conflict";
    return {
      id: k, declaration_id: r.id, detected_at: "2019-12-20T08:00:00Z",
      decision: { key: `k${k}`, declaration_id: r.id, declaration_version: 1, outcome: "approve", credited_hours: r.credited_hours, category: r.category, reason: null, reviewer: "reviewer-u01", decided_at: "2019-12-19T08:00:00Z", state: "conflict", server_note: "申报已在平台上修改" },
      seen: declaration(r),
      server: { ...declaration(r), version: 2, claimed_hours: r.claimed_hours + 6, organizer: "新疆医学会" },
    };
  });
  let batches = 0;
  const undo = (id) => {
    const d = [...decisions].reverse().find((x) => x.declaration_id === id && x.state !== "withdrawn" && x.state !== "superseded");
    if (!d) throw { code: "not_allowed", message: `申报${id}：没有可撤销的审核意见` };
    if (d.state !== "pending") throw { code: "not_allowed", message: `申报${id}：审核意见已上传到平台，不能在本机撤销；如需更改请联系平台` };
    d.state = "withdrawn";
    byId.get(id).review_state = "open";
    return d;
  };
  const decide = (input, batch = null) => {
    const r = byId.get(input.declaration_id);
    if (!r) throw { code: "not_found", message: `找不到申报：${input.declaration_id}` };
    if (input.outcome !== "approve" && !input.reason) throw { code: "invalid_input", message: "须填写原因" };
    r.review_state = "decided";
    const rec = { key: `key-${decisions.length}`, ...input, credited_hours: input.outcome === "approve" ? input.credited_hours ?? r.credited_hours : null, category: r.category, reviewer: "reviewer-u01", decided_at: new Date().toISOString(), state: "pending", server_note: null, batch };
    for (const d of decisions) if (d.declaration_id === rec.declaration_id && d.state === "pending") d.state = "superseded";
    decisions.push(rec);
    return rec;
  };
  const plan = (ids) => {
    const eligible = [], skipped = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (r.flags.length) skipped.push({ id, reason: "有疑点标记，须逐条审核" });
      else if (r.review_state !== "open") skipped.push({ id, reason: "已审核或有冲突，须逐条处理" });
      else eligible.push({ id, version: 1, staff_name: r.staff_name, credited_hours: r.credited_hours, category: r.category });
    }
    return { eligible, skipped, total_hours: eligible.reduce((s, i) => s + i.credited_hours, 0) };
  };
  const packs = [];
  const callbacks = new Map();
  let nextCb = 1;
  const listeners = [];
  window.__syncStatus = (online) => ({ ...status(), online });
  const emit = (event, payload) => listeners.filter((l) => l.event === event).forEach(({ handler: h }) => callbacks.get(h)?.({ event, id: h, payload }));
  window.__emitSync = (payload) => emit("sync", payload);
  // The app locked the profile by itself (idle): what the Rust side's watcher sends.
  window.__emitLocked = () => {
    locked = true;
    emit("locked", "demo");
  };
  /** The demo profile's unlock secret; until it is given, only these commands answer. */
  const SECRET = "24681357";
  let locked = true;
  const FRESH = new URLSearchParams(location.search).has("fresh");
  let freshSetUp = false;
  const OPEN_WHILE_LOCKED = ["app_start", "profile_lock_state", "profile_open", "profile_set_up", "profile_recover", "lock", "plugin:event|listen", "plugin:event|unlisten"];
  window.__isLocked = () => locked;

  const handlers = {
    // `?second` in the page address: another window already has the data folder open.
    app_start: () => ({ version: "0.1.0", profiles: FRESH ? [] : ["demo"], last_profile: FRESH ? null : "demo", default_server: null, started_at_ms: 0, rule_sets: [{ id: "bingtuan-2019", name: "兵团2019", first_year: 2019 }], already_running: new URLSearchParams(location.search).has("second"), idle_lock_minutes: 15, idle_lock_range: [1, 120], secret_rule: "解锁密码至少6位数字，或至少8个字符（可含字母、数字、符号）；请不要使用平台密码" }),
    // `?fresh` in the page address: a first run — no profile yet, a login, the first sync.
    profile_lock_state: () => (FRESH && !freshSetUp ? "new" : "protected"),
    profile_set_up: ({ name, secret }) => {
      if (!FRESH || freshSetUp) throw { code: "not_allowed", message: `档案“${name}”已设置解锁密码` };
      if (secret.length < 8) throw { code: "invalid_input", message: "解锁密码太短" };
      freshSetUp = true;
      locked = false;
      return { session: { ...handlers.session(), profile: name, logged_in: false, offline_ready: false }, recovery_code: "7K2QD-M4XPA-9RT3B-CW5NE-HJ8VF" };
    },
    login: ({ input }) => {
      if (!freshSetUp) throw { code: "locked", message: "档案已锁定" };
      // The first sync's state comes from the test (window.__emitSync), not from a timer.
      return { ...handlers.session(), username: input.username };
    },
    profile_open: ({ secret }) => {
      if (secret !== SECRET) throw { code: "wrong_secret", message: "解锁密码不正确。" };
      locked = false;
      return handlers.session();
    },
    lock: () => {
      locked = true;
      return "demo";
    },
    activity: () => null,
    idle_lock_set: ({ minutes }) => {
      if (minutes < 1 || minutes > 120) throw { code: "invalid_input", message: "自动锁定时间应为 1–120 分钟" };
      return minutes;
    },
    session: () => ({ profile: "demo", logged_in: true, offline_ready: true, server: "http://127.0.0.1:8787", username: "reviewer-u01", unit_id: "U01", unit_name: "第一师阿拉尔市人民医院", review_year: 2019, requirement: { public_hours: NEED_PUBLIC, professional_hours: NEED_PROFESSIONAL }, audit_problem: new URLSearchParams(location.search).has("tampered") ? "entry 3 was changed" : null }),
    sync_state: () => ({ running: false, status: status(), error: null, report: null, next_in_secs: null }),
    dashboard: () => ({ total: N, by_status: [], to_review: rows.filter((r) => r.status === "pending_unit_review" && r.review_state === "open").length, to_review_flagged: rows.filter((r) => r.status === "pending_unit_review" && r.review_state === "open" && r.flags.length).length, pending_upload: decisions.filter((d) => d.state === "pending").length, conflicts: conflicts.length }),
    queue: ({ filter }) => {
      const all = rows.filter((r) => matches(filter, r));
      return { rows: all.slice(filter.offset, filter.offset + filter.limit), total: filter.skip_total ? -1 : all.length };
    },
    declaration: ({ id }) => {
      const r = byId.get(id);
      if (!r) throw { code: "not_found", message: `找不到申报：${id}` };
      return view(r);
    },
    history: () => [],
    decide: ({ input }) => decide(input),
    batch_preview: ({ ids }) => plan(ids),
    batch_approve: ({ ids }) => {
      const p = plan(ids);
      const batch = `batch-${++batches}`;
      for (const i of p.eligible) decide({ declaration_id: i.id, declaration_version: 1, outcome: "approve", credited_hours: null, reason: null }, batch);
      return { batch, approved: p.eligible.map((i) => i.id), plan: p };
    },
    undo: ({ id }) => undo(id),
    undo_batch: ({ batch }) => {
      const undone = [], kept = [];
      for (const d of decisions.filter((x) => x.batch === batch)) {
        if (d.state === "pending") { undo(d.declaration_id); undone.push(d.declaration_id); }
        else if (d.state !== "withdrawn" && d.state !== "superseded") kept.push(d.declaration_id);
      }
      return { undone, kept };
    },
    conflicts: () => conflicts,
    roster: ({ filter }) => {
      const people = [...new Map(rows.map((r) => [r.staff_id, r])).values()].slice(0, 600);
      const page = people.slice(filter.offset, filter.offset + filter.limit).map((r) => ({
        staff: { id: r.staff_id, name: r.staff_name, id_number_masked: r.id_number_masked, unit_id: "U01", title_series: "卫生", title_level: "intermediate", applying_promotion: false, active: true },
        ledger: { staff_id: r.staff_id, year: 2019, public_hours: 12, professional_hours: 42, public_satisfied: false, professional_satisfied: false, complete: false, deemed_by: [], shortfall: { public: NEED_PUBLIC - 12, professional: NEED_PROFESSIONAL - 42 }, flags: [] },
      }));
      return { rows: page, total: people.length };
    },
    evidence_content: () => PNG.buffer.slice(0),
    // Every declaration but those in __readingPending has its certificate read; one in three
    // says other hours than declared.
    evidence_reading: ({ declaration_id }) => {
      const r = byId.get(declaration_id);
      if (!r) throw { code: "not_found", message: `找不到申报：${declaration_id}` };
      if (window.__readingPending.has(declaration_id)) return { state: "pending" };
      const i = Number(declaration_id.slice(1));
      const at = (y) => ({ sha256: "ab".repeat(32), page: 0, x: 20, y, w: 60, h: 8, page_width: 100, page_height: 100 });
      const wrongHours = i % 3 === 2;
      const rows = [
        { field: "holder_name", declared: r.staff_name, read: r.staff_name, verdict: "agrees", place: at(20) },
        { field: "dates", declared: `${r.start_date}至${r.end_date}`, read: r.start_date, verdict: "agrees", place: at(35) },
        { field: "hours", declared: `${r.claimed_hours}学时`, read: `${wrongHours ? r.claimed_hours + 8 : r.claimed_hours}学时`, verdict: wrongHours ? "differs" : "agrees", place: at(50) },
        { field: "organizer", declared: r.organizer, read: null, verdict: "not_found", place: null },
        { field: "certificate_no", declared: null, read: `BT2019-${declaration_id}`, verdict: "read", place: at(80) },
      ];
      const findings = wrongHours ? [{ flag: "evidence_hours_mismatch", detail: `证书写明“共计${r.claimed_hours + 8}学时”，申报为${r.claimed_hours}学时` }] : [];
      return { state: "ready", summary: { rows, findings, files_read: 1, files_total: 1, failed: [] } };
    },
    reading_progress: () => ({ read: 3, total: 5, models_missing: false }),
    sync_now: () => {
      setTimeout(() => window.__emitSync({ kind: "state", running: true, status: status(), error: null, report: null, next_in_secs: null }), 10);
      setTimeout(() => window.__emitSync({ kind: "progress", phase: "push", items_done: 1, items_total: 3, bytes_down: 1024, bytes_up: 300 }), 20);
      setTimeout(() => {
        decisions.forEach((d) => (d.state = "applied"));
        window.__emitSync({ kind: "state", running: false, status: status(), error: null, report: { applied: decisions.length }, next_in_secs: 300 });
      }, 60);
      return null;
    },
    sync_pause: () => null,
    spotcheck_list: () => packs.map((p) => p.pack),
    spotcheck_create: ({ input }) => {
      const approved = rows.filter((r) => r.status === "unit_approved");
      const seed = input.seed ?? "123";
      const n = input.size.by === "count" ? input.size.value : Math.ceil((approved.length * input.size.value) / 1000);
      const start = Number(seed) % Math.max(1, approved.length - n);
      const items = approved.slice(start, start + n).map((r, i) => ({
        rank: i + 1, declaration_id: r.id, staff_id: r.staff_id, staff_name: r.staff_name, id_number_masked: r.id_number_masked,
        form: r.form, status: r.status, title: r.title, organizer: r.organizer, start_date: r.start_date, end_date: r.end_date,
        credited_hours: r.credited_hours, clause: "A2", flags: r.flags, weight: r.flags.length ? 4 : 1,
        reasons: r.flags.length ? ["flagged"] : [], stratum: i === 0 ? "form_minimum" : "weighted",
        evidence: [{ sha256: "ab".repeat(32), file_name: "证书.png", present: true }],
        finding: null, note: null, recorded_at: null, upload: "none",
      }));
      const pack = { id: `pack-${packs.length + 1}`, year: input.year ?? 2019, seed, spec: { size: input.size, min_per_form: input.min_per_form, seed: Number(seed) }, candidates: approved.length, items: items.length, recorded: 0, problems: 0, created_at: "2019-12-30T08:00:00Z", created_by: "reviewer-u01" };
      packs.unshift({ pack, items });
      return pack;
    },
    spotcheck_pack: ({ id }) => packs.find((p) => p.pack.id === id),
    spotcheck_record: ({ input }) => {
      if (input.finding === "problem" && !input.note) throw { code: "invalid_input", message: "存在问题时须填写问题说明" };
      const item = packs.find((p) => p.pack.id === input.pack_id).items.find((i) => i.declaration_id === input.declaration_id);
      Object.assign(item, { finding: input.finding, note: input.note, recorded_at: new Date().toISOString(), upload: "pending" });
      return item;
    },
    spotcheck_export: () => ({ paths: ["/home/r/Documents/继续教育初审/抽审材料包.zip", "/home/r/Documents/继续教育初审/抽审材料包"], rows: 5, missing_evidence: 0, full_ids: false }),
    export_xlsx: ({ input }) => ({ paths: [`/home/r/Documents/继续教育初审/${input.what}${input.full_ids ? "-含完整身份证号" : ""}.xlsx`], rows: N, missing_evidence: 0, full_ids: input.full_ids }),
    print_view: () => "<!DOCTYPE html><html><body><h1>继续教育学时单位初审情况汇总</h1></body></html>",
    roster_import_check: () => ({
      token: 42, ready: 1,
      rows: [
        { row: 2, correction: { staff_id: "S0001", name: "王更正", id_number: null, title_series: null, title_level: "senior_deputy", applying_promotion: null, active: null }, errors: [] },
        { row: 3, correction: null, errors: ["第3行：人员编号“NOBODY”不在本单位人员名单中"] },
      ],
    }),
    roster_import_apply: ({ token }) => {
      if (token !== 42) throw { code: "stale", message: "表格已重新检查，请按最新结果确认" };
      return 1;
    },
    exchange_export: ({ input }) => ({ path: `/home/r/Documents/继续教育初审/${input.kind}.jxjy`, report: { kind: input.kind, decisions: 3, staff: 0, declarations: 0, evidence_files: 0, bytes: 4096 } }),
    upload_begin: ({ size }) => {
      const id = String(uploads.size + 1);
      uploads.set(id, { size, length: 0, first: undefined });
      return id;
    },
    upload_progress: ({ upload }) => {
      const u = uploads.get(upload);
      if (!u?.started) return null;
      return { read: Math.min(u.length, Math.floor((u.length * (Date.now() - u.started)) / 1200)), total: u.length };
    },
    upload_piece: (bytes, headers) => {
      const u = uploads.get(headers["x-upload"]);
      if (!u || Number(headers["x-offset"]) !== u.length) throw { code: "invalid_input", message: "文件分段顺序有误，请重新导入" };
      u.first ??= bytes[0];
      u.length += bytes.length;
      return u.length;
    },
    exchange_import: async ({ input }) => {
      const u = uploads.get(input.upload);
      if (!u || u.length !== u.size) throw { code: "file_refused", message: "交换文件不完整" };
      // A large file takes a while to check and import; upload_progress tells how far.
      u.started = Date.now();
      if (u.length > 1024 * 1024) await new Promise((r) => setTimeout(r, 1200));
      uploads.delete(input.upload);
      const bytes = [u.first];
      if (bytes[0] === 88) throw { code: "file_refused", message: "交换文件已被改动或损坏，校验未通过，未导入任何内容。请重新复制或重新导出该文件。" };
      return { kind: "decisions", origin: "reviewer-u01 · 某团 · regiment", created_at: "2019-12-30T08:00:00Z", imported: 3, already_present: 0, skipped: [], staff: 0, declarations: 0, evidence_files: 0 };
    },
    "plugin:event|listen": ({ event, handler }) => {
      listeners.push({ event, handler });
      return handler;
    },
    "plugin:event|unlisten": () => null,
  };

  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
    transformCallback(cb, once) {
      const id = nextCb++;
      callbacks.set(id, (x) => {
        if (once) callbacks.delete(id);
        return cb && cb(x);
      });
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    convertFileSrc: (p) => p,
    async invoke(cmd, args = {}, options = {}) {
      // Raw bytes are recorded by their length (a file can be megabytes).
      const recorded = args instanceof Uint8Array ? { bytes: args.length } : JSON.parse(JSON.stringify(args));
      calls.push({ cmd, args: recorded, headers: options.headers ?? {} });
      const h = handlers[cmd];
      if (!h) throw { code: "internal", message: `mock: unknown command ${cmd}` };
      if (locked && !OPEN_WHILE_LOCKED.includes(cmd)) throw { code: "locked", message: "档案“demo”已锁定，请输入解锁密码" };
      // A test may slow the queue's answers (window.__queueDelay, ms), as a slow disk would.
      await new Promise((r) => setTimeout(r, cmd === "queue" ? (window.__queueDelay ?? 1) : 1));
      // A copy, as the real IPC delivers: the page never shares objects with the backend.
      const out = await h(args, options.headers ?? {});
      return out === undefined || out === null ? out : structuredClone(out);
    },
  };
})();
