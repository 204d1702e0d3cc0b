// Placement onto the simulated fleet: capacity, Dedicated Hosts, placement groups, and the fleet view. A small
// fleet (test/fixtures/small-fleet.json) makes the limits reachable.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AllocateHostsCommand,
  CreatePlacementGroupCommand,
  DeletePlacementGroupCommand,
  DescribeHostsCommand,
  DescribeInstancesCommand,
  DescribePlacementGroupsCommand,
  ModifyHostsCommand,
  ReleaseHostsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

let images: Awaited<ReturnType<typeof amazonImageIds>>;
const ec2 = () => server.ec2();

// Per zone of us-east-1 only: two Nitro servers of 96 vCPUs (2 × 24 cores × 2 threads) and one Xen server.
const smallFleet = {
  only: ["us-east-1"],
  classes: [
    {
      name: "nitro-x86",
      hypervisor: "nitro",
      architecture: "x86_64",
      sockets: 2,
      coresPerSocket: 24,
      threadsPerCore: 2,
      memoryGiB: 384,
      perZone: 2,
      families: ["*"],
    },
    {
      name: "xen-gen2",
      hypervisor: "xen",
      architecture: "x86_64",
      sockets: 2,
      coresPerSocket: 18,
      threadsPerCore: 2,
      memoryGiB: 768,
      perZone: 1,
      families: ["t2", "m4", "c4", "m3", "c3", "t1", "m1"],
    },
  ],
};

const server = testServer(() => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(smallFleet));
  return { MINI_EC2_FLEET_FILE: fleetFile };
});
beforeAll(async () => {
  images = await amazonImageIds(ec2());
});

async function fleetServers(zone: string) {
  const result = await extension(server.url, "DescribeFleet", { AvailabilityZone: zone });
  const items = result.serverSet?.item ?? [];
  return Array.isArray(items) ? items : [items];
}

describe("capacity", () => {
  it("launches up to MaxCount where capacity allows, and nothing when MinCount cannot be met", async () => {
    // 2 servers × 96 vCPUs = 48 m5.4xlarge? No: m5.4xlarge takes 16 vCPUs, so 6 per server, 12 in the zone.
    const partial = await ec2().send(
      new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.4xlarge", MinCount: 1, MaxCount: 20, Placement: { AvailabilityZone: "us-east-1b" } }),
    );
    expect(partial.Instances).toHaveLength(12);
    const servers = await fleetServers("us-east-1b");
    expect(servers.filter((s: any) => s.hostClass === "nitro-x86").map((s: any) => Number(s.usedVCpus))).toEqual([96, 96]);

    const none = await ec2()
      .send(
        new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1b" } }),
      )
      .catch((e) => e);
    expect(none.name).toBe("InsufficientInstanceCapacity");
    expect(none.$metadata.httpStatusCode).toBe(500);
    expect(none.message).toMatch(
      /^We currently do not have sufficient m5.large capacity in the Availability Zone you requested \(us-east-1b\)\. Our system will be working on provisioning additional capacity\. You can currently get m5.large capacity by not specifying an Availability Zone in your request or choosing us-east-1a/,
    );

    await ec2().send(new TerminateInstancesCommand({ InstanceIds: partial.Instances!.map((i) => i.InstanceId!) }));
    const freed = await fleetServers("us-east-1b");
    expect(freed.filter((s: any) => s.hostClass === "nitro-x86").map((s: any) => Number(s.usedVCpus))).toEqual([0, 0]);
  });

  it("rolls back a launch that cannot reach MinCount: no instance stored, no capacity held", async () => {
    const refused = await ec2()
      .send(
        new RunInstancesCommand({
          ImageId: images.al2Ena,
          InstanceType: "m5.4xlarge",
          MinCount: 13,
          MaxCount: 13,
          Placement: { AvailabilityZone: "us-east-1c" },
        }),
      )
      .catch((e) => e);
    expect(refused.name).toBe("InsufficientInstanceCapacity");
    const servers = await fleetServers("us-east-1c");
    expect(servers.every((s: any) => Number(s.usedVCpus) === 0)).toBe(true);
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: "availability-zone", Values: ["us-east-1c"] }] }));
    expect(Reservations).toEqual([]);
  });

  it("packs best-fit: the fuller server takes the next instance", async () => {
    await ec2().send(
      new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.large", MinCount: 3, MaxCount: 3, Placement: { AvailabilityZone: "us-east-1d" } }),
    );
    const used = (await fleetServers("us-east-1d")).filter((s: any) => s.hostClass === "nitro-x86").map((s: any) => Number(s.usedVCpus));
    expect(used.sort()).toEqual([0, 6]);
  });

  it("packs best-fit across host classes: the eligible server with the fewest free vCPUs wins, whatever its class", async () => {
    // In us-east-1c an m5.large (Nitro only) leaves a Nitro server 94 vCPUs free; the Xen server has 72.
    await ec2().send(
      new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1c" } }),
    );
    // A t2.micro may go to either class; the Xen server, with fewer free vCPUs, takes both.
    await ec2().send(
      new RunInstancesCommand({ ImageId: images.hvmNoEna, InstanceType: "t2.micro", MinCount: 2, MaxCount: 2, Placement: { AvailabilityZone: "us-east-1c" } }),
    );
    const servers = await fleetServers("us-east-1c");
    const used = (hostClass: string) =>
      servers
        .filter((s: any) => s.hostClass === hostClass)
        .map((s: any) => Number(s.usedVCpus))
        .sort();
    // A t2.micro's 1 vCPU takes a quarter of a thread on a shared server (burstable oversubscription, docs/fleet.md).
    expect({ nitro: used("nitro-x86"), xen: used("xen-gen2") }).toEqual({ nitro: [0, 2], xen: [0.5] });
  });
});

describe("Dedicated Hosts", () => {
  it("allocates an m5.large host with 48 slots, launches onto it, and releases it only when empty", async () => {
    const { HostIds } = await ec2().send(
      new AllocateHostsCommand({ AvailabilityZone: "us-east-1f", InstanceType: "m5.large", Quantity: 1, AutoPlacement: "on" }),
    );
    const hostId = HostIds![0]!;
    const described = await ec2().send(new DescribeHostsCommand({ HostIds: [hostId] }));
    expect(described.Hosts![0]).toMatchObject({
      HostId: hostId,
      State: "available",
      AutoPlacement: "on",
      HostProperties: { Cores: 48, Sockets: 2, TotalVCpus: 96, InstanceType: "m5.large" },
      AvailableCapacity: { AvailableVCpus: 96, AvailableInstanceCapacity: [{ InstanceType: "m5.large", AvailableCapacity: 48, TotalCapacity: 48 }] },
    });

    const wrongType = await ec2()
      .send(new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.xlarge", MinCount: 1, MaxCount: 1, Placement: { HostId: hostId } }))
      .catch((e) => e);
    expect(wrongType.name).toBe("InvalidParameterValue");

    const { Instances } = await ec2().send(
      new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.large", MinCount: 2, MaxCount: 2, Placement: { Tenancy: "host" } }),
    );
    expect(Instances!.map((i) => i.Placement)).toEqual([
      expect.objectContaining({ HostId: hostId, Tenancy: "host" }),
      expect.objectContaining({ HostId: hostId }),
    ]);
    const after = await ec2().send(new DescribeHostsCommand({ HostIds: [hostId] }));
    expect(after.Hosts![0]!.AvailableCapacity!.AvailableInstanceCapacity![0]!.AvailableCapacity).toBe(46);
    expect(after.Hosts![0]!.Instances).toHaveLength(2);

    const busy = await ec2().send(new ReleaseHostsCommand({ HostIds: [hostId] }));
    expect(busy.Unsuccessful![0]!.ResourceId).toBe(hostId);
    // An occupied host keeps its type; an empty one changes within its family, never out of it.
    const occupied = await ec2().send(new ModifyHostsCommand({ HostIds: [hostId], InstanceType: "m5.xlarge" }));
    expect(occupied).toMatchObject({ Successful: [], Unsuccessful: [{ ResourceId: hostId, Error: { Code: "Client.InvalidHost.Occupied" } }] });
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: Instances!.map((i) => i.InstanceId!) }));
    const otherFamily = await ec2().send(new ModifyHostsCommand({ HostIds: [hostId], InstanceType: "c5.large" }));
    expect(otherFamily.Unsuccessful![0]!.Error).toMatchObject({ Code: "InvalidParameterValue", Message: expect.stringContaining("m5 hardware") });
    expect(await ec2().send(new ModifyHostsCommand({ HostIds: [hostId], InstanceType: "m5.xlarge" }))).toMatchObject({
      Successful: [hostId],
      Unsuccessful: [],
    });
    expect((await ec2().send(new DescribeHostsCommand({ HostIds: [hostId] }))).Hosts![0]!.HostProperties!.InstanceType).toBe("m5.xlarge");
    await ec2().send(new ModifyHostsCommand({ HostIds: [hostId], InstanceFamily: "m5" }));
    const family = (await ec2().send(new DescribeHostsCommand({ HostIds: [hostId] }))).Hosts![0]!;
    expect(family.HostProperties).toMatchObject({ InstanceFamily: "m5" });
    expect(family.HostProperties!.InstanceType).toBeUndefined();
    const released = await ec2().send(new ReleaseHostsCommand({ HostIds: [hostId] }));
    expect(released.Successful).toEqual([hostId]);
    expect((await ec2().send(new DescribeHostsCommand({ HostIds: [hostId] }))).Hosts![0]!.State).toBe("released");
  });

  it("answers InsufficientHostCapacity when the zone has no empty server left, and refuses types without host support", async () => {
    const tooMany = await ec2()
      .send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "c5.large", Quantity: 3 }))
      .catch((e) => e);
    expect(tooMany.name).toBe("InsufficientHostCapacity");
    expect(tooMany.$metadata.httpStatusCode).toBe(500);
    const t2 = await ec2()
      .send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "t2.micro", Quantity: 1 }))
      .catch((e) => e);
    expect(t2.name).toBe("InvalidParameterValue");
    const both = await ec2()
      .send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", InstanceFamily: "m5", Quantity: 1 }))
      .catch((e) => e);
    expect(both.message).toBe("You cannot specify InstanceFamily and InstanceType in the same request.");
  });
});

describe("placement groups", () => {
  it("keeps a spread group to 7 instances per zone, each on its own server", async () => {
    await ec2().send(new CreatePlacementGroupCommand({ GroupName: "spread-web", Strategy: "spread" }));
    const duplicate = await ec2()
      .send(new CreatePlacementGroupCommand({ GroupName: "spread-web", Strategy: "spread" }))
      .catch((e) => e);
    expect(duplicate.name).toBe("InvalidPlacementGroup.Duplicate");
    // The small fleet has 2 Nitro servers in a zone, so a spread group fits 2 there.
    const launched = await ec2().send(
      new RunInstancesCommand({
        ImageId: images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 1,
        MaxCount: 5,
        Placement: { GroupName: "spread-web", AvailabilityZone: "us-east-1a" },
      }),
    );
    expect(launched.Instances).toHaveLength(2);
    expect(launched.Instances![0]!.Placement!.GroupName).toBe("spread-web");
    const inUse = await ec2()
      .send(new DeletePlacementGroupCommand({ GroupName: "spread-web" }))
      .catch((e) => e);
    expect(inUse.name).toBe("InvalidPlacementGroup.InUse");
  });

  it("refuses burstable types in a cluster group, and unknown groups", async () => {
    await ec2().send(new CreatePlacementGroupCommand({ GroupName: "hpc", Strategy: "cluster" }));
    const t2 = await ec2()
      .send(new RunInstancesCommand({ ImageId: images.hvmNoEna, InstanceType: "t2.micro", MinCount: 1, MaxCount: 1, Placement: { GroupName: "hpc" } }))
      .catch((e) => e);
    expect(t2.name).toBe("InvalidParameterCombination");
    expect(t2.message).toBe("Placement groups may not be used with instances of type 't2.micro'.");
    const unknown = await ec2()
      .send(new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { GroupName: "nope" } }))
      .catch((e) => e);
    expect(unknown.name).toBe("InvalidPlacementGroup.Unknown");
    expect(unknown.message).toBe("The Placement Group 'nope' is unknown.");
  });

  it("creates partition groups of at most 7 partitions", async () => {
    const eight = await ec2()
      .send(new CreatePlacementGroupCommand({ GroupName: "p8", Strategy: "partition", PartitionCount: 8 }))
      .catch((e) => e);
    expect(eight.name).toBe("InvalidParameterValue");
    const { PlacementGroup } = await ec2().send(new CreatePlacementGroupCommand({ GroupName: "p3", Strategy: "partition", PartitionCount: 3 }));
    expect(PlacementGroup).toMatchObject({ GroupName: "p3", Strategy: "partition", PartitionCount: 3, State: "available" });
    const { PlacementGroups } = await ec2().send(new DescribePlacementGroupsCommand({ Filters: [{ Name: "strategy", Values: ["partition"] }] }));
    expect(PlacementGroups!.map((g) => g.GroupName)).toEqual(["p3"]);
  });
});

describe("ExplainLaunch", () => {
  it("lists every rule with its outcome, and names the rule that refuses", async () => {
    const result = await extension(server.url, "ExplainLaunch", { ImageId: images.pvX86, InstanceType: "c5.large" });
    expect(result.launchable).toBe(false);
    const checks = result.checkSet.item as Array<{ ruleId: string; outcome: string; errorCode?: string; fix?: string }>;
    const pv = checks.find((c) => c.ruleId === "virtualization-pv-needs-pv-type")!;
    expect(pv.outcome).toBe("failed");
    expect(pv.errorCode).toBe("InvalidParameterCombination");
    expect(pv.fix).toContain("m3");
    expect(checks.find((c) => c.ruleId === "architecture-match")!.outcome).toBe("passed");

    const nitro = await extension(server.url, "ExplainLaunch", { ImageId: images.debianNoNvme, InstanceType: "m5.large" });
    expect(nitro.launchable).toBe(true);
    expect(nitro.wouldBoot).toBe(false);
    const warnings = (nitro.checkSet.item as Array<{ ruleId: string; outcome: string }>).filter((c) => c.outcome === "warning").map((c) => c.ruleId);
    expect(warnings).toEqual(["guest-nvme-on-nitro", "guest-fstab-on-nitro"]);
  });
});
