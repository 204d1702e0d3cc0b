// The placement groups' rules without a server: which servers the next instance avoids, which partition it takes,
// and when the group refuses the zone. test/instances/placement.test.ts checks the same through RunInstances.
import { describe, expect, it } from "vitest";
import { type GroupMember, type GroupPlacement, nextGroupSlot, spreadLimitPerZone } from "../../src/domain/placement.js";

const member = (serverId: string, availabilityZone = "us-east-1a", partitionNumber: number | null = null): GroupMember => ({
  serverId,
  partitionNumber,
  availabilityZone,
});
const group = (strategy: GroupPlacement["strategy"], more: Partial<GroupPlacement> = {}): GroupPlacement => ({ groupId: "pg-1", strategy, ...more });

describe("nextGroupSlot", () => {
  it("leaves an instance without a group free to go anywhere", () => {
    expect(nextGroupSlot(undefined, [member("s1")], "us-east-1a")).toEqual({ excludeServers: [] });
  });

  it("keeps a cluster group to the zone its live instances run in", () => {
    expect(nextGroupSlot(group("cluster"), [member("s1", "us-east-1b")], "us-east-1a")).toEqual({ refused: "cluster-zone" });
    expect(nextGroupSlot(group("cluster"), [member("s1")], "us-east-1a")).toEqual({ excludeServers: [] });
  });

  it("puts each instance of a spread group on its own server, up to the limit per zone", () => {
    const members = [member("s1"), member("s2"), member("s9", "us-east-1b")];
    expect(nextGroupSlot(group("spread"), members, "us-east-1a")).toEqual({ excludeServers: ["s1", "s2"] });
    const full = Array.from({ length: spreadLimitPerZone }, (_, i) => member(`s${i}`));
    expect(nextGroupSlot(group("spread"), full, "us-east-1a")).toEqual({ refused: "spread-limit" });
    expect(nextGroupSlot(group("spread"), full, "us-east-1b")).toEqual({ excludeServers: [] });
  });

  it("gives a partition group's instance the least used partition, away from the others' servers", () => {
    const members = [member("s1", "us-east-1a", 1), member("s2", "us-east-1a", 2), member("s3", "us-east-1a", 1), member("s4", "us-east-1b", 3)];
    expect(nextGroupSlot(group("partition", { partitionCount: 3 }), members, "us-east-1a")).toEqual({ excludeServers: ["s1", "s2", "s3"], partitionNumber: 3 });
    expect(nextGroupSlot(group("partition", { partitionCount: 3, partitionNumber: 1 }), members, "us-east-1a")).toEqual({
      excludeServers: ["s2"],
      partitionNumber: 1,
    });
    expect(nextGroupSlot(group("partition"), [], "us-east-1a")).toEqual({ excludeServers: [], partitionNumber: 1 });
  });
});
