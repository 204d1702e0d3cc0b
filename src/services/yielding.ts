// A long scan in one request must not stall the others: Node serves one request at a time between awaits, and an
// await on a resolved promise (a synchronous store call) lets no other request in. These give the event loop back
// between chunks, so a light request that arrives meanwhile is answered before the heavy one finishes.
import { setImmediate } from "node:timers/promises";

/** Items tested between two turns of the event loop: a few milliseconds of filter work at most. */
const itemsPerTurn = 1000;

/** Lets other requests' I/O callbacks run before going on. */
export function letOthersRun(): Promise<void> {
  return setImmediate();
}

/** The items that pass `test`, in order, with a turn of the event loop after each chunk. */
export async function filterYielding<T>(items: readonly T[], test: (item: T) => boolean): Promise<T[]> {
  const kept: T[] = [];
  for (let start = 0; start < items.length; start += itemsPerTurn) {
    if (start > 0) await letOthersRun();
    const end = Math.min(items.length, start + itemsPerTurn);
    for (let i = start; i < end; i++) if (test(items[i]!)) kept.push(items[i]!);
  }
  return kept;
}
