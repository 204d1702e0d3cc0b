// GetInstanceMetrics (extension) through signed Query requests, the AWS CLI and the mini-ec2 CLI, on a small fleet
// with one server of each kind per zone (so a pair launched in a zone shares a server) and a wall clock that stands
// still: only AdvanceClock moves the simulation. A neighbour's disk load shows in a Xen victim's latency and dom0
// CPU, not on Nitro nor on a Dedicated Host; a t3.micro runs on credits.
import { AllocateHostsCommand, RunInstancesCommand, type RunInstancesCommandInput, StopInstancesCommand, type _InstanceType } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { miniEc2 } from "../support/cli.js";
import { advanceClock, extension } from "../support/extensions.js";
import { writeFleetFile } from "../support/fleet-file.js";
import { amazonImageIds } from "../support/images.js";
import { admin } from "../support/processes.js";
import { startTestServer, type TestServer } from "../support/server.js";

const server96 = { sockets: 2, coresPerSocket: 24, threadsPerCore: 2, memoryGiB: 384 };
const fleet = {
  only: ["us-east-1"],
  classes: [
    { name: "nitro-x86", hypervisor: "nitro", architecture: "x86_64", ...server96, perZone: 2, families: ["*"] },
    { name: "xen-gen2", hypervisor: "xen", architecture: "x86_64", ...server96, perZone: 2, families: ["t2", "m4"] },
  ],
};

let server: TestServer;
let images: Awaited<ReturnType<typeof amazonImageIds>>;
let other: { accessKeyId: string; secretAccessKey: string };
const wallClock = Date.now();

beforeAll(async () => {
  server = await startTestServer({ MINI_EC2_FLEET_FILE: writeFleetFile(fleet), MINI_EC2_DELAYS: "real" }, { now: () => new Date(wallClock) });
  images = await amazonImageIds(server.ec2());
  other = await admin(server.databaseUrl, "create-account", "--account-id", "111122223333");
});
afterAll(() => server?.stop());

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);

async function launch(instanceType: string, placement: RunInstancesCommandInput["Placement"], extra: Partial<RunInstancesCommandInput> = {}): Promise<string> {
  const { Instances } = await server.ec2().send(
    new RunInstancesCommand({
      ImageId: images.al2Ena,
      InstanceType: instanceType as _InstanceType,
      MinCount: 1,
      MaxCount: 1,
      Placement: placement,
      ...extra,
    }),
  );
  return Instances![0]!.InstanceId!;
}

async function virtualNow(): Promise<number> {
  return Date.parse((await extension(server.url, "AdvanceClock", { Seconds: "0" })).now);
}

const setWorkload = (instanceId: string, workload: Record<string, string>) =>
  extension(server.url, "SetInstanceWorkload", { InstanceId: instanceId, ...workload });

interface Series {
  timestamps: number[];
  values: number[];
}

/** GetInstanceMetrics in time order, each metric's series by name. */
async function metrics(instanceId: string, from: number, to: number, period: number, names: string[] = []): Promise<Record<string, Series>> {
  const params: Record<string, string> = {
    InstanceId: instanceId,
    StartTime: new Date(from).toISOString(),
    EndTime: new Date(to).toISOString(),
    Period: String(period),
    ScanBy: "TimestampAscending",
  };
  names.forEach((name, i) => {
    params[`MetricName.${i + 1}`] = name;
  });
  const answer = await extension(server.url, "GetInstanceMetrics", params);
  return Object.fromEntries(
    list<any>(answer.metricDataResultSet).map((result) => {
      expect(result.statusCode).toBe("Complete");
      expect(result.label).toBe(result.metricName);
      return [
        result.metricName,
        { timestamps: list<string>(result.timestampSet).map((t) => Date.parse(t)), values: list<string>(result.valueSet).map(Number) },
      ];
    }),
  );
}

/** A victim and its neighbour, quiet for 10 minutes, then the neighbour writes 20,000 IOPS for 10 minutes. */
async function neighbourTurnsBusy(victim: string, neighbour: string): Promise<{ before: Record<string, Series>; after: Record<string, Series> }> {
  const start = await virtualNow();
  await advanceClock(server.url, 600);
  await setWorkload(neighbour, { DiskIops: "20000", NetworkMbps: "200" });
  await advanceClock(server.url, 600);
  return {
    before: await metrics(victim, start, start + 600_000, 300),
    after: await metrics(victim, start + 600_000, start + 1_200_000, 300),
  };
}

describe("GetInstanceMetrics: neighbours", () => {
  it("on Xen, a neighbour's disk load goes through dom0: the victim's DiskLatencyMs and Dom0CpuPercent rise", async () => {
    const victim = await launch("m4.large", { AvailabilityZone: "us-east-1a" });
    const neighbour = await launch("m4.large", { AvailabilityZone: "us-east-1a" });
    const { before, after } = await neighbourTurnsBusy(victim, neighbour);

    expect(before.DiskLatencyMs!.values).toHaveLength(2);
    expect(after.DiskLatencyMs!.values).toHaveLength(2);
    const quiet = before.DiskLatencyMs!.values[0]!;
    expect(before.DiskLatencyMs!.values[1]).toBeCloseTo(quiet, 6);
    // dom0 half busy: 20,000 IOPS x 50 us / 2 vCPUs; its stage costs 0.25 ms / (1 - 0.5) instead of 0.25 ms. The
    // 200 Mbit/s add nothing: an m4 with an Amazon Linux 2 image networks through its Intel 82599 VF, not netback.
    for (const latency of after.DiskLatencyMs!.values) expect(latency - quiet).toBeGreaterThan(0.2);
    for (const dom0 of before.Dom0CpuPercent!.values) expect(dom0).toBeLessThan(1);
    for (const dom0 of after.Dom0CpuPercent!.values) expect(dom0).toBeCloseTo(50, 0);
    // The server is not oversubscribed: four vCPUs on 96 threads steal nothing.
    expect([...before.CPUStealPercent!.values, ...after.CPUStealPercent!.values]).toEqual([0, 0, 0, 0]);
    // The same window read at one period is the average of its halves.
    const whole = await metrics(victim, before.DiskLatencyMs!.timestamps[0]!, before.DiskLatencyMs!.timestamps[0]! + 1_200_000, 1200, ["DiskLatencyMs"]);
    expect(whole.DiskLatencyMs!.values[0]).toBeCloseTo((quiet + after.DiskLatencyMs!.values[0]!) / 2, 6);
  });

  it("on Nitro, the cards do the I/O: the neighbour changes nothing and there is no dom0", async () => {
    const victim = await launch("m5.large", { AvailabilityZone: "us-east-1b" });
    const neighbour = await launch("m5.large", { AvailabilityZone: "us-east-1b" });
    const { before, after } = await neighbourTurnsBusy(victim, neighbour);

    expect(after.DiskLatencyMs!.values).toEqual(before.DiskLatencyMs!.values);
    expect(before.DiskLatencyMs!.values[0]).toBeGreaterThanOrEqual(1);
    expect(before.Dom0CpuPercent!.values).toEqual([]);
    expect(after.Dom0CpuPercent!.values).toEqual([]);
  });

  it("on a Dedicated Host, the same Xen pair does not disturb each other", async () => {
    const { HostIds } = await server.ec2().send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1c", InstanceType: "m4.large", Quantity: 1 }));
    const placement = { HostId: HostIds![0]!, Tenancy: "host" as const };
    const victim = await launch("m4.large", placement);
    const neighbour = await launch("m4.large", placement);
    const { before, after } = await neighbourTurnsBusy(victim, neighbour);

    expect(after.DiskLatencyMs!.values).toEqual(before.DiskLatencyMs!.values);
    expect(after.Dom0CpuPercent!.values).toEqual(before.Dom0CpuPercent!.values);
  });

  it("on a T3 Dedicated Host, 64 t3.micro bursting at once steal nothing: one tenant has no neighbours", async () => {
    const { HostIds } = await server.ec2().send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1f", InstanceType: "t3.micro", Quantity: 1 }));
    const { Instances } = await server.ec2().send(
      new RunInstancesCommand({
        ImageId: images.al2Ena,
        InstanceType: "t3.micro",
        MinCount: 64,
        MaxCount: 64,
        Placement: { HostId: HostIds![0]!, Tenancy: "host" },
      }),
    );
    const start = await virtualNow();
    // 128 vCPUs asking on the host's 96 threads: shared, they would steal (oversubscription.test.ts).
    for (const instance of Instances!) await setWorkload(instance.InstanceId!, { CpuPercent: "100" });
    await advanceClock(server.url, 600);
    const { CPUStealPercent } = await metrics(Instances![0]!.InstanceId!, start, start + 600_000, 600, ["CPUStealPercent"]);
    expect(CPUStealPercent!.values).toEqual([0]);
  });

  it("answers only after the neighbour arrived: a window before the launch has no datapoint", async () => {
    const launchedAt = await virtualNow();
    const instanceId = await launch("m5.large", { AvailabilityZone: "us-east-1d" });
    await advanceClock(server.url, 300);
    const earlier = await metrics(instanceId, launchedAt - 3_600_000, launchedAt - 60_000, 60);
    expect(Object.values(earlier).every((series) => series.values.length === 0)).toBe(true);
    // Periods not yet reached on the virtual clock have none either.
    const later = await metrics(instanceId, launchedAt, launchedAt + 3_600_000, 300, ["CPUUtilization"]);
    expect(later.CPUUtilization!.values).toHaveLength(1);
    // m5 is not burstable: no credit metrics, CPUUtilization is the idle workload's 2%.
    const all = await metrics(instanceId, launchedAt, launchedAt + 300_000, 300);
    expect(all.CPUUtilization!.values[0]).toBeCloseTo(2, 6);
    expect(all.CPUCreditBalance!.values).toEqual([]);
  });
});

describe("GetInstanceMetrics: burstable credits", () => {
  /** A t3.micro idle for an hour (earning 9.6 credits), then at 100% for an hour. */
  async function burstFor(mode: "standard" | "unlimited") {
    const launchedAt = await virtualNow();
    const instanceId = await launch("t3.micro", { AvailabilityZone: "us-east-1d" }, { CreditSpecification: { CpuCredits: mode } });
    await advanceClock(server.url, 3600);
    await setWorkload(instanceId, { CpuPercent: "100" });
    await advanceClock(server.url, 3600);
    return { instanceId, launchedAt, series: await metrics(instanceId, launchedAt, launchedAt + 7_200_000, 300) };
  }

  it("in standard mode runs out of credits and is held to its 10% baseline", async () => {
    const { series } = await burstFor("standard");
    const cpu = series.CPUUtilization!.values;
    const balance = series.CPUCreditBalance!.values;
    expect(cpu).toHaveLength(24);
    expect(cpu[0]).toBeCloseTo(2, 6);
    // Idle: 12 credits an hour earned, 2.4 spent.
    expect(balance[11]).toBeCloseTo(9.6, 6);
    // At 100% the balance falls 1.8 a minute: gone in 5 1/3 minutes, then the baseline.
    expect(balance.slice(13)).toEqual(Array(11).fill(0));
    for (const value of cpu.slice(14)) expect(value).toBeCloseTo(10, 6);
    for (const used of series.CPUCreditUsage!.values.slice(14)) expect(used).toBeCloseTo(1, 6);
    expect(series.CPUSurplusCreditBalance!.values.every((value) => value === 0)).toBe(true);
  });

  it("in unlimited mode bursts on surplus credits, charged at the stop since they were not repaid", async () => {
    const { instanceId, launchedAt, series } = await burstFor("unlimited");
    const cpu = series.CPUUtilization!.values;
    for (const value of cpu.slice(12)) expect(value).toBeCloseTo(100, 6);
    const surplus = series.CPUSurplusCreditBalance!.values;
    // 60 minutes at 1.8 credits a minute beyond earnings, less the 9.6 earned while idle.
    expect(surplus[23]).toBeCloseTo(60 * 1.8 - 9.6, 6);
    expect(series.CPUSurplusCreditsCharged!.values.every((value) => value === 0)).toBe(true);

    await server.ec2().send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await advanceClock(server.url, 600);
    const stopped = await metrics(instanceId, launchedAt + 6_900_000, launchedAt + 7_800_000, 300, ["CPUSurplusCreditsCharged", "CPUUtilization"]);
    // The stop ends the last period the instance ran, which carries the charge; after it a stopped instance reports nothing.
    expect(stopped.CPUSurplusCreditsCharged!.values).toHaveLength(1);
    expect(stopped.CPUUtilization!.values).toHaveLength(1);
    expect(stopped.CPUSurplusCreditsCharged!.values[0]).toBeCloseTo(surplus[23]!, 6);
  });
});

describe("GetInstanceMetrics: history", () => {
  it("follows a live migration: the busy neighbour is left behind at the switchover", async () => {
    // A t2 networks through netfront (no SR-IOV VF to pin it to its server), so it can move live.
    const victim = await launch("t2.medium", { AvailabilityZone: "us-east-1d" });
    const neighbour = await launch("m4.large", { AvailabilityZone: "us-east-1d" });
    await setWorkload(neighbour, { DiskIops: "20000" });
    const start = await virtualNow();
    await advanceClock(server.url, 600);
    const migration = await extension(server.url, "MigrateInstance", { InstanceId: victim, Strategy: "pre-copy" });
    const switchover = Date.parse(migration.migration.switchoverTime);
    await advanceClock(server.url, 1200);
    const described = list<any>((await extension(server.url, "DescribeInstanceMigrations", { InstanceId: victim })).migrationSet);
    expect(described[0].state).toBe("completed");

    const series = await metrics(victim, start, start + 1_800_000, 60, ["Dom0CpuPercent"]);
    const at = (t: number) => series.Dom0CpuPercent!.values[series.Dom0CpuPercent!.timestamps.indexOf(t)]!;
    expect(at(start)).toBeCloseTo(50, 0);
    // After the switchover the victim's dom0 serves only its own idle I/O.
    expect(at(start + 1_740_000)).toBeLessThan(1);
    const firstAfter = Math.ceil((switchover - start) / 60_000) * 60_000 + start;
    expect(at(firstAfter)).toBeLessThan(1);
    expect(at(firstAfter - 120_000)).toBeCloseTo(50, 0);
  });

  it("an unlimited t3.micro switched to standard with the AWS CLI is charged its surplus at once, then held to baseline", async () => {
    const launched = await aws(server.url, [
      "ec2",
      "run-instances",
      "--image-id",
      images.al2Ena,
      "--instance-type",
      "t3.micro",
      "--placement",
      "AvailabilityZone=us-east-1b",
      "--credit-specification",
      "CpuCredits=unlimited",
    ]);
    expect(launched.code, launched.stderr).toBe(0);
    const instanceId = launched.json.Instances[0].InstanceId;
    const launchedAt = Date.parse(launched.json.Instances[0].LaunchTime);
    await setWorkload(instanceId, { CpuPercent: "100" });
    await advanceClock(server.url, 1800);
    const modified = await aws(server.url, [
      "ec2",
      "modify-instance-credit-specification",
      "--instance-credit-specifications",
      `InstanceId=${instanceId},CpuCredits=standard`,
    ]);
    expect(modified.json.SuccessfulInstanceCreditSpecifications).toEqual([{ InstanceId: instanceId }]);
    await advanceClock(server.url, 1800);

    const series = await metrics(instanceId, launchedAt, launchedAt + 3_600_000, 300);
    // 30 minutes at 1.8 credits a minute beyond earnings, charged with the switch, in the period that ends with it.
    const charged = series.CPUSurplusCreditsCharged!.values;
    expect(charged[5]).toBeCloseTo(54, 6);
    expect(charged.reduce((sum, value) => sum + value, 0)).toBeCloseTo(54, 6);
    expect(series.CPUSurplusCreditBalance!.values.slice(6)).toEqual(Array(6).fill(0));
    for (const cpu of series.CPUUtilization!.values.slice(0, 6)) expect(cpu).toBeCloseTo(100, 6);
    for (const cpu of series.CPUUtilization!.values.slice(6)) expect(cpu).toBeCloseTo(10, 6);
  });
});

describe("GetInstanceMetrics: the caller and the request", () => {
  let instanceId: string;
  let now: number;
  beforeAll(async () => {
    instanceId = await launch("m5.large", { AvailabilityZone: "us-east-1a" });
    await advanceClock(server.url, 120);
    now = await virtualNow();
  });

  const call = (params: Record<string, string>, credentials?: typeof other) =>
    extension(
      server.url,
      "GetInstanceMetrics",
      { InstanceId: instanceId, StartTime: new Date(now - 3_600_000).toISOString(), EndTime: new Date(now).toISOString(), Period: "60", ...params },
      "us-east-1",
      credentials,
    );

  it("does not find another account's instance", async () => {
    await expect(call({}, other)).rejects.toMatchObject({ name: "InvalidInstanceID.NotFound" });
    await expect(call({ InstanceId: "i-0123456789abcdef0" })).rejects.toMatchObject({ name: "InvalidInstanceID.NotFound" });
  });

  it("refuses what CloudWatch refuses, with a 400 and the reason", async () => {
    await expect(call({ "MetricName.1": "NetworkIn" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      status: 400,
      message: expect.stringContaining("NetworkIn"),
    });
    await expect(call({ EndTime: new Date(now - 7_200_000).toISOString() })).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message: "The parameter StartTime must be less than the parameter EndTime.",
    });
    await expect(call({ Period: "90" })).rejects.toMatchObject({ name: "InvalidParameterValue", message: expect.stringContaining("multiple of 60") });
    await expect(call({ StartTime: new Date(now - 10 * 86_400_000).toISOString() })).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message: expect.stringContaining("115,200 datapoints, which exceeds the limit of 100,800"),
    });
    await expect(call({ Period: "" })).rejects.toMatchObject({ status: 400 });
  });

  it("answers newest first by default, as CloudWatch does", async () => {
    const answer = await call({ "MetricName.1": "CPUUtilization" });
    const timestamps = list<string>(list<any>(answer.metricDataResultSet)[0].timestampSet).map((t) => Date.parse(t));
    expect(timestamps.length).toBeGreaterThan(1);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => b - a));
  });

  it("works from the AWS CLI and the mini-ec2 CLI through the model", async () => {
    const args = [
      "get-instance-metrics",
      "--instance-id",
      instanceId,
      "--metric-names",
      "DiskLatencyMs",
      "--start-time",
      new Date(now - 120_000).toISOString(),
      "--end-time",
      new Date(now).toISOString(),
      "--period",
      "60",
    ];
    const fromAws = await aws(server.url, ["mini-ec2", ...args]);
    expect(fromAws.code, fromAws.stderr).toBe(0);
    expect(fromAws.json.MetricDataResults).toHaveLength(1);
    expect(fromAws.json.MetricDataResults[0]).toMatchObject({ MetricName: "DiskLatencyMs", StatusCode: "Complete" });
    expect(fromAws.json.MetricDataResults[0].Values).toHaveLength(2);

    const fromMiniEc2 = await miniEc2(server.url, ["mini-ec2", ...args, "--output", "json"]);
    expect(fromMiniEc2.code, fromMiniEc2.stderr).toBe(0);
    expect(JSON.parse(fromMiniEc2.stdout).MetricDataResults[0].Values).toEqual(fromAws.json.MetricDataResults[0].Values);
  });
});
