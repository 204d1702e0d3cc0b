import type { Scope } from "../domain/caller.js";
import type { Prisma, PrismaClient } from "./generated/client.js";

/** The client or an open transaction: store functions that take one can join a caller's transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

// Every resource row belongs to one account and one region. Callers pass richer objects (the request's caller);
// only these two fields may reach a query.
export function scopeWhere(scope: Scope): Scope {
  return { accountId: scope.accountId, region: scope.region };
}
