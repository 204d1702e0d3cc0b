// A PV -> HVM conversion on a real server process that is SIGKILLed at seeded random moments and restarted each
// time, then left to finish. Shared by test/conversion/random-crash.test.ts (a few seeds) and `npm run crash`
// (scripts/crash.mjs, many). Free of vitest, so a script can run it too.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeImagesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import Database from "better-sqlite3";
import { taskTagKey } from "../../src/services/workflows/convert-pv-to-hvm.js";
import { extension } from "./extensions.js";
import { listeningUrl, type ServerProcess, serverEntry, spawnScript } from "./processes.js";
import { defaultCredentials } from "./server.js";

export interface CrashOutcome {
  seed: number;
  taskId: string;
  /** Kill moments, in ms after the server answered. */
  killedAfterMs: number[];
  /** The run's state just after each kill, as the database holds it. */
  stateAtKill: string[];
  state: string;
  failureReason?: string;
  steps: Array<{ name: string; attempts: number; failures: number; state: string }>;
  /** Images the account owns: the converted one, and nothing else. */
  ownImages: string[];
  imageId?: string;
  taggedSnapshots: number;
  /** Tagged instances not terminated (or terminating), and all tagged instances. */
  liveInstances: string[];
  instances: number;
  taggedVolumes: string[];
}

/** mulberry32: a small seeded generator, so a failing seed can be run again. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const client = (url: string) => new EC2Client({ endpoint: url, region: "us-east-1", credentials: defaultCredentials, maxAttempts: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the server (dist/main.js, as npm start) and waits until it listens: like startServerProcess, with room for a slow, loaded machine. */
async function startServer(env: Record<string, string>, withinMs = 180_000): Promise<ServerProcess> {
  const started = spawnScript(serverEntry, { PORT: "0", ...env });
  return { url: await listeningUrl(started, withinMs), ...started };
}

/**
 * Real delays (or a tenth of them, "fast"): the conversion then waits on its resources (a helper that boots, a snapshot, the test instance's
 * ~20 s status checks) for about a minute of wall time, which goes on while the server is down, so kills spread over
 * a restart each land anywhere in the run, in the waits above all.
 */
export async function convertThroughKills(
  seed: number,
  // templateDatabase: a migrated, seeded database to start from, so the first start skips the catalog's seed.
  options: { kills?: number; maxKillAfterMs?: number; delays?: "real" | "fast"; templateDatabase?: string } = {},
): Promise<CrashOutcome> {
  const kills = options.kills ?? 10;
  const delays = options.delays ?? "real";
  // Kills spread over the same share of the run whatever its pace.
  const maxKillAfterMs = options.maxKillAfterMs ?? (delays === "fast" ? 300 : 3000);
  const random = seeded(seed);
  const dir = mkdtempSync(join(tmpdir(), `mini-ec2-random-crash-${seed}-`));
  const databaseFile = join(dir, "crash.db");
  if (options.templateDatabase) copyFileSync(options.templateDatabase, databaseFile);
  const env = { DATABASE_URL: `file:${databaseFile}`, MINI_EC2_DELAYS: delays, LOG_LEVEL: "silent", MINI_EC2_WORKFLOW_LEASE_MS: "300" };
  const runState = () => {
    const db = new Database(databaseFile, { readonly: true, timeout: 5000 });
    try {
      return (db.prepare(`SELECT "state" FROM "WorkflowRun"`).get() as { state: string } | undefined)?.state ?? "none";
    } finally {
      db.close();
    }
  };
  let server: ServerProcess | undefined;
  try {
    server = await startServer(env);
    const { Images = [] } = await client(server.url).send(
      new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn-ami-pv-2013.09.2.x86_64-ebs"] }] }),
    );
    const started = await extension(server.url, "StartImageConversion", {
      SourceImageId: Images[0]!.ImageId!,
      Name: `random-crash-${seed}`,
      ClientToken: `random-crash-${seed}`,
    });
    const taskId: string = started.conversionTaskId ?? started.imageConversion?.conversionTaskId;
    const killedAfterMs: number[] = [];
    const stateAtKill: string[] = [];
    for (let kill = 0; kill < kills; kill++) {
      const wait = Math.floor(random() * maxKillAfterMs);
      await sleep(wait);
      server.child.kill("SIGKILL");
      await server.exited;
      killedAfterMs.push(wait);
      stateAtKill.push(runState());
      server = await startServer(env);
    }

    const ec2 = client(server.url);
    const deadline = Date.now() + 240_000;
    let conversion: any;
    for (;;) {
      conversion = (await extension(server.url, "DescribeImageConversions", { "ConversionTaskId.1": taskId })).imageConversionSet.item;
      if (!["pending", "running", "compensating", "queued", "active", "cancelling"].includes(conversion.state) || Date.now() > deadline) break;
      await sleep(200);
    }
    const db = new Database(databaseFile, { readonly: true, timeout: 5000 });
    let run: { state: string; failureReason: string | null };
    let steps: CrashOutcome["steps"];
    try {
      run = db.prepare(`SELECT "state", "failureReason" FROM "WorkflowRun" WHERE "runId" = ?`).get(taskId) as typeof run;
      steps = db
        .prepare(`SELECT "name", "attempts", "failures", "state" FROM "WorkflowStep" WHERE "runId" = ? ORDER BY "seq"`)
        .all(taskId) as CrashOutcome["steps"];
    } finally {
      db.close();
    }
    const tagged = [{ Name: `tag:${taskTagKey}`, Values: [taskId] }];
    const own = (await ec2.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images ?? [];
    const instances = ((await ec2.send(new DescribeInstancesCommand({ Filters: tagged }))).Reservations ?? []).flatMap((r) => r.Instances ?? []);
    return {
      seed,
      taskId,
      killedAfterMs,
      stateAtKill,
      state: run.state,
      ...(run.failureReason ? { failureReason: run.failureReason } : {}),
      steps,
      ownImages: own.map((image) => image.ImageId!),
      ...(conversion.imageId ? { imageId: conversion.imageId } : {}),
      taggedSnapshots: ((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: tagged }))).Snapshots ?? []).length,
      liveInstances: instances.filter((i) => !["shutting-down", "terminated"].includes(i.State!.Name!)).map((i) => i.InstanceId!),
      instances: instances.length,
      taggedVolumes: ((await ec2.send(new DescribeVolumesCommand({ Filters: tagged }))).Volumes ?? []).map((v) => v.VolumeId!),
    };
  } finally {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What is wrong with an outcome: the run did not succeed, made more than one image, or left something behind. */
export function problemsOf(outcome: CrashOutcome): string[] {
  const problems: string[] = [];
  if (outcome.state !== "succeeded") problems.push(`the run is ${outcome.state}${outcome.failureReason ? `: ${outcome.failureReason}` : ""}`);
  const failed = outcome.steps.filter((step) => step.failures > 0 || step.state !== "succeeded");
  if (failed.length)
    problems.push(`steps with failures: ${failed.map((step) => `${step.name} (${step.state}, ${step.failures} failed of ${step.attempts})`).join(", ")}`);
  if (outcome.ownImages.length !== 1 || outcome.ownImages[0] !== outcome.imageId)
    problems.push(`images owned: ${outcome.ownImages.join(", ") || "none"} (converted: ${outcome.imageId ?? "none"})`);
  if (outcome.taggedSnapshots !== 1) problems.push(`${outcome.taggedSnapshots} snapshots made`);
  if (outcome.liveInstances.length) problems.push(`instances left running: ${outcome.liveInstances.join(", ")}`);
  if (outcome.instances !== 2) problems.push(`${outcome.instances} instances launched (one helper and one test instance expected)`);
  if (outcome.taggedVolumes.length) problems.push(`volumes left: ${outcome.taggedVolumes.join(", ")}`);
  return problems;
}

/** One line per outcome, for the script and for a failing test's message. */
export function describeOutcome(outcome: CrashOutcome): string {
  const interrupted = outcome.steps.filter((step) => step.attempts > 1).map((step) => `${step.name}x${step.attempts}`);
  const midRun = outcome.stateAtKill.filter((state) => state === "running" || state === "queued").length;
  return `seed ${outcome.seed}: ${outcome.state}, ${midRun}/${outcome.killedAfterMs.length} kills mid-run, steps run again: ${interrupted.join(" ") || "none"}`;
}
