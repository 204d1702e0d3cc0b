// The InstanceEvent table's one codec: a scheduled event of an instance (domain/instance-events.ts).
import type { EventCode, InstanceEvent } from "../../domain/instance-events.js";
import type { InstanceEvent as EventRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const eventColumns = new SqliteColumns<EventRow>("InstanceEvent", {
  dates: { notBefore: true, notAfter: true, notBeforeDeadline: true, createdAt: true, completedAt: true },
  booleans: {},
});

export function eventToRow(event: InstanceEvent): EventRow {
  return { ...event, notAfter: event.notAfter ?? null, notBeforeDeadline: event.notBeforeDeadline ?? null, completedAt: event.completedAt ?? null };
}

export function eventFromRow(row: EventRow): InstanceEvent {
  const { notAfter, notBeforeDeadline, completedAt, code, ...rest } = row;
  return {
    ...rest,
    code: code as EventCode,
    ...(notAfter ? { notAfter } : {}),
    ...(notBeforeDeadline ? { notBeforeDeadline } : {}),
    ...(completedAt ? { completedAt } : {}),
  };
}
