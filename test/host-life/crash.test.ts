// A drain survives a crash: the real server process is SIGKILLed while StartServerMaintenance runs, restarted on the
// same database, and the drain called again; in the end every guest has moved exactly once and no server holds
// capacity for a guest it does not have. Real delays, so the migrations are still in progress across the restart.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { startServerProcess } from "../support/processes.js";
import { copyTemplateDatabase } from "../support/server.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-drain-crash-"));
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
copyTemplateDatabase(join(dir, "drain.db"));
const env = { DATABASE_URL: `file:${join(dir, "drain.db")}`, MINI_EC2_DELAYS: "real", MINI_EC2_FLEET_FILE: fleetFile };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);
const ec2 = (url: string) =>
  new EC2Client({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

describe("a drain killed with SIGKILL", () => {
  it("resumes after a restart and moves every guest exactly once", async () => {
    const first = await startServerProcess(env);
    const { Images } = await ec2(first.url).send(
      new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-2023.6.*-x86_64"] }] }),
    );
    const { Instances } = await ec2(first.url).send(
      new RunInstancesCommand({
        ImageId: Images![0]!.ImageId!,
        InstanceType: "m5.large",
        MinCount: 12,
        MaxCount: 12,
        Placement: { AvailabilityZone: "us-east-1a" },
      }),
    );
    const guests = Instances!.map((i) => i.InstanceId!);
    await extension(first.url, "AdvanceClock", { Seconds: "30" });
    const fleet = async (url: string) => list<any>((await extension(url, "DescribeFleet", {})).serverSet);
    const drained = (await fleet(first.url)).find((s) => Number(s.instanceCount) === 12)!.serverId;

    // Killed while the drain is in flight: whether its transaction committed or not, the restart must finish it.
    const inFlight = extension(first.url, "StartServerMaintenance", { ServerId: drained }).catch(() => "killed");
    await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    await inFlight;

    const second = await startServerProcess(env);
    try {
      const resumed = await extension(second.url, "StartServerMaintenance", { ServerId: drained });
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
      const servers = await fleet(second.url);
      const onDrained = servers.find((s) => s.serverId === drained)!;
      expect(onDrained).toMatchObject({ state: "under-maintenance", instanceCount: 0, usedVCpus: 0 });
      // Every other server holds exactly what its guests take: 2 vCPUs an m5.large.
      for (const server of servers) expect(Number(server.usedVCpus), server.serverId).toBe(2 * list(server.instanceSet).length);
      expect(servers.reduce((sum, s) => sum + list(s.instanceSet).length, 0)).toBe(12);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});
