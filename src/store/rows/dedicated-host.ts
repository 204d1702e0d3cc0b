// The DedicatedHost table's one codec: an account's host, its settings and state (tags live in the Tag table).
import type { DedicatedHost } from "../../domain/dedicated-hosts.js";
import type { DedicatedHost as HostRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const hostColumns = new SqliteColumns<HostRow>("DedicatedHost", { dates: { allocatedAt: true, releasedAt: true }, booleans: {} });

export function hostToRow(host: DedicatedHost): HostRow {
  const { tags: _tags, instanceType, instanceFamily, releasedAt, clientToken, replacementHostId, ...rest } = host;
  return {
    ...rest,
    instanceType: instanceType ?? null,
    instanceFamily: instanceFamily ?? null,
    releasedAt: releasedAt ?? null,
    clientToken: clientToken ?? null,
    replacementHostId: replacementHostId ?? null,
  };
}

export function hostFromRow(row: HostRow, tags: DedicatedHost["tags"]): DedicatedHost {
  const { instanceType, instanceFamily, releasedAt, clientToken, replacementHostId, ...rest } = row;
  return {
    ...rest,
    autoPlacement: rest.autoPlacement as DedicatedHost["autoPlacement"],
    hostRecovery: rest.hostRecovery as DedicatedHost["hostRecovery"],
    hostMaintenance: rest.hostMaintenance as DedicatedHost["hostMaintenance"],
    state: rest.state as DedicatedHost["state"],
    ...(instanceType ? { instanceType } : {}),
    ...(instanceFamily ? { instanceFamily } : {}),
    ...(releasedAt ? { releasedAt } : {}),
    ...(clientToken ? { clientToken } : {}),
    ...(replacementHostId ? { replacementHostId } : {}),
    tags,
  };
}
