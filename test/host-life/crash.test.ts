// A drain survives a crash: the real server process is SIGKILLed while StartServerMaintenance runs, restarted on the
// same database, and the drain called again; in the end every guest has moved exactly once and no server holds
// capacity for a guest it does not have. Real delays, so the migrations are still in progress across the restart.
import { DescribeImagesCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import {
  drainCrashEnv,
  drainKilled,
  processTestTimeoutMs,
  ec2,
  expectCapacityMatchesGuests,
  expectEachMovedOnce,
  fleetOf,
  list,
} from "../support/drain-crash.js";
import { extension } from "../support/extensions.js";
import { startServerProcess } from "../support/processes.js";

const env = drainCrashEnv("drain");

describe("a drain killed with SIGKILL", () => {
  it(
    "resumes after a restart and moves every guest exactly once",
    async () => {
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
      const drained = (await fleetOf(first.url)).find((s) => Number(s.instanceCount) === 12)!.serverId;

      await drainKilled(first, drained);

      const second = await startServerProcess(env);
      try {
        const resumed = await extension(second.url, "StartServerMaintenance", { ServerId: drained });
        expect(Number(resumed.guestsMigrating) + Number(resumed.guestsAlreadyMoving)).toBe(12);
        // A gigabit link moves 8 GiB in about 70 s; an hour completes every migration.
        await extension(second.url, "AdvanceClock", { Seconds: "3600" });
        await expectEachMovedOnce(second.url, guests);
        const servers = await fleetOf(second.url);
        const onDrained = servers.find((s) => s.serverId === drained)!;
        expect(onDrained).toMatchObject({ state: "under-maintenance", instanceCount: 0, usedVCpus: 0 });
        expectCapacityMatchesGuests(servers);
        expect(servers.reduce((sum, s) => sum + list(s.instanceSet).length, 0)).toBe(12);
      } finally {
        second.child.kill("SIGTERM");
        await second.exited;
      }
    },
    processTestTimeoutMs,
  );
});
