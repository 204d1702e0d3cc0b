// The Server table's one codec: a server of the simulated fleet and the capacity left on it.
import type { Server } from "../../domain/fleet.js";
import type { Server as ServerRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const serverColumns = new SqliteColumns<ServerRow>("Server", { dates: {}, booleans: {} });

export function serverToRow(server: Server): ServerRow {
  const { dedicatedHostId, ...rest } = server;
  return { ...rest, dedicatedHostId: dedicatedHostId ?? null };
}

export function serverFromRow(row: ServerRow): Server {
  const { dedicatedHostId, ...rest } = row;
  return { ...rest, hypervisor: rest.hypervisor as Server["hypervisor"], ...(dedicatedHostId ? { dedicatedHostId } : {}) };
}
