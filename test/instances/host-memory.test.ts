// A Dedicated Host holds what fits in both its cores and its memory: on a fleet whose servers run out of memory
// before cores, DescribeHosts counts the memory, and the host takes no more instances than it reports.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AllocateHostsCommand, DescribeHostsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, expect, it } from "vitest";
import { amazonImageIds } from "../support/images.js";
import { startTestServer, type TestServer } from "../support/server.js";

// 48 cores but 64 GiB: eight m5.large (8 GiB each) fill the memory while 40 cores stay free.
const memoryBoundFleet = {
  only: ["us-east-1"],
  classes: [
    {
      name: "nitro-x86",
      hypervisor: "nitro",
      architecture: "x86_64",
      sockets: 2,
      coresPerSocket: 24,
      threadsPerCore: 2,
      memoryGiB: 64,
      perZone: 1,
      families: ["*"],
    },
  ],
};

let server: TestServer;
beforeAll(async () => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(memoryBoundFleet));
  server = await startTestServer({ MINI_EC2_FLEET_FILE: fleetFile });
});
afterAll(() => server.stop());

it("reports the capacity memory allows, and refuses the instance that would overcommit it", async () => {
  const ec2 = server.ec2();
  const { al2Ena } = await amazonImageIds(ec2);
  const { HostIds } = await ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 1 }));
  const hostId = HostIds![0]!;
  const capacity = async () => (await ec2.send(new DescribeHostsCommand({ HostIds: [hostId] }))).Hosts![0]!.AvailableCapacity!.AvailableInstanceCapacity![0];
  expect(await capacity()).toEqual({ InstanceType: "m5.large", AvailableCapacity: 8, TotalCapacity: 8 });

  const launch = (count: number) =>
    ec2.send(new RunInstancesCommand({ ImageId: al2Ena, InstanceType: "m5.large", MinCount: count, MaxCount: count, Placement: { HostId: hostId } }));
  expect((await launch(8)).Instances).toHaveLength(8);
  expect(await capacity()).toEqual({ InstanceType: "m5.large", AvailableCapacity: 0, TotalCapacity: 8 });
  await expect(launch(1)).rejects.toMatchObject({ name: "InsufficientCapacityOnHost" });
});
