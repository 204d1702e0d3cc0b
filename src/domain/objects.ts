// Small helpers for the plain objects passed between layers.

/** The object without its undefined members: optional fields stay absent instead of present-but-undefined. */
export function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
