// Burstable guests packed as AWS packs its T3 hosts (4 t3.micro vCPUs to a thread), seen through the SDK and
// GetInstanceMetrics: a server of 4 threads takes 8 t3.micro (16 vCPUs); while they idle nobody steals, when all
// burst at 100% (unlimited mode: not throttled) each gets a quarter of what it asks. An m5 next to them keeps its
// pinned threads. One small Nitro server per zone and a wall clock that stands still (only AdvanceClock moves time).
import { RunInstancesCommand, type _InstanceType } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { advanceClock, extension } from "../support/extensions.js";
import { writeFleetFile } from "../support/fleet-file.js";
import { amazonImageIds } from "../support/images.js";
import { startTestServer, type TestServer } from "../support/server.js";

const fleet = {
  only: ["us-east-1"],
  classes: [
    {
      name: "nitro-x86",
      hypervisor: "nitro",
      architecture: "x86_64",
      sockets: 1,
      coresPerSocket: 2,
      threadsPerCore: 2,
      memoryGiB: 64,
      perZone: 1,
      families: ["*"],
    },
  ],
};

let server: TestServer;
let images: Awaited<ReturnType<typeof amazonImageIds>>;
const wallClock = Date.now();

beforeAll(async () => {
  server = await startTestServer({ MINI_EC2_FLEET_FILE: writeFleetFile(fleet), MINI_EC2_DELAYS: "real" }, { now: () => new Date(wallClock) });
  images = await amazonImageIds(server.ec2());
});
afterAll(() => server?.stop());

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);

async function launch(instanceType: string, count: number, zone: string): Promise<string[]> {
  const { Instances } = await server.ec2().send(
    new RunInstancesCommand({
      ImageId: images.al2Ena,
      InstanceType: instanceType as _InstanceType,
      MinCount: count,
      MaxCount: count,
      Placement: { AvailabilityZone: zone },
      CreditSpecification: instanceType.startsWith("t3.") ? { CpuCredits: "unlimited" } : undefined,
    }),
  );
  return Instances!.map((instance) => instance.InstanceId!);
}

async function virtualNow(): Promise<number> {
  return Date.parse((await extension(server.url, "AdvanceClock", { Seconds: "0" })).now);
}

/** CPUStealPercent of one instance over [from, from + 10 min), one 10-minute period. */
async function steal(instanceId: string, from: number): Promise<number[]> {
  const answer = await extension(server.url, "GetInstanceMetrics", {
    InstanceId: instanceId,
    StartTime: new Date(from).toISOString(),
    EndTime: new Date(from + 600_000).toISOString(),
    Period: "600",
    "MetricName.1": "CPUStealPercent",
  });
  const [result] = list<any>(answer.metricDataResultSet);
  return list<string>(result.valueSet).map(Number);
}

/** Every guest idles for 10 minutes, then bursts at 100% for 10 minutes: the steal of each window, per guest. */
async function idleThenBurst(guests: string[]): Promise<{ idle: number[][]; burst: number[][] }> {
  const start = await virtualNow();
  await advanceClock(server.url, 600);
  for (const guest of guests) await extension(server.url, "SetInstanceWorkload", { InstanceId: guest, CpuPercent: "100" });
  await advanceClock(server.url, 600);
  return {
    idle: await Promise.all(guests.map((guest) => steal(guest, start))),
    burst: await Promise.all(guests.map((guest) => steal(guest, start + 600_000))),
  };
}

describe("burstable oversubscription", () => {
  it("a 4-thread server takes 8 t3.micro (4 vCPUs a thread); all bursting at once, each steals 75%", async () => {
    const guests = await launch("t3.micro", 8, "us-east-1a");
    // 16 vCPUs on 4 threads: the server is full, as a T3 host is with 192 t3.micro on 96 threads.
    const refused = await launch("t3.micro", 1, "us-east-1a").catch((error) => error);
    expect(refused.name).toBe("InsufficientInstanceCapacity");
    // DescribeFleet counts the threads taken, half a thread per t3.micro.
    const [fleetServer] = list<any>((await extension(server.url, "DescribeFleet", { AvailabilityZone: "us-east-1a" })).serverSet);
    expect([Number(fleetServer.usedVCpus), Number(fleetServer.totalVCpus), Number(fleetServer.instanceCount)]).toEqual([4, 4, 8]);

    const { idle, burst } = await idleThenBurst(guests);
    for (const values of idle) expect(values).toEqual([0]);
    // Demand 16 vCPUs on 4 threads: each gets 4/16 of what it asks, 100% - 25% is steal.
    for (const values of burst) {
      expect(values).toHaveLength(1);
      expect(values[0]).toBeCloseTo(75, 6);
    }
  });

  it("an m5 keeps its pinned threads: only the t3 guests sharing the rest steal", async () => {
    // The m5.large pins 2 threads; 4 t3.micro take the other 2 (8 vCPUs).
    const [pinned] = await launch("m5.large", 1, "us-east-1b");
    const first = await launch("t3.micro", 1, "us-east-1b");
    // Through the AWS CLI and the mini-ec2 model: the m5's 2 threads and half of one read back as 2.5.
    const fleetView = await aws(server.url, ["mini-ec2", "describe-fleet", "--availability-zone", "us-east-1b"]);
    expect(fleetView.code, fleetView.stderr).toBe(0);
    expect(fleetView.json.Servers.map((s: any) => s.UsedVCpus)).toEqual([2.5]);
    const burstable = [...first, ...(await launch("t3.micro", 3, "us-east-1b"))];
    const refused = await launch("t3.micro", 1, "us-east-1b").catch((error) => error);
    expect(refused.name).toBe("InsufficientInstanceCapacity");

    const { idle, burst } = await idleThenBurst([pinned!, ...burstable]);
    for (const values of idle) expect(values).toEqual([0]);
    expect(burst[0]).toEqual([0]);
    // 8 vCPUs of demand on the 2 threads the m5 leaves: 75% steal each.
    for (const values of burst.slice(1)) expect(values[0]).toBeCloseTo(75, 6);
  });
});
