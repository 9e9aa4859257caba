// The app-wide state: start info, the open profile, and the sync bar's state from events.
import { reactive } from "vue";
import type { Dashboard, Progress, SessionInfo, StartInfo, SyncState } from "./bindings";
import { api, onSync } from "./ipc";

export const app = reactive({
  start: null as StartInfo | null,
  session: null as SessionInfo | null,
  sync: null as SyncState | null,
  progress: null as Progress | null,
  dashboard: null as Dashboard | null,
  /** Bumped after each sync and decision, so screens reload what they show. */
  dataVersion: 0,
  error: null as string | null,
});

let listening = false;

export async function listenToSync() {
  if (listening) return;
  listening = true;
  await onSync((e) => {
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

/** Opens a profile; the sync state and the counts follow without holding up the queue. */
export async function openProfile(name: string) {
  app.session = await api.profileOpen(name);
  void api.syncState().then((s) => {
    app.sync ??= s;
  });
  void refreshDashboard();
  app.dataVersion++;
}

/** After a decision: the screens reload, and the counts (pending, conflicts) with them. */
export function dataChanged() {
  app.dataVersion++;
  void refreshDashboard();
}
