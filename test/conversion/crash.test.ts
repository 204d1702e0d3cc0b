// The done-means: a real server process is SIGKILLed right after a step of a conversion has made its effect
// (before the step's result is stored), and restarted each time. The run still completes with exactly one AMI and
// one snapshot, every killed step ran twice without making anything twice, and no helper instance or temporary
// volume is left (terminated instances and deleted volumes do not count). One kill per kind of step, not per step:
// each restart is a server boot, and steps of one kind find what a killed attempt made the same way.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeConversionTasksCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { afterAll, describe, expect, it } from "vitest";
import { plannedSteps } from "../../src/domain/conversion.js";
import { taskTagKey } from "../../src/services/workflows/convert-pv-to-hvm.js";
import { extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { serverEntry, spawnScript, startServerProcess } from "../support/processes.js";
import { copyTemplateDatabase, defaultCredentials } from "../support/server.js";
import { exitedWithin, storedRunId } from "../support/workflow-crash.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-conversion-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
copyTemplateDatabase(join(dir, "crash.db"));
const env = { DATABASE_URL: `file:${join(dir, "crash.db")}`, MINI_EC2_DELAYS: "zero", LOG_LEVEL: "silent", MINI_EC2_WORKFLOW_LEASE_MS: "300" };

/**
 * The steps killed after, one of each kind. Left out, each the same as one kept: create-source-volume
 * (create-destination-volume: a volume found by its step tag), launch-test-instance (launch-helper: an instance found
 * by its client token), copy-filesystem (install-grub: the destination's guest rewritten), check-source
 * (check-test-instance: a check that makes nothing).
 */
const killedAfter = new Set([
  "launch-helper",
  "create-destination-volume",
  "attach-volumes",
  "install-grub",
  "snapshot-destination",
  "register-image",
  "check-test-instance",
  "clean-up",
]);

const client = (url: string) => new EC2Client({ endpoint: url, region: "us-east-1", credentials: defaultCredentials, maxAttempts: 1 });

describe("a conversion whose server is killed after each kind of step", () => {
  it("completes after the restarts with one AMI and nothing temporary left", async () => {
    const steps = plannedSteps({ keepSourceImage: true }).map((step) => step.name);
    expect(steps.filter((step) => killedAfter.has(step))).toEqual([...killedAfter]);
    let taskId: string | undefined;
    for (const step of killedAfter) {
      const crashing = { ...env, MINI_EC2_TEST_CRASH_AFTER_STEP: step };
      // A restarted server resumes the run and dies at once, maybe before it answers a health check: just run it.
      const server = taskId ? spawnScript(serverEntry, { ...crashing, PORT: "0" }) : await startServerProcess(crashing);
      if (!taskId) {
        const url = (server as Awaited<ReturnType<typeof startServerProcess>>).url;
        const source = (await amazonImageIds(client(url))).pvX86;
        // The server may die before it answers: the task id is read from the database below.
        await extension(url, "StartImageConversion", { SourceImageId: source, Name: "crash-converted", ClientToken: "crash" }).catch(() => undefined);
      }
      expect(await exitedWithin(server, 20_000), `${step}: ${server.stderr()}`).toBe("SIGKILL");
      // Read from the database: a server not told to crash would run the conversion on past the next step.
      taskId ??= await storedRunId(env.DATABASE_URL);
    }

    const last = await startServerProcess(env);
    try {
      const ec2 = client(last.url);
      await expect
        .poll(async () => (await ec2.send(new DescribeConversionTasksCommand({ ConversionTaskIds: [taskId!] }))).ConversionTasks![0]!.State, {
          timeout: 30_000,
          interval: 200,
        })
        .toBe("completed");
      const conversion = (await extension(last.url, "DescribeImageConversions", { "ConversionTaskId.1": taskId! })).imageConversionSet.item;
      const recorded = [].concat(conversion.stepSet.item) as Array<{ name: string; attempts: number; state: string }>;
      expect(recorded.map((s) => [s.name, s.state])).toEqual(steps.map((name) => [name, "succeeded"]));
      // Each killed step's body ran again after its kill (one interrupted attempt, one that finished), the others once...
      expect(recorded.filter((s) => killedAfter.has(s.name) && s.attempts < 2).map((s) => s.name)).toEqual([]);
      // ...and found what the killed attempt had made instead of making it again.
      const tagged = [{ Name: `tag:${taskTagKey}`, Values: [taskId!] }];
      const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ["self"] }));
      expect(Images!.map((image) => image.ImageId)).toEqual([conversion.imageId]);
      expect((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: tagged }))).Snapshots).toHaveLength(1);
      const instances = ((await ec2.send(new DescribeInstancesCommand({ Filters: tagged }))).Reservations ?? []).flatMap((r) => r.Instances!);
      expect(instances.filter((i) => !["shutting-down", "terminated"].includes(i.State!.Name!))).toEqual([]);
      expect(instances).toHaveLength(2); // one helper and one test instance, never a second of either
      expect((await ec2.send(new DescribeVolumesCommand({ Filters: tagged }))).Volumes).toEqual([]);
    } finally {
      last.child.kill("SIGKILL");
      await last.exited;
    }
  }, 180_000);
});
