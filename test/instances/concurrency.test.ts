// Many parallel RunInstances against a small fleet: no server ends over capacity, and every accepted instance is
// stored exactly once, on a server whose used capacity accounts for it.
import { DescribeInstancesCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

const server = testServer(() => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  // One zone's worth of room: 3 Nitro servers of 16 vCPUs in each us-east-1 zone = 24 m5.large per zone.
  writeFileSync(
    fleetFile,
    JSON.stringify({
      only: ["us-east-1a"],
      classes: [
        {
          name: "tiny-nitro",
          hypervisor: "nitro",
          architecture: "x86_64",
          sockets: 1,
          coresPerSocket: 8,
          threadsPerCore: 2,
          memoryGiB: 128,
          perZone: 3,
          families: ["*"],
        },
      ],
    }),
  );
  return { MINI_EC2_FLEET_FILE: fleetFile };
});

it("never overcommits a server under 60 concurrent launches", async () => {
  const { al2Ena } = await amazonImageIds(server.ec2());
  const clients = Array.from({ length: 6 }, () => server.ec2());
  const attempts = await Promise.allSettled(
    Array.from({ length: 60 }, (_, i) =>
      clients[i % clients.length]!.send(
        new RunInstancesCommand({
          ImageId: al2Ena,
          InstanceType: "m5.large",
          MinCount: 1,
          MaxCount: i % 3 === 0 ? 2 : 1,
          Placement: { AvailabilityZone: "us-east-1a" },
        }),
      ),
    ),
  );
  const accepted = attempts.flatMap((a) => (a.status === "fulfilled" ? a.value.Instances! : []));
  const refused = attempts.flatMap((a) => (a.status === "rejected" ? [a.reason as Error] : []));
  expect(accepted).toHaveLength(24);
  expect(new Set(refused.map((e) => e.name))).toEqual(new Set(["InsufficientInstanceCapacity"]));

  const { Reservations = [] } = await server.ec2().send(new DescribeInstancesCommand({}));
  const stored = Reservations.flatMap((r) => r.Instances ?? [])
    .map((i) => i.InstanceId)
    .sort();
  expect(stored).toEqual(accepted.map((i) => i.InstanceId).sort());

  // The store's own view: used capacity equals what the stored instances take, and never exceeds a server.
  const rows = await server.store.prisma.server.findMany({ where: { availabilityZone: "us-east-1a" } });
  for (const row of rows) {
    const onIt = await server.store.prisma.instance.count({ where: { serverId: row.serverId } });
    expect(row.freeVCpus).toBeGreaterThanOrEqual(0);
    expect(row.totalVCpus - row.freeVCpus).toBe(onIt * 2);
    expect(row.instanceCount).toBe(onIt);
  }
});
