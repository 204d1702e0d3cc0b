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

const maxFilterValues = 200;

export function applyFilters<T>(items: readonly T[], filters: readonly Filter[] | undefined, spec: FilterSpec<T>): T[] {
  if (!filters || filters.length === 0) return [...items];
  const predicates = filters.map((filter) => compile(filter, spec));
  return items.filter((item) => predicates.every((matches) => matches(item)));
}

function compile<T>(filter: Filter, spec: FilterSpec<T>): (item: T) => boolean {
  const name = filter.Name;
  if (!name) throw Errors.missingParameter("Filter.N.Name");
  const values = filter.Values ?? [];
  if (values.length > maxFilterValues) throw Errors.filterLimitExceeded(maxFilterValues);
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

export function wildcardPattern(value: string): RegExp {
  let source = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\" && i + 1 < value.length) source += escapeRegExp(value[++i]!);
    else if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
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
