// Automatic pagination as botocore's PageIterator does it: follow NextToken until the end, merge the result
// lists, stop at --max-items and hand back a resume token in botocore's own format (base64 of
// {"NextToken": ..., "boto_truncate_amount": n}), so a token from `aws` works here and the other way round.
import type { Paginator } from "./model.js";
import type { PagingRequest } from "./params.js";
import { ParamError } from "./errors.js";

export type SendPage = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export async function paginate(
  paginator: Paginator,
  input: Record<string, unknown>,
  paging: PagingRequest,
  sendPage: SendPage,
): Promise<Record<string, unknown>> {
  const resultKeys = Array.isArray(paginator.result_key) ? paginator.result_key : [paginator.result_key];
  const primaryKey = resultKeys[0]!;
  const request = { ...input };
  let skip = 0;
  if (paging.startingToken !== undefined) {
    const token = decodeToken(paging.startingToken);
    if (token.next !== undefined) request[paginator.input_token] = token.next;
    skip = token.truncate;
  }
  if (paging.pageSize !== undefined && paginator.limit_key) request[paginator.limit_key] = paging.pageSize;

  const merged: Record<string, unknown[]> = {};
  let total = 0;
  let resume: Record<string, unknown> | undefined;
  let previousToken: unknown;
  for (let first = true; ; first = false) {
    const page = await sendPage(request);
    if (first && skip > 0) {
      // Resuming inside a page that an earlier --max-items cut: drop what was already printed.
      page[primaryKey] = asList(page[primaryKey]).slice(skip);
      for (const key of resultKeys.slice(1)) page[key] = [];
    }
    const items = asList(page[primaryKey]);
    const nextToken = page[paginator.output_token] || undefined;
    const overflow = paging.maxItems !== undefined ? total + items.length - paging.maxItems : 0;
    if (overflow > 0) {
      const keep = items.length - overflow;
      page[primaryKey] = items.slice(0, keep);
      resume = { [paginator.input_token]: request[paginator.input_token] ?? null, boto_truncate_amount: keep + (first ? skip : 0) };
      append(merged, resultKeys, page);
      break;
    }
    append(merged, resultKeys, page);
    total += items.length;
    if (nextToken === undefined) break;
    if (paging.maxItems !== undefined && total === paging.maxItems) {
      resume = { [paginator.input_token]: nextToken };
      break;
    }
    if (nextToken === previousToken) throw new Error(`The same next token was received twice: ${String(nextToken)}`);
    previousToken = nextToken;
    request[paginator.input_token] = nextToken;
  }
  return resume ? { ...merged, NextToken: encodeToken(resume) } : merged;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function append(merged: Record<string, unknown[]>, keys: string[], page: Record<string, unknown>): void {
  for (const key of keys) {
    const value = page[key];
    if (value === undefined) continue;
    merged[key] = [...(merged[key] ?? []), ...asList(value)];
  }
}

// Python's json.dumps separators, so the token is byte for byte what botocore would make.
function encodeToken(token: Record<string, unknown>): string {
  const json = `{${Object.entries(token)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(", ")}}`;
  return Buffer.from(json, "utf8").toString("base64");
}

function decodeToken(token: string): { next?: unknown; truncate: number } {
  try {
    const decoded = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as Record<string, unknown>;
    const { boto_truncate_amount: truncate, ...rest } = decoded;
    const next = Object.values(rest)[0];
    return { next: next ?? undefined, truncate: typeof truncate === "number" ? truncate : 0 };
  } catch {
    throw new ParamError("--starting-token", `Invalid starting token: ${token}`);
  }
}
