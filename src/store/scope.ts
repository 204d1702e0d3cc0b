// Every resource row belongs to one account and one region. Callers pass richer objects (the request's caller);
// only these two fields may reach a query.
export interface Scope {
  accountId: string;
  region: string;
}

export function scopeWhere(scope: Scope): Scope {
  return { accountId: scope.accountId, region: scope.region };
}
