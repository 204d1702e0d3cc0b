// Where a placement group lets its next instance go, as EC2 rules it: a cluster group keeps to one zone, a spread
// group puts each instance on its own server and at most seven in a zone, a partition group keeps its partitions
// on separate servers. Pure: the store reads the group's live members and runs the placement in the launch's
// transaction, asking this module at each instance.
import type { Instance } from "./instances.js";

/** The placement group of a launch, with the partition the caller asked for, if any. */
export interface GroupPlacement {
  groupId: string;
  strategy: "cluster" | "spread" | "partition";
  partitionCount?: number;
  partitionNumber?: number;
}

/** A pending or running instance of the group, or one placed earlier in the same launch. */
export interface GroupMember {
  serverId: string | null;
  partitionNumber: number | null;
  availabilityZone: string;
}

/** Why a launch placed fewer than MinCount instances. */
export type ShortfallCause = "capacity" | "spread-limit" | "cluster-zone";

export type LaunchOutcome =
  | { kind: "launched"; instances: Instance[] }
  | { kind: "replayed"; instances: Instance[] }
  | { kind: "short"; placedAtBest: number; zone?: string; cause: ShortfallCause };

/** A spread group runs at most this many instances per zone. */
export const spreadLimitPerZone = 7;

/** Where the group's next instance may go in a zone, or the rule that refuses it one. */
export type GroupSlot = { excludeServers: string[]; partitionNumber?: number } | { refused: Exclude<ShortfallCause, "capacity"> };

/** The group's next instance in `zone`. `members` includes those this launch has placed so far. */
export function nextGroupSlot(group: GroupPlacement | undefined, members: readonly GroupMember[], zone: string): GroupSlot {
  if (!group) return { excludeServers: [] };
  const inZone = members.filter((member) => member.availabilityZone === zone);
  switch (group.strategy) {
    case "cluster":
      // One zone for the whole group: the first live instance chose it.
      return members.length > inZone.length ? { refused: "cluster-zone" } : { excludeServers: [] };
    case "spread":
      if (inZone.length >= spreadLimitPerZone) return { refused: "spread-limit" };
      return { excludeServers: serversOf(inZone) };
    case "partition": {
      const partitionNumber = group.partitionNumber ?? leastUsedPartition(inZone, group.partitionCount ?? 2);
      return { excludeServers: serversOf(inZone.filter((member) => member.partitionNumber !== partitionNumber)), partitionNumber };
    }
  }
}

/** The partition with the fewest of the zone's members (the lowest number on a tie). */
function leastUsedPartition(inZone: readonly GroupMember[], count: number): number {
  const used = Array.from({ length: count }, (_, i) => inZone.filter((member) => member.partitionNumber === i + 1).length);
  return used.indexOf(Math.min(...used)) + 1;
}

function serversOf(members: readonly GroupMember[]): string[] {
  return members.flatMap((member) => (member.serverId ? [member.serverId] : []));
}
