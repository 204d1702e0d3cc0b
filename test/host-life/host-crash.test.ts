// A Dedicated Host's maintenance survives a crash: the real server process is SIGKILLed while StartServerMaintenance
// runs on a host's server, restarted on the same database, and the maintenance called again; in the end there is
// exactly one replacement host, every instance moved to it exactly once, and no server holds capacity for a guest
// it does not have. Real delays, so the migrations are still in progress across the restart.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AllocateHostsCommand,
  DescribeHostsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { startServerProcess } from "../support/processes.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-host-crash-"));
const fleetFile = join(dir, "fleet.json");
writeFileSync(
  fleetFile,
  JSON.stringify({
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
        perZone: 3,
        families: ["*"],
      },
    ],
  }),
);
const env = { DATABASE_URL: `file:${join(dir, "host.db")}`, MINI_EC2_DELAYS: "real", MINI_EC2_FLEET_FILE: fleetFile };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);
const ec2 = (url: string) =>
  new EC2Client({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

describe("a Dedicated Host's maintenance killed with SIGKILL", () => {
  it("resumes after a restart with one replacement host and every instance moved to it exactly once", async () => {
    const first = await startServerProcess(env);
    const { HostIds } = await ec2(first.url).send(
      new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 1, HostMaintenance: "on" }),
    );
    const degraded = HostIds![0]!;
    const { Images } = await ec2(first.url).send(
      new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-2023.6.*-x86_64"] }] }),
    );
    const { Instances } = await ec2(first.url).send(
      new RunInstancesCommand({ ImageId: Images![0]!.ImageId!, InstanceType: "m5.large", MinCount: 12, MaxCount: 12, Placement: { HostId: degraded } }),
    );
    const guests = Instances!.map((i) => i.InstanceId!);
    await extension(first.url, "AdvanceClock", { Seconds: "30" });
    const fleet = async (url: string) => list<any>((await extension(url, "DescribeFleet", {})).serverSet);
    const hostServer = (await fleet(first.url)).find((s) => s.dedicatedHostId === degraded)!.serverId;

    // Killed while the maintenance is in flight: whether its transaction committed or not, the restart must finish it.
    const inFlight = extension(first.url, "StartServerMaintenance", { ServerId: hostServer }).catch(() => "killed");
    await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    await inFlight;

    const second = await startServerProcess(env);
    try {
      const resumed = await extension(second.url, "StartServerMaintenance", { ServerId: hostServer });
      expect(Number(resumed.guestsMigrating) + Number(resumed.guestsAlreadyMoving)).toBe(12);
      // A gigabit link moves 8 GiB in about 70 s; an hour completes every migration.
      await extension(second.url, "AdvanceClock", { Seconds: "3600" });
      for (const instanceId of guests) {
        const migrations = list<any>((await extension(second.url, "DescribeInstanceMigrations", { InstanceId: instanceId })).migrationSet);
        expect(
          migrations.map((m) => m.state),
          instanceId,
        ).toEqual(["completed"]);
      }
      const { Hosts } = await ec2(second.url).send(new DescribeHostsCommand({}));
      expect(Hosts).toHaveLength(2);
      const replacement = Hosts!.find((h) => h.HostId !== degraded)!;
      expect(Hosts!.find((h) => h.HostId === degraded)).toMatchObject({ State: "released-permanent-failure" });
      expect(replacement).toMatchObject({ State: "available", HostMaintenance: "on" });
      expect(replacement.Instances!.map((i) => i.InstanceId).sort()).toEqual([...guests].sort());
      const { Reservations } = await ec2(second.url).send(new DescribeInstancesCommand({ InstanceIds: guests }));
      expect(new Set(Reservations!.flatMap((r) => r.Instances!.map((i) => i.Placement!.HostId)))).toEqual(new Set([replacement.HostId]));
      // The servers hold exactly what their guests take: 2 vCPUs an m5.large, none on the degraded host's.
      const servers = await fleet(second.url);
      for (const server of servers) expect(Number(server.usedVCpus), server.serverId).toBe(2 * list(server.instanceSet).length);
      expect(servers.find((s) => s.serverId === hostServer)).toMatchObject({ instanceCount: 0, usedVCpus: 0 });
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
