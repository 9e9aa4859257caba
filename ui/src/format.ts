// Display helpers shared by the screens.

/** Hours as the notice writes them: 24学时, 1.5学时. */
export function formatHours(h: number): string {
  const rounded = Math.round(h * 100) / 100;
  return `${rounded}学时`;
}

/** Today's date as YYYY-MM-DD in the reviewer's local time zone. */
export function localIsoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
