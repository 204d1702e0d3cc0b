// What the drain crash tests share (test/host-life/crash.test.ts, host-crash.test.ts): a one-zone fleet of three
// Nitro servers in a database of their own with real delays, and a StartServerMaintenance killed with SIGKILL while
// in flight. Whether its transaction committed or not, the restarted server must finish the drain.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, expect } from "vitest";
import { extension } from "./extensions.js";
import type { ServerProcess } from "./processes.js";
import { copyTemplateDatabase } from "./server.js";

/** The environment of a server on its own database and fleet (removed after the file's tests). */
export function drainCrashEnv(name: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), `mini-ec2-${name}-`));
  const fleetFile = join(dir, "fleet.json");
  const nitro = { name: "nitro-x86", hypervisor: "nitro", architecture: "x86_64", sockets: 2, coresPerSocket: 24, threadsPerCore: 2, memoryGiB: 384 };
  writeFileSync(fleetFile, JSON.stringify({ only: ["us-east-1a"], classes: [{ ...nitro, perZone: 3, families: ["*"] }] }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A copy of the seeded template: a first start on an empty database spends seconds seeding the catalog.
  copyTemplateDatabase(join(dir, `${name}.db`));
  return { DATABASE_URL: `file:${join(dir, `${name}.db`)}`, MINI_EC2_DELAYS: "real", MINI_EC2_FLEET_FILE: fleetFile };
}

/** Two server processes start in each test: on a loaded machine that alone can take most of vitest's default 30 s. */
export const processTestTimeoutMs = 120_000;

export const list = <T>(set: { item?: T | T[] } | undefined): T[] => (set?.item === undefined ? [] : Array.isArray(set.item) ? set.item : [set.item]);

export const ec2 = (url: string) =>
  new EC2Client({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

export const fleetOf = async (url: string): Promise<any[]> => list<any>((await extension(url, "DescribeFleet", {})).serverSet);

/** Starts StartServerMaintenance on the server and kills the process 5 ms later. */
export async function drainKilled(server: ServerProcess, serverId: string): Promise<void> {
  const inFlight = extension(server.url, "StartServerMaintenance", { ServerId: serverId }).catch(() => "killed");
  await new Promise((resolve) => setTimeout(resolve, 5));
  server.child.kill("SIGKILL");
  expect(await server.exited).toBe("SIGKILL");
  await inFlight;
}

/** After the resumed drain and an hour of virtual time, each guest has exactly one migration, completed. */
export async function expectEachMovedOnce(url: string, guests: readonly string[]): Promise<void> {
  for (const instanceId of guests) {
    const migrations = list<any>((await extension(url, "DescribeInstanceMigrations", { InstanceId: instanceId })).migrationSet);
    expect(
      migrations.map((m) => m.state),
      instanceId,
    ).toEqual(["completed"]);
  }
}

/** Every server holds exactly what its guests take: 2 vCPUs an m5.large. */
export function expectCapacityMatchesGuests(servers: readonly any[]): void {
  for (const server of servers) expect(Number(server.usedVCpus), server.serverId).toBe(2 * list(server.instanceSet).length);
}
