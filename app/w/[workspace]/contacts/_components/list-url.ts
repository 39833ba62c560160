/**
 * URL state of the contact and company lists (?q=&owner=&lifecycle=&sort=&dir=&page=). Pure helpers shared by
 * the server pages (sort headers, pagination links) and the client toolbar, so every view is a shareable link.
 */
export type ListQuery = Record<string, string | undefined>;

/** First value of each search param (Next gives string | string[] | undefined). */
export function firstValues(searchParams: Record<string, string | string[] | undefined>): ListQuery {
  const out: ListQuery = {};
  for (const [key, value] of Object.entries(searchParams)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") out[key] = first;
  }
  return out;
}

/**
 * `base` with the current query changed by `changes` (undefined / "" removes a key). Any change other than
 * the page itself goes back to page 1, since the old page number means nothing in a new result set.
 */
export function listHref(base: string, current: ListQuery, changes: ListQuery): string {
  const next: ListQuery = { ...current, ...changes };
  if (!("page" in changes)) delete next.page;
  if (next.page === "1") delete next.page;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(next).sort(([x], [y]) => x.localeCompare(y))) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/**
 * The link behind a sortable column header: the active column flips direction; another column starts at its
 * natural direction (given by `defaultDir`), and the explicit dir is left out of the URL when it is the default.
 */
export function sortHref<S extends string>(
  base: string,
  current: ListQuery,
  column: S,
  active: { sort: S; dir: "asc" | "desc" },
  defaultDir: (sort: S) => "asc" | "desc",
): string {
  const dir = active.sort === column ? (active.dir === "asc" ? "desc" : "asc") : defaultDir(column);
  return listHref(base, current, { sort: column, dir: dir === defaultDir(column) ? undefined : dir });
}

/** "Showing 51–100 of 122": the 1-based range of rows on a page (0–0 when empty). */
export function pageRange(page: number, pageSize: number, total: number): { from: number; to: number } {
  if (total === 0) return { from: 0, to: 0 };
  const from = (page - 1) * pageSize + 1;
  return { from, to: Math.min(total, page * pageSize) };
}
