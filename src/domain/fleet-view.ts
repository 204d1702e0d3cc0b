// What a caller may see of the shared fleet (DescribeFleet): every server, its size and its load, but of the guests
// and Dedicated Hosts on it only its own by id. Another account's instances and hosts are anonymous occupied
// capacity, as its resources are everywhere else (docs/security.md).
import type { Server } from "./fleet.js";

export interface Occupant {
  instanceId: string;
  accountId: string;
  instanceType: string;
  serverId: string;
}

export interface ServerView {
  server: Omit<Server, "dedicatedHostId">;
  /** The server is a Dedicated Host (of some account); its id only when it is the caller's. */
  dedicatedHost?: { hostId?: string };
  instances: Array<{ instanceId?: string; instanceType: string; ownedByCaller: boolean }>;
}

export function viewOfServer(server: Server, occupants: readonly Occupant[], callerAccountId: string, callerHostIds: ReadonlySet<string>): ServerView {
  const { dedicatedHostId, ...shown } = server;
  return {
    server: shown,
    ...(dedicatedHostId ? { dedicatedHost: callerHostIds.has(dedicatedHostId) ? { hostId: dedicatedHostId } : {} } : {}),
    instances: occupants
      .filter((occupant) => occupant.serverId === server.serverId)
      .map((occupant) =>
        occupant.accountId === callerAccountId
          ? { instanceId: occupant.instanceId, instanceType: occupant.instanceType, ownedByCaller: true }
          : { instanceType: occupant.instanceType, ownedByCaller: false },
      ),
  };
}
