// DryRun for every operation, without a second copy of each one's checks: the real handler runs with the store's
// writes barred. A use case reads and checks first and writes last, so its first write is where every check has
// passed: the barrier refuses that write, and the dry run answers DryRunOperation; a check that refuses before it
// answers its own error, exactly as the real call would. Nothing is written, so nothing needs rolling back.
//
// Both connections pass through here: the synchronous one (src/store/sql.ts) and Prisma's driver adapter
// (src/store/database.ts). The dry run is carried by AsyncLocalStorage, so concurrent requests are not affected.
import { AsyncLocalStorage } from "node:async_hooks";

interface DryRunScope {
  /** Cleared when the request ends: work it started that outlives it (a timer, a retry) writes normally. */
  active: boolean;
  /** The handler reached a write: every check before it passed. */
  reachedWrite: boolean;
}

const scopes = new AsyncLocalStorage<DryRunScope>();

/** Thrown at a barred write; its message names it for the log should anything print it. */
export class WriteBarred extends Error {
  constructor(statement: string) {
    super(`DryRun: the write '${statement.slice(0, 60)}' is where the real call would change something`);
    this.name = "WriteBarred";
  }
}

const writeStatement = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b|^\s*WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE)\b/i;

/** Called by both connections before each statement: throws WriteBarred for a write inside a dry run. */
export function barWriteInDryRun(statement: string): void {
  const scope = scopes.getStore();
  if (!scope?.active || !writeStatement.test(statement)) return;
  scope.reachedWrite = true;
  throw new WriteBarred(statement);
}

/**
 * Runs `work` (a real handler) as a dry run: "reached-write" when it got as far as changing something (however its
 * code then handled the refused write), "changes-nothing" when it finished without writing; an error thrown
 * before any write is rethrown, the real call's own answer.
 */
export async function dryRunWithoutWrites(work: () => Promise<unknown>): Promise<"reached-write" | "changes-nothing"> {
  const scope: DryRunScope = { active: true, reachedWrite: false };
  inFlight++;
  try {
    await scopes.run(scope, work);
  } catch (error) {
    if (!scope.reachedWrite) throw error;
  } finally {
    scope.active = false;
    // On Node 20 an enabled AsyncLocalStorage hooks every promise of the process: it is enabled only while a dry run
    // is in flight, so the requests that are not dry runs (nearly all) do not pay for it.
    if (--inFlight === 0) scopes.disable();
  }
  return scope.reachedWrite ? "reached-write" : "changes-nothing";
}

let inFlight = 0;

/**
 * Writes that are not the request's doing but the world it meets (a Region's servers seeded on first use, the
 * default VPC every account has from the start): they run even inside a dry run.
 */
export function housekeeping<T>(work: () => T): T {
  return scopes.exit(work);
}
