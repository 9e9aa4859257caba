// Display helpers shared by the screens.

/** Hours as the notice writes them: 24学时, 1.5学时. */
export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined) return "—";
  const rounded = Math.round(h * 100) / 100;
  return `${rounded}学时`;
}

/** Today's date as YYYY-MM-DD in the reviewer's local time zone. */
export function localIsoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** 1.2 MB, 340 KB, 12 B. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** "刚刚", "5分钟前", "3小时前", or the local date and time. */
export function formatWhen(iso: string | null | undefined, now: Date): string {
  if (!iso) return "从未";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const secs = Math.round((now.getTime() - t.getTime()) / 1000);
  if (secs < 60) return "刚刚";
  if (secs < 3600) return `${Math.floor(secs / 60)}分钟前`;
  if (secs < 86400) return `${Math.floor(secs / 3600)}小时前`;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${localIsoDate(t)} ${p(t.getHours())}:${p(t.getMinutes())}`;
}

/** Share of a target as a whole percentage, capped at 100. */
export function percent(value: number, target: number): number {
  if (target <= 0) return 100;
  return Math.min(100, Math.round((value / target) * 100));
}

/** The fields of two versions of a declaration that differ (for the conflict view). */
export function changedFields<T extends object>(a: T | null, b: T | null): string[] {
  if (!a || !b) return [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter(
    (k) => JSON.stringify((a as Record<string, unknown>)[k]) !== JSON.stringify((b as Record<string, unknown>)[k]),
  );
}
