// MaxResults and NextToken, the same way for every Describe* call: items are in a stable order by key, and the
// token names the last key returned, so pages stay consistent while items are added or removed.
import { Errors } from "./errors.js";

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: { MaxResults?: number; NextToken?: string },
  defaultPageSize: number,
): Page<T> {
  let start = 0;
  if (request.NextToken !== undefined) {
    const after = decodeToken(request.NextToken);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const size = request.MaxResults ?? defaultPageSize;
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return more ? { items: page, nextToken: encodeToken(keyOf(page[page.length - 1]!)) } : { items: page };
}

export function encodeToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString("base64url");
}

export function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof parsed.after === "string") return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw Errors.invalidPaginationToken(token);
}
