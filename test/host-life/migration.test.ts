// MigrateInstance and DescribeInstanceMigrations through signed Query requests, on a small fleet whose links are a
// gigabit, with real delays on a clock only AdvanceClock moves: a migration is in progress until the model's total
// time has passed, holds capacity on both servers meanwhile, and then the instance is on the target.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreatePlacementGroupCommand, RunInstancesCommand, StopInstancesCommand, type _InstanceType } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationFigures } from "../../src/domain/instance-migrations.js";
import { advanceClock, extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { admin } from "../support/processes.js";
import { startTestServer, type TestServer } from "../support/server.js";

const server96 = { sockets: 2, coresPerSocket: 24, threadsPerCore: 2, memoryGiB: 384 };
const smallFleet = {
  only: ["us-east-1"],
  migrationLinkMbps: { "nitro-x86": 1000 },
  classes: [
    { name: "nitro-x86", hypervisor: "nitro", architecture: "x86_64", ...server96, perZone: 2, families: ["*"] },
    { name: "xen-gen2", hypervisor: "xen", architecture: "x86_64", ...server96, perZone: 2, families: ["t2", "m4", "p3"] },
    // .metal types run on bare-metal servers (no hypervisor) of their own.
    { name: "metal-x86", hypervisor: "none", architecture: "x86_64", ...server96, perZone: 1, families: ["*"] },
  ],
};

let server: TestServer;
let images: Awaited<ReturnType<typeof amazonImageIds>>;
let other: { accessKeyId: string; secretAccessKey: string };
const now = Date.now();

beforeAll(async () => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(smallFleet));
  // The wall clock stands still: only AdvanceClock moves the simulation, so nothing completes between two calls.
  server = await startTestServer({ MINI_EC2_FLEET_FILE: fleetFile, MINI_EC2_DELAYS: "real" }, { now: () => new Date(now) });
  images = await amazonImageIds(server.ec2());
  other = await admin(server.databaseUrl, "create-account", "--account-id", "111122223333");
});
afterAll(() => server?.stop());

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);

async function running(instanceType: string, zone: string, imageId = images.al2Ena, extra: object = {}): Promise<string> {
  const { Instances } = await server.ec2().send(
    new RunInstancesCommand({
      ImageId: imageId,
      InstanceType: instanceType as _InstanceType,
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: zone },
      ...extra,
    }),
  );
  await advanceClock(server.url, 10);
  return Instances![0]!.InstanceId!;
}

async function serverOf(instanceId: string, zone: string): Promise<{ serverId: string; usedVCpus: string; hostClass: string }> {
  const servers = list<any>((await extension(server.url, "DescribeFleet", { AvailabilityZone: zone })).serverSet);
  return servers.find((s) => list<any>(s.instanceSet).some((i) => i.instanceId === instanceId));
}

async function usedVCpus(zone: string): Promise<Record<string, number>> {
  const servers = list<any>((await extension(server.url, "DescribeFleet", { AvailabilityZone: zone })).serverSet);
  return Object.fromEntries(servers.map((s) => [s.serverId, Number(s.usedVCpus)]));
}

const migrate = (params: Record<string, string>, credentials?: typeof other) => extension(server.url, "MigrateInstance", params, "us-east-1", credentials);
const describeMigrations = async (params: Record<string, string>, credentials?: typeof other) =>
  list<any>((await extension(server.url, "DescribeInstanceMigrations", params, "us-east-1", credentials)).migrationSet);

describe("MigrateInstance", () => {
  it("moves a running m5.large live to the other Nitro server, with the model's figures, holding both servers until the switchover", async () => {
    const instanceId = await running("m5.large", "us-east-1a");
    await extension(server.url, "SetInstanceWorkload", { InstanceId: instanceId, DirtyPagesPerSecond: "20000", WritableWorkingSetMiB: "256" });
    const source = await serverOf(instanceId, "us-east-1a");

    const started = await migrate({ InstanceId: instanceId, Strategy: "pre-copy" });
    expect(started.migrationId).toMatch(/^mig-[0-9a-f]{17}$/);
    const expected = migrationFigures("pre-copy", {
      memoryMiB: 8192,
      workload: { dirtyPagesPerSecond: 20000, writableWorkingSetMiB: 256 },
      linkMbps: 1000,
    });
    const [migration] = await describeMigrations({ "MigrationId.1": started.migrationId });
    expect(migration).toMatchObject({ instanceId, strategy: "pre-copy", state: "in-progress", initiatedBy: "user", sourceServerId: source.serverId });
    expect(migration.targetServerId).not.toBe(source.serverId);
    expect(migration.targetServerId).toMatch(/nitro-x86/);
    expect(Number(migration.totalTimeMs)).toBeCloseTo(expected.totalTimeMs, 3);
    expect(Number(migration.downtimeMs)).toBeCloseTo(expected.downtimeMs, 3);
    expect(Number(migration.bytesTransferred)).toBe(expected.bytesTransferred);
    expect(migration.endedBy).toBe(expected.endedBy);
    const rounds = list<any>(migration.roundSet);
    expect(rounds.map((r) => Number(r.pagesSent))).toEqual(expected.rounds.map((r) => r.pagesSent));
    expect(String(rounds.at(-1).guestPaused)).toBe("true");
    // Round 1 sends all 8 GiB; the pause sends far less.
    expect(Number(rounds[0].pagesSent)).toBe((8192 * 1024 * 1024) / 4096);

    // Meanwhile both servers hold the instance's 2 vCPUs.
    const during = await usedVCpus("us-east-1a");
    expect(during[source.serverId]).toBe(2);
    expect(during[migration.targetServerId]).toBe(2);

    await advanceClock(server.url, Math.ceil(expected.totalTimeMs / 1000) + 1);
    const [done] = await describeMigrations({ InstanceId: instanceId });
    expect(done.state).toBe("completed");
    expect((await serverOf(instanceId, "us-east-1a")).serverId).toBe(migration.targetServerId);
    const after = await usedVCpus("us-east-1a");
    expect(after[source.serverId]).toBe(0);
    expect(after[migration.targetServerId]).toBe(2);
  });

  it("post-copy: no rounds, each page once, faults on a fifth of the working set, downtime independent of the dirty rate", async () => {
    const instanceId = await running("m5.large", "us-east-1b");
    await extension(server.url, "SetInstanceWorkload", { InstanceId: instanceId, DirtyPagesPerSecond: "200000", WritableWorkingSetMiB: "1024" });
    const started = await migrate({ InstanceId: instanceId, Strategy: "post-copy" });
    const expected = migrationFigures("post-copy", { memoryMiB: 8192, workload: { dirtyPagesPerSecond: 200000, writableWorkingSetMiB: 1024 }, linkMbps: 1000 });
    const migration = started.migration;
    expect(list(migration.roundSet)).toEqual([]);
    expect(Number(migration.pageFaults)).toBe(expected.pageFaults);
    expect(Number(migration.bytesTransferred)).toBe(8192 * 1024 * 1024 + 1024 * 1024);
    expect(Number(migration.downtimeMs)).toBeCloseTo(expected.downtimeMs, 3);
    expect(Number(migration.downtimeMs)).toBeLessThan(100);
  });

  it("moves a Xen guest on the paravirtual network to the other Xen server", async () => {
    const instanceId = await running("t2.micro", "us-east-1c", images.hvmNoEna);
    const source = await serverOf(instanceId, "us-east-1c");
    const started = await migrate({ InstanceId: instanceId, Strategy: "pre-copy" });
    expect(started.migration.sourceServerId).toBe(source.serverId);
    expect(started.migration.targetServerId).toMatch(/xen-gen2/);
  });

  it("refuses what cannot move live with the eligibility rule's code", async () => {
    const refusal = async (instanceId: string) =>
      migrate({ InstanceId: instanceId, Strategy: "pre-copy" }).then(
        () => "moved",
        (error) => error.name,
      );
    expect(await refusal(await running("m5d.large", "us-east-1d"))).toBe("LiveMigrationUnsupported.InstanceStore");
    expect(await refusal(await running("p3.2xlarge", "us-east-1d", images.gpu))).toBe("LiveMigrationUnsupported.GpuPassthrough");
    expect(await refusal(await running("m4.large", "us-east-1d"))).toBe("LiveMigrationUnsupported.SriovOnXen");
    expect(await refusal(await running("m5.metal", "us-east-1d"))).toBe("LiveMigrationUnsupported.BareMetal");

    const stopped = await running("m5.large", "us-east-1d");
    await server.ec2().send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    expect(await refusal(stopped)).toBe("IncorrectInstanceState");

    const moving = await running("t2.micro", "us-east-1d", images.hvmNoEna);
    const dry = await migrate({ InstanceId: moving, Strategy: "pre-copy", DryRun: "true" }).catch((error) => error.name);
    expect(dry).toBe("DryRunOperation");
    expect(await describeMigrations({ InstanceId: moving })).toEqual([]);
    await migrate({ InstanceId: moving, Strategy: "pre-copy" });
    await expect(migrate({ InstanceId: moving, Strategy: "post-copy" })).rejects.toMatchObject({
      name: "IncorrectInstanceState",
      message: expect.stringContaining("already being migrated"),
    });
  });

  it("keeps a spread group's instances apart: with two servers and two members there is nowhere to go", async () => {
    await server.ec2().send(new CreatePlacementGroupCommand({ GroupName: "apart", Strategy: "spread" }));
    const first = await running("m5.large", "us-east-1f", images.al2Ena, { Placement: { AvailabilityZone: "us-east-1f", GroupName: "apart" } });
    await running("m5.large", "us-east-1f", images.al2Ena, { Placement: { AvailabilityZone: "us-east-1f", GroupName: "apart" } });
    await expect(migrate({ InstanceId: first, Strategy: "pre-copy" })).rejects.toMatchObject({ name: "InsufficientInstanceCapacity" });
  });

  it("checks a chosen target: unknown, of another hypervisor, or the source itself", async () => {
    const instanceId = await running("m5.large", "us-east-1c");
    const source = await serverOf(instanceId, "us-east-1c");
    const servers = Object.keys(await usedVCpus("us-east-1c"));
    const xen = servers.find((id) => id.includes("xen-gen2"))!;
    await expect(migrate({ InstanceId: instanceId, Strategy: "pre-copy", TargetServerId: "srv-nowhere" })).rejects.toMatchObject({
      name: "InvalidServerId.NotFound",
    });
    await expect(migrate({ InstanceId: instanceId, Strategy: "pre-copy", TargetServerId: xen })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("one hypervisor"),
    });
    await expect(migrate({ InstanceId: instanceId, Strategy: "pre-copy", TargetServerId: source.serverId })).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    const target = servers.find((id) => id.includes("nitro-x86") && id !== source.serverId)!;
    const started = await migrate({ InstanceId: instanceId, Strategy: "pre-copy", TargetServerId: target });
    expect(started.migration.targetServerId).toBe(target);
  });
});

describe("isolation", () => {
  it("shows an account only its own migrations and does not let it move another's instance", async () => {
    const instanceId = await running("t2.micro", "us-east-1a", images.hvmNoEna);
    const { migrationId } = await migrate({ InstanceId: instanceId, Strategy: "post-copy" });
    expect(await describeMigrations({}, other)).toEqual([]);
    await expect(describeMigrations({ "MigrationId.1": migrationId }, other)).rejects.toMatchObject({ name: "InvalidMigrationId.NotFound" });
    await expect(describeMigrations({ InstanceId: instanceId }, other)).resolves.toEqual([]);
    await expect(migrate({ InstanceId: instanceId, Strategy: "pre-copy" }, other)).rejects.toMatchObject({ name: "InvalidInstanceID.NotFound" });
    expect((await describeMigrations({ "MigrationId.1": migrationId })).map((m) => m.migrationId)).toEqual([migrationId]);
  });
});
