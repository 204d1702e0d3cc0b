// The SpotInstanceRequest table's one codec (domain/spot.ts): the footprint is four columns, absent fields NULL.
import type { SpotRequest } from "../../domain/spot.js";
import type { SpotInstanceRequest as SpotRequestRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const spotRequestColumns = new SqliteColumns<SpotRequestRow>("SpotInstanceRequest", {
  dates: { statusUpdatedAt: true, createdAt: true, validFrom: true, validUntil: true, noticeAt: true, actionAt: true },
  booleans: { wholeServer: true, fromRunInstances: true },
});

/** The columns of a request, or of the part of one that changes; a field set to undefined clears its column. */
export function spotRequestToRow(data: Partial<SpotRequest>): Partial<SpotRequestRow> {
  const { footprint, ...rest } = data;
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) row[key] = value ?? null;
  if (footprint) Object.assign(row, { vCpus: footprint.vCpus, cores: footprint.cores, memoryMiB: footprint.memoryMiB, wholeServer: footprint.wholeServer });
  return row as Partial<SpotRequestRow>;
}

export function spotRequestFromRow(row: SpotRequestRow): SpotRequest {
  const { vCpus, cores, memoryMiB, wholeServer, ...rest } = row;
  const request: Record<string, unknown> = { footprint: { vCpus, cores, memoryMiB, wholeServer } };
  for (const [key, value] of Object.entries(rest)) if (value !== null) request[key] = value;
  return request as unknown as SpotRequest;
}
