// Which store errors say "the database was busy, try again" rather than "this write is wrong": SQLite's busy
// timeout (SQLITE_BUSY, which Prisma's adapter reports as P1008 "Operation has timed out"), an interactive
// transaction that could not start or outlived its timeout under load (P2028), a write conflict (P2034).
// Callers retry these; they are not the caller's failure.
import { Prisma } from "./generated/client.js";

const transientPrismaCodes = new Set(["P1008", "P2028", "P2034"]);
const transientMessage =
  /SQLITE_BUSY|SQLITE_LOCKED|database is locked|Operation has timed out|Transaction already closed|Unable to start a transaction in the given time/;

export function isTransientStoreError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return transientPrismaCodes.has(error.code);
  if (!(error instanceof Error)) return false;
  // better-sqlite3's own errors (the synchronous connection) carry SQLite's code.
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  return transientMessage.test(error.message);
}
