// A migration holds capacity on both servers until its switchover: a launch racing it for the last room of the
// zone cannot overcommit either server. Real delays on a clock only AdvanceClock moves, so the migration stays in
// progress while the launch runs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { startTestServer, type TestServer } from "../support/server.js";

// One zone, two servers of 96 vCPUs: 48 m5.large each.
const fleet = {
  only: ["us-east-1a"],
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
  ],
};
let server: TestServer;
let imageId: string;
const now = Date.now();
beforeAll(async () => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(fleet));
  server = await startTestServer({ MINI_EC2_FLEET_FILE: fleetFile, MINI_EC2_DELAYS: "real" }, { now: () => new Date(now) });
  imageId = (await amazonImageIds(server.ec2())).al2Ena;
});
afterAll(() => server?.stop());

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);
const launch = (count: number) =>
  server
    .ec2()
    .send(
      new RunInstancesCommand({ ImageId: imageId, InstanceType: "m5.large", MinCount: count, MaxCount: count, Placement: { AvailabilityZone: "us-east-1a" } }),
    );

describe("capacity during a migration", () => {
  it("lets exactly one of a migration and a launch take the zone's last room, and overcommits no server", async () => {
    const full = (await launch(48)).Instances!.map((i) => i.InstanceId!);
    await launch(47);
    await advanceClock(server.url, 10);
    const outcomes = await Promise.allSettled([extension(server.url, "MigrateInstance", { InstanceId: full[0]!, Strategy: "pre-copy" }), launch(1)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.name).toBe("InsufficientInstanceCapacity");

    const servers = list<any>((await extension(server.url, "DescribeFleet", {})).serverSet);
    expect(servers.map((s) => Number(s.usedVCpus))).toEqual([96, 96]);
    // 96 guests, one of them (if it is moving) counted on both servers until the switchover.
    const placed = servers.reduce((sum, s) => sum + list(s.instanceSet).length, 0);
    expect(placed).toBe(outcomes[1]!.status === "fulfilled" ? 96 : 95);
  });
});
