// Dedicated Hosts in host life, through the SDK (and DescribeHosts once through the AWS CLI): HostRecovery and
// HostMaintenance on AllocateHosts, ModifyHosts and DescribeHosts; FailServer on a host's server with host
// recovery on (a replacement host takes the instances) and off (impaired, retirement events); StartServerMaintenance
// with host maintenance on (live migration to a replacement, instance-reboot events for the rest) and off. Zero
// delays: migrations complete at once. Each test uses its own zone.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AllocateHostsCommand,
  DescribeHostsCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  GetConsoleOutputCommand,
  type Host,
  ModifyHostsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { advanceClock, extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { admin } from "../support/processes.js";
import { testServer } from "../support/server.js";

const server_ = (name: string, hypervisor: string, families: string[], coresPerSocket: number) => ({
  name,
  hypervisor,
  architecture: "x86_64",
  sockets: 2,
  coresPerSocket,
  threadsPerCore: 2,
  memoryGiB: 768,
  perZone: 3,
  families,
});
const fleet = { only: ["us-east-1"], classes: [server_("nitro-x86", "nitro", ["*"], 24), server_("xen-gen2", "xen", ["p3"], 18)] };
const server = testServer(() => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(fleet));
  return { MINI_EC2_FLEET_FILE: fleetFile };
});
let images: Awaited<ReturnType<typeof amazonImageIds>>;
let other: { accessKeyId: string; secretAccessKey: string };
beforeAll(async () => {
  images = await amazonImageIds(server.ec2());
  other = await admin(server.databaseUrl, "create-account", "--account-id", "444455556666");
});

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);

async function allocate(zone: string, instanceType: string, settings: { HostRecovery?: "on" | "off"; HostMaintenance?: "on" | "off" } = {}): Promise<string> {
  const { HostIds } = await server.ec2().send(
    new AllocateHostsCommand({
      AvailabilityZone: zone,
      InstanceType: instanceType,
      Quantity: 1,
      AutoPlacement: "on",
      TagSpecifications: [{ ResourceType: "dedicated-host", Tags: [{ Key: "team", Value: "blue" }] }],
      ...settings,
    }),
  );
  return HostIds![0]!;
}

async function launchOn(hostId: string, instanceType: string, count = 1, imageId = images.al2Ena): Promise<string[]> {
  const { Instances } = await server.ec2().send(
    new RunInstancesCommand({
      ImageId: imageId,
      InstanceType: instanceType as _InstanceType,
      MinCount: count,
      MaxCount: count,
      Placement: { HostId: hostId },
    }),
  );
  return Instances!.map((i) => i.InstanceId!);
}

const consoleOf = (instanceId: string) => server.ec2().send(new GetConsoleOutputCommand({ InstanceId: instanceId }));
const hosts = async (credentials?: typeof other): Promise<Host[]> =>
  (await server.ec2(credentials ? { credentials } : {}).send(new DescribeHostsCommand({}))).Hosts!;
const host = async (hostId: string) => (await server.ec2().send(new DescribeHostsCommand({ HostIds: [hostId] }))).Hosts![0]!;
const serverOfHost = async (hostId: string): Promise<string> => {
  const zone = (await host(hostId)).AvailabilityZone!;
  return list<any>((await extension(server.url, "DescribeFleet", { AvailabilityZone: zone })).serverSet).find((s) => s.dedicatedHostId === hostId)!.serverId;
};
const instance = async (instanceId: string) =>
  (await server.ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
const status = async (instanceId: string) =>
  (await server.ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId], IncludeAllInstances: true }))).InstanceStatuses![0]!;
describe("HostRecovery and HostMaintenance settings", () => {
  it("defaults recovery off and maintenance on where the family supports it, and refuses maintenance where it does not", async () => {
    const m5 = await allocate("us-east-1a", "m5.large");
    expect(await host(m5)).toMatchObject({ HostRecovery: "off", HostMaintenance: "on" });
    const chosen = await allocate("us-east-1a", "m5.xlarge", { HostRecovery: "on", HostMaintenance: "off" });
    expect(await host(chosen)).toMatchObject({ HostRecovery: "on", HostMaintenance: "off" });

    // m5d is not among the families host maintenance supports: off by default, on refused.
    const m5d = await allocate("us-east-1a", "m5d.large");
    expect(await host(m5d)).toMatchObject({ HostMaintenance: "off" });
    await expect(allocate("us-east-1a", "m5d.large", { HostMaintenance: "on" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("Host maintenance is not supported for the m5d instance family"),
    });

    const modified = await server.ec2().send(new ModifyHostsCommand({ HostIds: [m5, m5d], HostRecovery: "on", HostMaintenance: "on" }));
    expect(modified.Successful).toEqual([m5]);
    expect(modified.Unsuccessful).toMatchObject([{ ResourceId: m5d, Error: { Code: "InvalidParameterValue" } }]);
    expect(await host(m5)).toMatchObject({ HostRecovery: "on", HostMaintenance: "on" });
    await server.ec2().send(new ModifyHostsCommand({ HostIds: [m5], HostMaintenance: "off" }));
    expect(await host(m5)).toMatchObject({ HostRecovery: "on", HostMaintenance: "off" });

    // The AWS CLI reads both fields from the same DescribeHosts response.
    const cli = await aws(server.url, ["ec2", "describe-hosts", "--host-ids", m5, chosen]);
    expect(cli.code).toBe(0);
    expect(cli.json.Hosts.map((h: Host) => [h.HostId, h.HostRecovery, h.HostMaintenance])).toEqual(
      [
        [m5, "on", "off"],
        [chosen, "on", "off"],
      ].sort(),
    );
  });
});

describe("FailServer on a Dedicated Host's server", () => {
  it("with host recovery on: a replacement host with the same attributes takes the instances, which boot again there", async () => {
    const failedHost = await allocate("us-east-1b", "m5.large", { HostRecovery: "on" });
    const guests = await launchOn(failedHost, "m5.large", 2);
    const addresses = await Promise.all(guests.map(async (id) => (await instance(id)).PrivateIpAddress));
    await advanceClock(server.url, 60);
    const bootedBefore = (await consoleOf(guests[0]!)).Timestamp!;

    const result = await extension(server.url, "FailServer", { ServerId: await serverOfHost(failedHost) });
    expect(result).toMatchObject({ guestsRecovered: 2, guestsRetired: 0 });
    expect(list(result.recoveredInstanceIdSet).sort()).toEqual([...guests].sort());

    const replaced = await host(failedHost);
    expect(replaced).toMatchObject({ State: "released-permanent-failure" });
    expect(replaced.ReleaseTime).toBeInstanceOf(Date);
    const replacement = (await hosts()).find((h) => h.HostId !== failedHost && h.State === "available" && h.Instances?.length === 2)!;
    expect(replacement).toMatchObject({
      AvailabilityZone: "us-east-1b",
      AutoPlacement: "on",
      HostRecovery: "on",
      HostMaintenance: "on",
      HostProperties: { InstanceType: "m5.large" },
      Tags: [{ Key: "team", Value: "blue" }],
    });
    for (const [index, id] of guests.entries()) {
      const now = await instance(id);
      expect(now).toMatchObject({ State: { Name: "running" }, PrivateIpAddress: addresses[index], Placement: { HostId: replacement.HostId } });
      expect((await status(id)).SystemStatus?.Status).toBe("ok");
      // Recovered, not live-migrated: the console shows a fresh boot on the new host, written at the recovery.
      const console_ = await consoleOf(id);
      expect(Buffer.from(console_.Output!, "base64").toString()).toMatch(/Linux version/);
      expect(console_.Timestamp!.getTime()).toBeGreaterThanOrEqual(bootedBefore.getTime() + 60_000);
    }
  });

  it("with host recovery off: the instances are impaired with a retirement event the owner alone sees, and the host is marked permanent-failure", async () => {
    const failedHost = await allocate("us-east-1c", "m5.large", { HostRecovery: "off" });
    const [guest] = await launchOn(failedHost, "m5.large");
    const hostsBefore = (await hosts()).length;

    const result = await extension(server.url, "FailServer", { ServerId: await serverOfHost(failedHost) });
    expect(result).toMatchObject({ guestsRecovered: 0, guestsRetired: 1 });
    expect(await host(failedHost)).toMatchObject({ State: "permanent-failure", Instances: [{ InstanceId: guest }] });
    expect(await hosts()).toHaveLength(hostsBefore);
    const seen = await status(guest!);
    expect(seen.SystemStatus?.Status).toBe("impaired");
    expect(seen.Events).toMatchObject([{ Code: "instance-retirement", InstanceEventId: list(result.instanceEventIdSet)[0] }]);

    // Another account sees neither the host nor the event.
    expect((await hosts(other)).map((h) => h.HostId)).not.toContain(failedHost);
    const theirEvents = await server.ec2({ credentials: other }).send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }));
    expect(theirEvents.InstanceStatuses!.map((s) => s.InstanceId)).not.toContain(guest);

    // Stopped, the instance cannot start on its failed host again: a 400 naming the host, not a capacity 500.
    await server.ec2().send(new StopInstancesCommand({ InstanceIds: [guest!], Force: true }));
    await expect(server.ec2().send(new StartInstancesCommand({ InstanceIds: [guest!] }))).rejects.toMatchObject({
      name: "InsufficientCapacityOnHost",
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining(failedHost),
    });
    const theirs = await server
      .ec2({ credentials: other })
      .send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "event.code", Values: ["instance-retirement"] }] }));
    expect(theirs.InstanceStatuses).toEqual([]);
  });
});

describe("StartServerMaintenance on a Dedicated Host's server", () => {
  it("with host maintenance on: movable guests live-migrate to a replacement host, the others reboot onto it at their instance-reboot event", async () => {
    const degraded = await allocate("us-east-1d", "p3.2xlarge", { HostMaintenance: "on" });
    const [gpuGuest] = await launchOn(degraded, "p3.2xlarge", 1, images.gpu);
    const m5Host = await allocate("us-east-1d", "m5.large", { HostMaintenance: "on" });
    const [movable] = await launchOn(m5Host, "m5.large");
    await advanceClock(server.url, 60);
    const consoleBefore = await consoleOf(movable!);

    const moved = await extension(server.url, "StartServerMaintenance", { ServerId: await serverOfHost(m5Host) });
    expect(moved).toMatchObject({ guestsMigrating: 1, guestsScheduled: 0 });
    const replacement = (await instance(movable!)).Placement!.HostId!;
    expect(replacement).not.toBe(m5Host);
    expect(await host(replacement)).toMatchObject({ State: "available", HostMaintenance: "on", Instances: [{ InstanceId: movable }] });
    expect(await host(m5Host)).toMatchObject({ State: "released-permanent-failure" });
    const [migration] = list<any>((await extension(server.url, "DescribeInstanceMigrations", { InstanceId: movable! })).migrationSet);
    expect(migration).toMatchObject({ state: "completed", initiatedBy: "maintenance" });
    // Moved live, it never rebooted: its console was last written at its boot, before the maintenance.
    const consoleAfter = await consoleOf(movable!);
    expect(consoleAfter.Timestamp).toEqual(consoleBefore.Timestamp);
    expect(consoleAfter.Output).toBe(consoleBefore.Output);

    // A GPU guest cannot move live: it gets an instance-reboot event, and its host waits for it.
    const rebooted = await extension(server.url, "StartServerMaintenance", { ServerId: await serverOfHost(degraded) });
    expect(rebooted).toMatchObject({ guestsMigrating: 0, guestsScheduled: 1 });
    const [event] = (await status(gpuGuest!)).Events!;
    expect(event).toMatchObject({ Code: "instance-reboot", InstanceEventId: list(rebooted.instanceEventIdSet)[0] });
    expect(await host(degraded)).toMatchObject({ State: "permanent-failure", Instances: [{ InstanceId: gpuGuest }] });
    const gpuReplacement = (await hosts()).find((h) => h.HostProperties?.InstanceType === "p3.2xlarge" && h.HostId !== degraded)!;
    expect(gpuReplacement).toMatchObject({ State: "available", HostProperties: { InstanceType: "p3.2xlarge" } });
    // A second call resumes: no second replacement, no second event.
    expect(await extension(server.url, "StartServerMaintenance", { ServerId: await serverOfHost(degraded) })).toMatchObject({ guestsScheduled: 0 });
    expect((await hosts()).filter((h) => h.HostProperties?.InstanceType === "p3.2xlarge")).toHaveLength(2);

    // The event starts 14 days after it was scheduled; a day later it has rebooted the guest onto the replacement.
    await advanceClock(server.url, 15 * 86_400);
    // DescribeInstanceStatus brings the events up to the clock.
    expect((await status(gpuGuest!)).Events![0]!.Description).toMatch(/^\[Completed\] /);
    expect(await instance(gpuGuest!)).toMatchObject({ State: { Name: "running" }, Placement: { HostId: gpuReplacement.HostId } });
    expect(await host(degraded)).toMatchObject({ State: "released-permanent-failure" });
  });

  it("with host maintenance off: no replacement; the instances get retirement events 28 days out and the host is marked permanent-failure", async () => {
    const degraded = await allocate("us-east-1e", "m5.large", { HostMaintenance: "off" });
    const [guest] = await launchOn(degraded, "m5.large");
    const hostsBefore = (await hosts()).length;
    const result = await extension(server.url, "StartServerMaintenance", { ServerId: await serverOfHost(degraded) });
    expect(result).toMatchObject({ guestsMigrating: 0, guestsScheduled: 1 });
    expect(await hosts()).toHaveLength(hostsBefore);
    expect(await host(degraded)).toMatchObject({ State: "permanent-failure", Instances: [{ InstanceId: guest }] });
    const [event] = (await status(guest!)).Events!;
    expect(event).toMatchObject({ Code: "instance-retirement" });
    const scheduledAfterDays = (event!.NotBefore!.getTime() - (await instance(guest!)).LaunchTime!.getTime()) / 86_400_000;
    expect(Math.round(scheduledAfterDays)).toBe(28);
    // Each of DescribeInstanceStatus' event filters finds it.
    const filtered = async (Name: string, value: string) =>
      (await server.ec2().send(new DescribeInstanceStatusCommand({ Filters: [{ Name, Values: [value] }] }))).InstanceStatuses!.map((s) => s.InstanceId);
    expect(await filtered("event.instance-event-id", event!.InstanceEventId!)).toEqual([guest]);
    expect(await filtered("event.description", "*degraded hardware*")).toContain(guest);
    expect(await filtered("event.not-before", event!.NotBefore!.toISOString())).toEqual([guest]);
    expect(await filtered("event.not-after", event!.NotAfter!.toISOString())).toEqual([guest]);
    expect(await filtered("event.code", "instance-reboot")).not.toContain(guest);
    // Another account sees no event of ours.
    const theirs = await server.ec2({ credentials: other }).send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }));
    expect(theirs.InstanceStatuses!.map((s) => s.InstanceId)).not.toContain(guest);
  });
});
