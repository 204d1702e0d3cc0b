// A Xen to Nitro FullMigration whose server is SIGKILLed right after a step has made its effect (before the step's
// result is stored), at the two steps that make something: the clone's launch and the golden AMI. Each restart
// resumes the run, which completes with one clone and one golden AMI (and one clone AMI): the step that ran again
// found what the killed attempt had made instead of making it twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, describe, expect, it } from "vitest";
import { migrationTaskTagKey } from "../../src/services/workflows/migrate-xen-to-nitro.js";
import { extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { serverEntry, spawnScript, startServerProcess } from "../support/processes.js";
import { copyTemplateDatabase, defaultCredentials } from "../support/server.js";
import { exitedWithin, storedRunId } from "../support/workflow-crash.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-nitro-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A copy of the seeded template: a first start on an empty database spends seconds seeding the catalog.
copyTemplateDatabase(join(dir, "crash.db"));
const env = { DATABASE_URL: `file:${join(dir, "crash.db")}`, MINI_EC2_DELAYS: "zero", LOG_LEVEL: "silent", MINI_EC2_WORKFLOW_LEASE_MS: "300" };
const killedAfter = ["launch-clone", "create-golden-ami"];
const list = <T>(set: { item?: T | T[] } | "" | undefined): T[] => (set && set.item !== undefined ? ([] as T[]).concat(set.item) : []);
const client = (url: string) => new EC2Client({ endpoint: url, region: "us-east-1", credentials: defaultCredentials, maxAttempts: 1 });

describe("a Xen to Nitro migration whose server is killed after the clone's launch and after the golden AMI", () => {
  it("resumes after each restart and completes with one clone and one golden AMI", async () => {
    let runId: string | undefined;
    for (const step of killedAfter) {
      const crashing = { ...env, MINI_EC2_TEST_CRASH_AFTER_STEP: step };
      // A restarted server resumes the run and may die before it answers a health check: just run it.
      const server = runId ? spawnScript(serverEntry, { ...crashing, PORT: "0" }) : await startServerProcess(crashing);
      if (!runId) {
        const url = (server as Awaited<ReturnType<typeof startServerProcess>>).url;
        const ec2 = client(url);
        // Amazon Linux AMI 2016.03 on t2.micro: a Xen HVM guest without ENA or NVMe, which the migration repairs.
        const { Instances } = await ec2.send(
          new RunInstancesCommand({
            ImageId: (await amazonImageIds(ec2)).hvmNoEna,
            InstanceType: "t2.micro",
            MinCount: 1,
            MaxCount: 1,
            Placement: { AvailabilityZone: "us-east-1a" },
          }),
        );
        const params = { InstanceId: Instances![0]!.InstanceId!, TargetInstanceType: "m5.large", OperationType: "FullMigration", ClientToken: "crash" };
        // The server may die before it answers: the run id is read from the database below.
        await extension(url, "StartNitroMigration", params).catch(() => undefined);
      }
      expect(await exitedWithin(server, 30_000), `${step}: ${server.stderr()}`).toBe("SIGKILL");
      runId ??= await storedRunId(env.DATABASE_URL);
    }

    const last = await startServerProcess(env);
    try {
      const describe = async () => list<any>((await extension(last.url, "DescribeNitroMigrations", { "MigrationTaskId.1": runId! })).nitroMigrationSet)[0];
      await expect.poll(async () => (await describe()).state, { timeout: 30_000, interval: 200 }).toBe("succeeded");
      const done = await describe();
      const steps = list<any>(done.stepSet);
      expect(steps.map((step) => step.state)).toEqual(steps.map(() => "succeeded"));
      // The killed steps ran again (one interrupted attempt, one that finished)...
      const attempts = Object.fromEntries(steps.map((step) => [step.name, Number(step.attempts)]));
      for (const step of killedAfter) expect(attempts[step], step).toBeGreaterThanOrEqual(2);

      // ...and found what the killed attempt had made: one clone, one clone AMI, one golden AMI.
      const ec2 = client(last.url);
      const tagged = [{ Name: `tag:${migrationTaskTagKey}`, Values: [done.migrationTaskId] }];
      const clones = ((await ec2.send(new DescribeInstancesCommand({ Filters: tagged }))).Reservations ?? []).flatMap((r) => r.Instances!);
      expect(clones.map((clone) => [clone.InstanceId, clone.InstanceType, clone.State!.Name])).toEqual([[done.cloneInstanceId, "m5.large", "running"]]);
      const images = (await ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: tagged }))).Images!;
      expect(images).toHaveLength(2);
      expect(images.map((image) => image.ImageId)).toContain(done.goldenImageId);
    } finally {
      last.child.kill("SIGKILL");
      await last.exited;
    }
  }, 120_000);
});
