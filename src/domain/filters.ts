// EC2's Filter.N.Name / Filter.N.Value.M, applied the same way by every Describe* call: filters are ANDed, the
// values of one filter ORed, and values may use * and ? wildcards (escaped with \). Each resource declares
// which filter names it understands and how to read each from a resource.
import { Errors } from "./errors.js";

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** Reads the value(s) a filter compares against; undefined means the resource has none. */
export type FilterField<T> = (item: T) => string | number | boolean | readonly string[] | undefined;

export interface FilterSpec<T> {
  fields: Record<string, FilterField<T>>;
  /** Tags, for tag:<key>, tag-key and tag-value. */
  tags?: (item: T) => ReadonlyArray<{ Key?: string; Value?: string }> | undefined;
}

/**
 * A filter EC2 documents for something mini-ec2 does not model (IPv6 blocks, NAT gateways, Outposts): every item
 * has none, so the filter matches nothing, as it would in an account that uses none of it, rather than being refused.
 */
export const noneModelled: FilterField<unknown> = () => undefined;

/** EC2's limit on the filter values of one call, all filters together (a filter without values counts as one). */
const maxFilterValues = 200;

export function applyFilters<T>(items: readonly T[], filters: readonly Filter[] | undefined, spec: FilterSpec<T>): T[] {
  if (!filters || filters.length === 0) return [...items];
  return items.filter(filterPredicate(filters, spec));
}

/**
 * The filters as one test of an item, checked and compiled once: for a caller that tests items one at a time (a
 * scan of pages). Unknown filter names and the bounds are refused here, before any item is read.
 */
export function filterPredicate<T>(filters: readonly Filter[] | undefined, spec: FilterSpec<T>): (item: T) => boolean {
  if (!filters || filters.length === 0) return () => true;
  // Bounds the work per item: every item is tested against every value.
  checkFilterValues(filters);
  const predicates = filters.map((filter) => compile(filter, spec));
  return (item) => predicates.every((matches) => matches(item));
}

function compile<T>(filter: Filter, spec: FilterSpec<T>): (item: T) => boolean {
  const name = filter.Name;
  if (!name) throw Errors.missingParameter("Filter.N.Name");
  const values = filter.Values ?? [];
  const patterns = values.map(wildcardPattern);
  const anyMatch = (candidates: readonly string[]) => candidates.some((c) => patterns.some((p) => p.test(c)));

  if (spec.tags && name.startsWith("tag:")) {
    const key = name.slice(4);
    return (item) => anyMatch((spec.tags!(item) ?? []).filter((t) => t.Key === key).map((t) => t.Value ?? ""));
  }
  if (spec.tags && name === "tag-key") return (item) => anyMatch((spec.tags!(item) ?? []).map((t) => t.Key ?? ""));
  if (spec.tags && name === "tag-value") return (item) => anyMatch((spec.tags!(item) ?? []).map((t) => t.Value ?? ""));

  const field = Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
  if (!field) throw Errors.invalidFilter(name);
  return (item) => {
    const value = field(item);
    if (value === undefined) return false;
    return anyMatch(Array.isArray(value) ? (value as string[]) : [String(value)]);
  };
}

/** A compiled filter value: `test` says whether a text matches it. */
export interface WildcardPattern {
  readonly source: string;
  test(text: string): boolean;
}

/**
 * EC2's filter value syntax: `*` matches any run of characters (none included), `?` exactly one character, and `\`
 * makes the next character literal (`\*`, `\?`, `\\`; a trailing `\` is itself). Everything else is literal and
 * case-sensitive.
 *
 * Matched without backtracking: the pattern is cut at its stars into fixed-length pieces; the first must start
 * the text, the last must end it, and each one between is placed at its leftmost fit after the one before (the
 * leftmost fit never loses a match a later fit would find, as a star absorbs whatever lies between). Pieces
 * without `?` are found with the string's native search; pieces with one by Shift-And, a single pass over the
 * text (a word of state per 30 characters of the piece). So a test costs about one pass over the text per piece,
 * whatever the number of stars and wherever they stand.
 */
export function wildcardPattern(value: string): WildcardPattern {
  const cut = wildcardPieces(value);
  if (cut.some((chars) => chars.includes(null))) {
    // Only a piece with a `?` needs the search's masks (their 128-entry ASCII table and typed arrays): built for
    // every piece of 200 values, they were the largest part of compiling a call's filters.
    const pieces = cut.map(piece);
    // A `?` takes one character, even outside the Basic Multilingual Plane: a text with surrogate pairs is read as
    // code points (rare; any other text is compared unit by unit as it is).
    const text = (raw: string): ArrayLike<string> => (hasSurrogates.test(raw) ? Array.from(raw) : raw);
    return { source: value, test: (raw) => matchPieces(pieces, text(raw), fitsAt, leftmostFit) };
  }
  // No `?`: the pieces are plain strings, sought with the string's own (native) search.
  const literal = cut.map((chars) => chars.join(""));
  return { source: value, test: (text) => matchPieces(literal, text, (piece, t, at) => t.startsWith(piece, at), leftmostIndex) };
}

/** Whether `text` matches the filter value `pattern` (see wildcardPattern). */
export function matchesWildcard(pattern: string, text: string): boolean {
  return wildcardPattern(pattern).test(text);
}

const hasSurrogates = /[\uD800-\uDFFF]/;

/**
 * One piece between stars: its characters (code points), null for a `?`; and, for the search, bit masks (in words
 * of 30 bits) of where each character, and any `?`, stands in it.
 */
interface Piece {
  readonly chars: ReadonlyArray<string | null>;
  readonly length: number;
  readonly masks: ReadonlyMap<string, Int32Array>;
  /** The same masks for the ASCII characters, by code: the common case, without a map lookup. */
  readonly asciiMasks: ReadonlyArray<Int32Array | undefined>;
  readonly anyMask: Int32Array;
  /** The runs of literal characters between the `?`: a text without one of them cannot hold the piece. */
  readonly runs: readonly string[];
  /** The search's state, reused: matching is synchronous. */
  readonly state: Int32Array;
}

const bitsPerWord = 30;
const wordBits = (1 << bitsPerWord) - 1;

function piece(chars: Array<string | null>): Piece {
  const words = Math.max(1, Math.ceil(chars.length / bitsPerWord));
  const masks = new Map<string, Int32Array>();
  const anyMask: Int32Array = new Int32Array(words);
  chars.forEach((ch, j) => {
    let mask: Int32Array = anyMask;
    if (ch !== null) {
      mask = masks.get(ch) ?? new Int32Array(words);
      masks.set(ch, mask);
    }
    mask[Math.floor(j / bitsPerWord)]! |= 1 << (j % bitsPerWord);
  });
  const asciiMasks = Array.from({ length: 128 }, (_, code) => masks.get(String.fromCharCode(code)));
  const runs: string[] = [];
  let run = "";
  for (const ch of [...chars, null]) {
    if (ch !== null) run += ch;
    else if (run) runs.push(run), (run = "");
  }
  return { chars, length: chars.length, masks, asciiMasks, anyMask, runs, state: new Int32Array(words) };
}

/** The characters of the pieces between the unescaped stars (null for a `?`): a pattern without stars is one piece; `a*` is [a] and []. */
function wildcardPieces(pattern: string): Array<Array<string | null>> {
  const pieces: Array<Array<string | null>> = [[]];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const current = pieces[pieces.length - 1]!;
    if (ch === "\\" && i + 1 < chars.length) current.push(chars[++i]!);
    else if (ch === "*") pieces.push([]);
    else if (ch === "?") current.push(null);
    else current.push(ch);
  }
  return pieces;
}

/**
 * The first piece must start the text and the last end it, without overlapping; each piece between is placed at
 * its leftmost fit after the previous one. No step is ever undone.
 */
function matchPieces<P extends { length: number }, T extends { length: number }>(
  pieces: readonly P[],
  text: T,
  fits: (piece: P, text: T, at: number) => boolean,
  leftmost: (piece: P, text: T, from: number, end: number) => number,
): boolean {
  const first = pieces[0]!;
  if (pieces.length === 1) return first.length === text.length && fits(first, text, 0);
  const last = pieces[pieces.length - 1]!;
  const end = text.length - last.length;
  if (end < first.length || !fits(first, text, 0) || !fits(last, text, end)) return false;
  let at = first.length;
  for (let p = 1; p < pieces.length - 1; p++) {
    const next = pieces[p]!;
    const found = leftmost(next, text, at, end);
    if (found < 0) return false;
    at = found + next.length;
  }
  return true;
}

function fitsAt(piece: Piece, text: ArrayLike<string>, at: number): boolean {
  for (let j = 0; j < piece.length; j++) {
    const ch = piece.chars[j];
    if (ch !== null && text[at + j] !== ch) return false;
  }
  return true;
}

/**
 * Where `piece` first fits wholly inside text[from, end), or -1: Shift-And, one pass over the text with the piece's
 * prefixes that fit so far as bits (a `?` fits any character), a word of state per 30 characters of the piece.
 */
function leftmostFit(piece: Piece, text: ArrayLike<string>, from: number, end: number): number {
  const k = piece.length;
  if (k === 0) return from <= end ? from : -1;
  if (typeof text === "string") {
    for (const run of piece.runs) {
      const at = text.indexOf(run, from);
      if (at < 0 || at + run.length > end) return -1;
    }
  }
  const { state, anyMask, asciiMasks } = piece;
  const words = state.length;
  const goalWord = words - 1;
  const goal = 1 << ((k - 1) % bitsPerWord);
  state.fill(0);
  for (let i = from; i < end; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    const mask = code < 128 ? asciiMasks[code] : piece.masks.get(ch);
    let carry = 1;
    for (let w = 0; w < words; w++) {
      const before = state[w]!;
      state[w] = ((before << 1) | carry) & wordBits & ((mask ? mask[w]! : 0) | anyMask[w]!);
      carry = (before >>> (bitsPerWord - 1)) & 1;
    }
    if (state[goalWord]! & goal) return i - k + 1;
  }
  return -1;
}

function leftmostIndex(piece: string, text: string, from: number, end: number): number {
  const i = text.indexOf(piece, from);
  return i >= 0 && i + piece.length <= end ? i : -1;
}

/** What a tag filter with literal values says a matching resource must carry: one of these keys, one of these values. */
export interface TagNarrowing {
  keys?: string[];
  values?: string[];
}

const isLiteral = (value: string) => !/[*?\\]/.test(value);

/**
 * The tag filters (`tag:<key>`, `tag-key`, `tag-value`) as conditions a store can use to read only resources
 * that may match. Wildcard values narrow less (a `tag:<key>` still needs the key); the filters themselves are still
 * applied to what is read.
 */
export function tagNarrowings(filters: readonly Filter[] | undefined): TagNarrowing[] {
  const narrowings: TagNarrowing[] = [];
  for (const { Name: name, Values: values = [] } of filters ?? []) {
    if (!name || values.length === 0) continue;
    const literal = values.every(isLiteral);
    if (name.startsWith("tag:")) narrowings.push({ keys: [name.slice(4)], ...(literal ? { values } : {}) });
    else if (name === "tag-key" && literal) narrowings.push({ keys: values });
    else if (name === "tag-value" && literal) narrowings.push({ values });
  }
  return narrowings;
}

/** EC2's bound on one filter value's length. */
export const maxFilterValueLength = 255;

/**
 * The bounds on a call's filters that hold before any matching or query is built (dispatch applies them to every
 * request's filters): EC2's 200 values per call, and no value longer than 255 characters.
 */
export function checkFilterValues(filters: readonly Filter[]): void {
  const valueCount = filters.reduce((sum, filter) => sum + Math.max(1, filter.Values?.length ?? 0), 0);
  if (valueCount > maxFilterValues) throw Errors.filterLimitExceeded(maxFilterValues);
  for (const filter of filters) {
    for (const value of filter.Values ?? []) {
      if (value.length > maxFilterValueLength) throw Errors.filterValueTooLong(maxFilterValueLength);
    }
  }
}
