// The Server table's one codec: a server of the simulated fleet and the capacity left on it.
import type { Server, ServerState } from "../../domain/fleet.js";
import type { Server as ServerRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const serverColumns = new SqliteColumns<ServerRow>("Server", { dates: {}, booleans: {} });

export function serverToRow(server: Server): ServerRow {
  const { dedicatedHostId, state, ...rest } = server;
  return { ...rest, dedicatedHostId: dedicatedHostId ?? null, state: state ?? "available" };
}

export function serverFromRow(row: ServerRow): Server {
  const { dedicatedHostId, state, ...rest } = row;
  return { ...rest, hypervisor: rest.hypervisor as Server["hypervisor"], state: state as ServerState, ...(dedicatedHostId ? { dedicatedHostId } : {}) };
}
