// Dedicated Host capacities on the default fleet, as AWS documents them (docs/fleet.md, "Dedicated Hosts"): a host
// is its family's configuration (sockets, cores, vCPUs), whatever server of the zone holds it.
import { AllocateHostsCommand, DescribeHostsCommand, type Host, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();

async function allocate(request: { InstanceType?: string; InstanceFamily?: string }): Promise<Host> {
  const { HostIds } = await ec2().send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", Quantity: 1, ...request }));
  return (await ec2().send(new DescribeHostsCommand({ HostIds }))).Hosts![0]!;
}

const totals = (host: Host) => Object.fromEntries(host.AvailableCapacity!.AvailableInstanceCapacity!.map((c) => [c.InstanceType!, c.TotalCapacity!]));

describe("Dedicated Host capacities", () => {
  it("an m5.large host is the documented M5 host: 2 sockets, 48 cores, 96 vCPUs, 48 m5.large", async () => {
    const host = await allocate({ InstanceType: "m5.large" });
    expect(host.HostProperties).toMatchObject({ Sockets: 2, Cores: 48, TotalVCpus: 96, InstanceType: "m5.large" });
    expect(host.AvailableCapacity).toEqual({
      AvailableVCpus: 96,
      AvailableInstanceCapacity: [{ InstanceType: "m5.large", AvailableCapacity: 48, TotalCapacity: 48 }],
    });
  });

  it("an m5 family host lists every virtualized size by cores, and no .metal", async () => {
    const host = await allocate({ InstanceFamily: "m5" });
    expect(host.HostProperties).toMatchObject({ Sockets: 2, Cores: 48, TotalVCpus: 96, InstanceFamily: "m5" });
    expect(totals(host)).toEqual({
      "m5.large": 48,
      "m5.xlarge": 24,
      "m5.2xlarge": 12,
      "m5.4xlarge": 6,
      "m5.8xlarge": 3,
      "m5.12xlarge": 2,
      "m5.16xlarge": 1,
      "m5.24xlarge": 1,
    });
  });

  it("a T3 host takes AWS's per-size counts: 192 nano to medium, 96 large, 48 xlarge, 24 2xlarge", async () => {
    const host = await allocate({ InstanceFamily: "t3" });
    expect(host.HostProperties).toMatchObject({ Cores: 48, InstanceFamily: "t3" });
    expect(totals(host)).toEqual({
      "t3.nano": 192,
      "t3.micro": 192,
      "t3.small": 192,
      "t3.medium": 192,
      "t3.large": 96,
      "t3.xlarge": 48,
      "t3.2xlarge": 24,
    });
  });

  it("an R5 host holds at most 2 r5.8xlarge, though its cores would fit 3", async () => {
    const host = await allocate({ InstanceFamily: "r5" });
    expect(totals(host)["r5.8xlarge"]).toBe(2);
    const launch = (min: number, max: number) =>
      ec2().send(
        new RunInstancesCommand({
          ImageId: shared.images.al2Ena,
          InstanceType: "r5.8xlarge",
          MinCount: min,
          MaxCount: max,
          Placement: { HostId: host.HostId },
        }),
      );
    await expect(launch(3, 3)).rejects.toMatchObject({ name: "InsufficientCapacityOnHost" });
    expect((await launch(1, 3)).Instances).toHaveLength(2);
    const after = (await ec2().send(new DescribeHostsCommand({ HostIds: [host.HostId!] }))).Hosts![0]!;
    const left = Object.fromEntries(after.AvailableCapacity!.AvailableInstanceCapacity!.map((c) => [c.InstanceType!, c.AvailableCapacity!]));
    // 32 of 48 cores used: the rest takes smaller sizes, and no third r5.8xlarge.
    expect(left).toMatchObject({ "r5.8xlarge": 0, "r5.4xlarge": 2, "r5.large": 16 });
    await expect(launch(1, 1)).rejects.toMatchObject({ name: "InsufficientCapacityOnHost" });
  });

  it("a C5 family host never offers the sizes without Dedicated Host support (c5.24xlarge, c5.metal)", async () => {
    const host = await allocate({ InstanceFamily: "c5" });
    expect(Object.keys(totals(host))).not.toContain("c5.24xlarge");
    expect(Object.keys(totals(host))).not.toContain("c5.metal");
    expect(Object.keys(totals(host))).toContain("c5.large");
    for (const type of ["c5.24xlarge", "c5.metal", "m4.16xlarge"]) {
      await expect(allocate({ InstanceType: type })).rejects.toMatchObject({ name: "InvalidParameterValue" });
    }
  });

  it("a .metal host is one instance that fills the whole host", async () => {
    const host = await allocate({ InstanceType: "m5.metal" });
    expect(host.HostProperties).toMatchObject({ Sockets: 2, Cores: 48, TotalVCpus: 96 });
    expect(totals(host)).toEqual({ "m5.metal": 1 });
  });
});
