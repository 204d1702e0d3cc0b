// Prisma binds at most 999 values in one SQLite statement and answers P2029 "query parameter limit exceeded" past
// that, while a request may name up to 1000 ids (domain/request-limits.ts). So a repo binds a list only when it fits
// one statement beside the scope's own values; a longer list is either run in chunks (writes), or not bound at all:
// the scope is read and the listed items kept in memory (reads), which gives the same rows.
export const maxBoundIds = 500;

export function fitsOneStatement(ids: readonly unknown[] | undefined): boolean {
  return ids === undefined || ids.length <= maxBoundIds;
}

/** The rows whose key is listed, when the list was too long to bind; all rows when there is no list. */
export function keepListed<T>(rows: T[], ids: readonly string[] | undefined, keyOf: (row: T) => string): T[] {
  if (!ids?.length || fitsOneStatement(ids)) return rows;
  const listed = new Set(ids);
  return rows.filter((row) => listed.has(keyOf(row)));
}

/** The slices of `items` that each fit one statement, in order. */
export function* boundChunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += maxBoundIds) yield items.slice(start, start + maxBoundIds);
}

/** Runs `run` once per slice of `items` that fits one statement. */
export async function inChunks<T>(items: readonly T[], run: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (const chunk of boundChunks(items)) await run(chunk);
}
