// StartServerMaintenance and FailServer through signed Query requests and the SDK's DescribeInstanceStatus: a drain
// moves the movable guests live and schedules events for the others; a failure recovers the supported ones and
// retires the others. Zero delays: migrations complete at once.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  GetConsoleOutputCommand,
  ModifyInstanceEventStartTimeCommand,
  ModifyInstanceMaintenanceOptionsCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { admin } from "../support/processes.js";
import { testServer } from "../support/server.js";

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
  ],
};
const server = testServer(() => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(smallFleet));
  return { MINI_EC2_FLEET_FILE: fleetFile };
});
let images: Awaited<ReturnType<typeof amazonImageIds>>;
let other: { accessKeyId: string; secretAccessKey: string };
beforeAll(async () => {
  images = await amazonImageIds(server.ec2());
  other = await admin(server.databaseUrl, "create-account", "--account-id", "111122223333");
});

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);

async function launch(instanceType: string, zone: string, credentials?: typeof other): Promise<string> {
  const client = server.ec2(credentials ? { credentials } : {});
  const { Instances } = await client.send(
    new RunInstancesCommand({
      ImageId: images.al2Ena,
      InstanceType: instanceType as _InstanceType,
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: zone },
    }),
  );
  return Instances![0]!.InstanceId!;
}

async function fleet(zone: string): Promise<Array<{ serverId: string; state: string; instances: string[]; instanceCount: number }>> {
  const servers = list<any>((await extension(server.url, "DescribeFleet", { AvailabilityZone: zone })).serverSet);
  return servers.map((s) => ({
    serverId: s.serverId,
    state: s.state,
    instanceCount: Number(s.instanceCount),
    instances: list<any>(s.instanceSet).map((i) => i.instanceId ?? "another account's"),
  }));
}

const serverOf = async (instanceId: string, zone: string) => (await fleet(zone)).find((s) => s.instances.includes(instanceId))!.serverId;

describe("StartServerMaintenance", () => {
  it("moves the movable guests live, schedules an instance-stop for the others, and keeps new launches off the server", async () => {
    const movable = await launch("m5.large", "us-east-1a");
    const unmovable = await launch("m5d.large", "us-east-1a");
    const strangers = await launch("m5.large", "us-east-1a", other);
    const drained = await serverOf(movable, "us-east-1a");
    expect(await serverOf(unmovable, "us-east-1a")).toBe(drained);
    expect((await fleet("us-east-1a")).find((s) => s.serverId === drained)!.instanceCount).toBe(3);

    const result = await extension(server.url, "StartServerMaintenance", { ServerId: drained });
    expect(result).toMatchObject({ serverId: drained, state: "under-maintenance", guestsMigrating: 2, guestsScheduled: 1 });
    // The caller is told its own migration and event; the other account's guest is only counted.
    expect(list(result.migrationIdSet)).toHaveLength(1);
    expect(list(result.instanceEventIdSet)).toHaveLength(1);

    const servers = await fleet("us-east-1a");
    const drainedNow = servers.find((s) => s.serverId === drained)!;
    expect(drainedNow).toMatchObject({ state: "under-maintenance", instances: [unmovable], instanceCount: 1 });
    const other_ = servers.find((s) => s.serverId !== drained)!;
    expect(other_.state).toBe("available");
    expect(other_.instances).toContain(movable);

    const [migration] = list<any>((await extension(server.url, "DescribeInstanceMigrations", { InstanceId: movable })).migrationSet);
    expect(migration).toMatchObject({ state: "completed", initiatedBy: "maintenance", strategy: "pre-copy", sourceServerId: drained });
    // The other account sees its own guest's migration, and not ours.
    const theirs = list<any>((await extension(server.url, "DescribeInstanceMigrations", {}, "us-east-1", other)).migrationSet);
    expect(theirs.map((m) => m.instanceId)).toEqual([strangers]);

    const { InstanceStatuses } = await server.ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [unmovable, movable] }));
    const events = InstanceStatuses!.find((s) => s.InstanceId === unmovable)!.Events!;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ Code: "instance-stop", InstanceEventId: list(result.instanceEventIdSet)[0] });
    expect(events[0]!.NotBefore!.getTime()).toBeLessThan(events[0]!.NotBeforeDeadline!.getTime());
    expect(InstanceStatuses!.find((s) => s.InstanceId === movable)!.Events).toBeUndefined();
    const byCode = await server.ec2().send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "event.code", Values: ["instance-stop"] }] }));
    expect(byCode.InstanceStatuses!.map((s) => s.InstanceId)).toEqual([unmovable]);
    // Another account sees no event of ours.
    const strangersView = await server
      .ec2({ credentials: other })
      .send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "event.code", Values: ["instance-stop"] }] }));
    expect(strangersView.InstanceStatuses).toEqual([]);

    // New launches avoid the drained server even though best fit would prefer it.
    const fresh = await launch("m5.large", "us-east-1a");
    expect(await serverOf(fresh, "us-east-1a")).not.toBe(drained);

    // A second call resumes the drain: nothing moves twice, no second event.
    const again = await extension(server.url, "StartServerMaintenance", { ServerId: drained });
    expect(again).toMatchObject({ guestsMigrating: 0, guestsScheduled: 0 });
    expect(list((await extension(server.url, "DescribeInstanceMigrations", { InstanceId: movable })).migrationSet)).toHaveLength(1);

    // The owner stops and starts the instance: it leaves the server and the event completes.
    await server.ec2().send(new StopInstancesCommand({ InstanceIds: [unmovable] }));
    await server.ec2().send(new StartInstancesCommand({ InstanceIds: [unmovable] }));
    expect(await serverOf(unmovable, "us-east-1a")).not.toBe(drained);
    const completed = await server.ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [unmovable] }));
    expect(completed.InstanceStatuses![0]!.Events![0]!.Description).toMatch(/^\[Completed\] /);
    expect((await fleet("us-east-1a")).find((s) => s.serverId === drained)!.instanceCount).toBe(0);
  });

  it("refuses an unknown server", async () => {
    await expect(extension(server.url, "StartServerMaintenance", { ServerId: "srv-nowhere" })).rejects.toMatchObject({ name: "InvalidServerId.NotFound" });
  });
});

describe("FailServer", () => {
  it("recovers a supported instance on another server with its id and address, and retires an instance-store one", async () => {
    const recoverable = await launch("m5.large", "us-east-1b");
    const doomed = await launch("m5d.large", "us-east-1b");
    const failed = await serverOf(recoverable, "us-east-1b");
    const { Reservations } = await server.ec2().send(new DescribeInstancesCommand({ InstanceIds: [recoverable] }));
    const address = Reservations![0]!.Instances![0]!.PrivateIpAddress;
    await extension(server.url, "AdvanceClock", { Seconds: "60" });
    const bootedBefore = (await server.ec2().send(new GetConsoleOutputCommand({ InstanceId: recoverable }))).Timestamp!;

    const result = await extension(server.url, "FailServer", { ServerId: failed });
    expect(result).toMatchObject({ state: "failed", guestsRecovered: 1, guestsRetired: 1 });
    expect(list(result.recoveredInstanceIdSet)).toEqual([recoverable]);

    const servers = await fleet("us-east-1b");
    expect(servers.find((s) => s.serverId === failed)!.state).toBe("failed");
    expect(await serverOf(recoverable, "us-east-1b")).not.toBe(failed);
    const after = await server.ec2().send(new DescribeInstancesCommand({ InstanceIds: [recoverable] }));
    expect(after.Reservations![0]!.Instances![0]).toMatchObject({ PrivateIpAddress: address, State: { Name: "running" } });
    // It booted again on the new server: its console was rewritten at the recovery.
    const console_ = await server.ec2().send(new GetConsoleOutputCommand({ InstanceId: recoverable }));
    expect(console_.Timestamp!.getTime()).toBeGreaterThanOrEqual(bootedBefore.getTime() + 60_000);

    const { InstanceStatuses } = await server.ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [doomed, recoverable] }));
    const doomedStatus = InstanceStatuses!.find((s) => s.InstanceId === doomed)!;
    expect(doomedStatus.SystemStatus?.Status).toBe("impaired");
    expect(doomedStatus.Events).toMatchObject([{ Code: "instance-retirement", Description: "The instance is running on degraded hardware" }]);
    expect(InstanceStatuses!.find((s) => s.InstanceId === recoverable)!.SystemStatus?.Status).toBe("ok");

    await expect(extension(server.url, "StartServerMaintenance", { ServerId: failed })).rejects.toMatchObject({ name: "IncorrectState" });
  });
});

describe("ModifyInstanceEventStartTime", () => {
  it("moves an open event's start within its deadline and refuses the rest", async () => {
    const instanceId = await launch("m5d.large", "us-east-1c");
    const drain = await extension(server.url, "StartServerMaintenance", { ServerId: await serverOf(instanceId, "us-east-1c") });
    const [eventId] = list<string>(drain.instanceEventIdSet);
    const status = async () => (await server.ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId] }))).InstanceStatuses![0]!.Events![0]!;
    const before = await status();
    const modify = (NotBefore: Date, credentials?: typeof other) =>
      server
        .ec2(credentials ? { credentials } : {})
        .send(new ModifyInstanceEventStartTimeCommand({ InstanceId: instanceId, InstanceEventId: eventId!, NotBefore }));

    const later = new Date(before.NotBeforeDeadline!.getTime() - 24 * 3600_000);
    const { Event } = await modify(later);
    expect(Event).toMatchObject({ InstanceEventId: eventId, Code: "instance-stop", NotBefore: later, NotBeforeDeadline: before.NotBeforeDeadline });
    // The window moves with the start.
    expect(Event!.NotAfter!.getTime() - later.getTime()).toBe(before.NotAfter!.getTime() - before.NotBefore!.getTime());
    expect((await status()).NotBefore).toEqual(later);

    await expect(modify(new Date(before.NotBeforeDeadline!.getTime() + 1000))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("deadline"),
    });
    await expect(modify(new Date(Date.now() + 30 * 60_000))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("60 minutes"),
    });
    await expect(
      server
        .ec2()
        .send(new ModifyInstanceEventStartTimeCommand({ InstanceId: instanceId, InstanceEventId: "instance-event-0123456789abcdef0", NotBefore: later })),
    ).rejects.toMatchObject({ name: "InvalidInstanceEventID.NotFound" });
    await expect(modify(later, other)).rejects.toMatchObject({ name: "InvalidInstanceID.NotFound" });
  });
});

describe("maintenance options", () => {
  it("RunInstances keeps MaintenanceOptions.AutoRecovery; RebootMigration stays default", async () => {
    const { Instances } = await server.ec2().send(
      new RunInstancesCommand({
        ImageId: images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 1,
        MaxCount: 1,
        MaintenanceOptions: { AutoRecovery: "disabled" },
      }),
    );
    const { Reservations } = await server.ec2().send(new DescribeInstancesCommand({ InstanceIds: [Instances![0]!.InstanceId!] }));
    expect(Reservations![0]!.Instances![0]!.MaintenanceOptions).toEqual({ AutoRecovery: "disabled", RebootMigration: "default" });
  });

  it("a failed server retires an instance whose AutoRecovery is disabled, and DescribeInstances shows the options", async () => {
    const optedOut = await launch("m5.large", "us-east-1d");
    const changed = await server.ec2().send(new ModifyInstanceMaintenanceOptionsCommand({ InstanceId: optedOut, AutoRecovery: "disabled" }));
    expect(changed).toMatchObject({ InstanceId: optedOut, AutoRecovery: "disabled", RebootMigration: "default" });
    const { Reservations } = await server.ec2().send(new DescribeInstancesCommand({ InstanceIds: [optedOut] }));
    expect(Reservations![0]!.Instances![0]!.MaintenanceOptions).toEqual({ AutoRecovery: "disabled", RebootMigration: "default" });

    const failed = await serverOf(optedOut, "us-east-1d");
    const result = await extension(server.url, "FailServer", { ServerId: failed });
    // Nothing recovered; the opted-out instance is retired where it is (an earlier test's opted-out instance may
    // share the server, so the count is at least one).
    expect(result).toMatchObject({ guestsRecovered: 0 });
    expect(Number(result.guestsRetired)).toBeGreaterThanOrEqual(1);
    expect(await serverOf(optedOut, "us-east-1d")).toBe(failed);
  });

  it("reboot migration: a reboot with a system-reboot event moves the instance when on, and reboots it in place when off", async () => {
    const migrates = await launch("m5d.large", "us-east-1f");
    const stays = await launch("m5d.large", "us-east-1f");
    await server.ec2().send(new ModifyInstanceMaintenanceOptionsCommand({ InstanceId: stays, RebootMigration: "disabled" }));
    const host = await serverOf(migrates, "us-east-1f");
    expect(await serverOf(stays, "us-east-1f")).toBe(host);
    const drain = await extension(server.url, "StartServerMaintenance", { ServerId: host, EventCode: "system-reboot" });
    // Both instance-store guests get the event; an earlier test's movable guest on the same server may migrate.
    expect(drain).toMatchObject({ guestsScheduled: 2 });

    await server.ec2().send(new RebootInstancesCommand({ InstanceIds: [migrates, stays] }));
    expect(await serverOf(migrates, "us-east-1f")).not.toBe(host);
    expect(await serverOf(stays, "us-east-1f")).toBe(host);
    const { InstanceStatuses } = await server.ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [migrates, stays] }));
    const eventOf = (id: string) => InstanceStatuses!.find((s) => s.InstanceId === id)!.Events![0]!;
    expect(eventOf(migrates)).toMatchObject({ Code: "system-reboot", Description: expect.stringMatching(/^\[Completed\] /) });
    expect(eventOf(stays)).toMatchObject({ Code: "system-reboot", Description: expect.not.stringMatching(/^\[Completed\]/) });
  });
});
