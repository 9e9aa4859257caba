// The app-wide state: start info, the open profile, and the sync bar's state from events.
import { reactive } from "vue";
import { ElMessage } from "element-plus";
import type { Dashboard, Progress, ReadingProgress, SessionInfo, StartInfo, SyncState } from "./bindings";
import { api, onLocked, onSync } from "./ipc";

export const app = reactive({
  start: null as StartInfo | null,
  session: null as SessionInfo | null,
  sync: null as SyncState | null,
  progress: null as Progress | null,
  /** How far the background reading of the evidence is. */
  reading: null as ReadingProgress | null,
  dashboard: null as Dashboard | null,
  /** Bumped after each sync and decision, so screens reload what they show. */
  dataVersion: 0,
  error: null as string | null,
  /** The profile whose unlock screen shows (locked, or chosen and not yet open). The screen
   *  stays up after a set-up, over the open session, until the recovery code is noted. */
  locked: null as string | null,
});

let listening = false;
/** Files read between two reloads of the lists while the reader is busy. */
const READING_RELOAD = 25;

export async function listenToSync() {
  if (listening) return;
  listening = true;
  await onLocked((profile) => forgetSession(profile));
  await onSync((e) => {
    if (e.kind === "reading") {
      const { kind: _kind, ...r } = e;
      const before = app.reading?.read ?? 0;
      app.reading = r;
      // Readings add flags: the queue shows them when the reading is done, and every so often
      // on the way (not after each file, which would reload the list every second).
      const finished = r.read === r.total && before < r.total;
      if (finished || Math.floor(r.read / READING_RELOAD) !== Math.floor(before / READING_RELOAD)) {
        app.dataVersion++;
        void refreshDashboard();
      }
      return;
    }
    if (e.kind === "progress") {
      const { kind: _kind, ...p } = e;
      const before = app.progress?.phase;
      app.progress = p;
      // Declarations are pulled and evaluated before pushes and downloads: show them now.
      if (before !== p.phase && (p.phase === "push" || p.phase === "evidence")) {
        app.dataVersion++;
        void refreshDashboard();
      }
    } else {
      const { kind: _kind, ...s } = e;
      const wasRunning = app.sync?.running ?? false;
      // A failed attempt changed nothing unless it had got some way (pages pulled are kept):
      // an office without a link retries every few seconds, and must not reload each time.
      const gotSomewhere = (app.progress?.items_done ?? 0) > 0;
      app.sync = s;
      if (!s.running) {
        app.progress = null;
        if (s.report || (wasRunning && gotSomewhere)) {
          app.dataVersion++;
          void refreshDashboard();
        }
      }
    }
  });
}

export async function refreshDashboard() {
  if (!app.session) return;
  try {
    app.dashboard = await api.dashboard();
  } catch {
    // The sync bar keeps the last counts; the next refresh tries again.
  }
}

/** A profile just opened: the sync state and the counts follow without holding up the queue. */
function opened(session: SessionInfo) {
  app.session = session;
  void api.syncState().then((s) => {
    app.sync ??= s;
  });
  void api.readingProgress().then((r) => {
    app.reading ??= r;
  });
  void refreshDashboard();
  app.dataVersion++;
}

/** Unlocks a profile with its secret. */
export async function openProfile(name: string, secret: string) {
  opened(await api.profileOpen(name, secret));
}

/** Gives a profile its first secret (or a new one, with the recovery code); returns the
 *  recovery code to show once. */
export async function setUpProfile(name: string, secret: string, recoveryCode: string | null = null): Promise<string> {
  const info = recoveryCode === null ? await api.profileSetUp(name, secret) : await api.profileRecover(name, recoveryCode, secret);
  opened(info.session);
  return info.recovery_code;
}

/** Reloads what the open session shows (after an import changed the unit or the reviewer). */
export async function refreshSession() {
  if (app.session) app.session = await api.session();
}

/** Leaves nothing of the profile on the page: after a lock (the button, Ctrl+L, idle, a switch). */
export function forgetSession(profile: string | null) {
  // Toasts (a decision recorded, with its undo) belong to the session too.
  ElMessage.closeAll();
  app.session = null;
  app.dashboard = null;
  app.sync = null;
  app.progress = null;
  app.locked = profile;
}

/** Locks the open profile now; `then` names the profile whose unlock screen shows next. */
export async function lockNow(then: string | null = null) {
  const name = await api.lock();
  forgetSession(then ?? name ?? app.session?.profile ?? null);
}

/** After a decision: the screens reload, and the counts (pending, conflicts) with them. */
export function dataChanged() {
  app.dataVersion++;
  void refreshDashboard();
}
