// AdvanceClock (extension): moves the virtual clock forward and remembers where it stands across restarts.
import type { VirtualClock } from "../domain/clock.js";
import { type OperationTable, operation } from "../protocol/operation.js";

export interface ClockInput {
  Seconds: number;
}

export function clockOperations(clock: VirtualClock, persistOffset: (offsetMs: number) => Promise<void>): OperationTable {
  return {
    AdvanceClock: operation<ClockInput, { Now: Date; OffsetSeconds: number }>({
      async handle(input) {
        const now = clock.advance(input.Seconds * 1000);
        await persistOffset(clock.offset);
        return { Now: now, OffsetSeconds: clock.offset / 1000 };
      },
    }),
  };
}
