// Rows every request or launch reads and almost nothing writes (access keys, images, snapshots), kept in memory
// on the synchronous connection. SQLite's data_version changes for a connection exactly when some other
// connection has committed: any such commit empties the cache, so it can never answer with a row older than the
// database. Images and snapshots are written only through Prisma's connection (or another process); access keys
// are written on this connection by their repository, which empties its own cache (clear). Own writes do not
// empty the caches otherwise: RunInstances writes on this connection all the time. Values are frozen, because the
// same object goes to every caller.

import type { Sql } from "./sql.js";

export class ReadCache<V> {
  private version = Number.NaN;
  private readonly entries = new Map<string, V | undefined>();

  constructor(
    private readonly sql: Sql,
    private readonly capacity = 10_000,
  ) {}

  /** For a writer on the synchronous connection itself, whose commits data_version does not show. */
  clear(): void {
    this.entries.clear();
  }

  get(key: string, load: () => V | undefined): V | undefined {
    const version = this.sql.dataVersion();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    if (this.entries.has(key)) return this.entries.get(key);
    const value = load();
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, value === undefined ? undefined : deepFreeze(value));
    return value;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
