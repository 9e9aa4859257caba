// Windowed loading for the virtual queue: only the pages around what is on screen are fetched,
// so a queue of 100,000 rows costs a few hundred rows of IPC.

/** Rows a fetch brings: a screenful, so the rows in view come in one small reply (a page of
 *  100 took twice as long to carry through the IPC, on the path of every filter and jump). */
export const PAGE = 25;

/** The page numbers that cover rows [first, last] plus `margin` pages each side. */
export function pagesFor(first: number, last: number, total: number, page = PAGE, margin = 1): number[] {
  if (total <= 0 || last < first) return [];
  const lo = Math.max(0, Math.floor(first / page) - margin);
  const hi = Math.min(Math.ceil(total / page) - 1, Math.floor(last / page) + margin);
  const out: number[] = [];
  for (let p = lo; p <= hi; p++) out.push(p);
  return out;
}

/** The rows visible in a scroll box of fixed-height rows. */
export function visibleRange(scrollTop: number, height: number, rowHeight: number, total: number) {
  if (total <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight));
  const last = Math.min(total - 1, Math.ceil((scrollTop + height) / rowHeight));
  return { first, last };
}

/** A cache of fetched pages, dropped whenever the filter changes. */
export class PageCache<T> {
  private pages = new Map<number, T[]>();
  private loading = new Set<number>();
  generation = 0;

  reset() {
    this.pages.clear();
    this.loading.clear();
    this.generation++;
  }

  row(index: number, page = PAGE): T | undefined {
    return this.pages.get(Math.floor(index / page))?.[index % page];
  }

  /** Pages still to fetch among `wanted` (and marks them as being fetched). */
  claim(wanted: number[]): number[] {
    const todo = wanted.filter((p) => !this.pages.has(p) && !this.loading.has(p));
    todo.forEach((p) => this.loading.add(p));
    return todo;
  }

  put(p: number, rows: T[], generation: number) {
    if (generation !== this.generation) return;
    this.loading.delete(p);
    this.pages.set(p, rows);
  }

  fail(p: number) {
    this.loading.delete(p);
  }

  /** Keeps memory bounded: drops pages far from the ones in view. */
  trim(keep: number[], max = 40) {
    if (this.pages.size <= max) return;
    const centre = keep.length ? keep[Math.floor(keep.length / 2)] : 0;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const p of far.slice(0, this.pages.size - max)) this.pages.delete(p);
  }
}
