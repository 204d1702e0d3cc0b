// A Dedicated Host's maintenance survives a crash: the real server process is SIGKILLed while StartServerMaintenance
// runs on a host's server, restarted on the same database, and the maintenance called again; in the end there is
// exactly one replacement host, every instance moved to it exactly once, and no server holds capacity for a guest
// it does not have. Real delays, so the migrations are still in progress across the restart.
import { AllocateHostsCommand, DescribeHostsCommand, DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { drainCrashEnv, drainKilled, processTestTimeoutMs, ec2, expectCapacityMatchesGuests, expectEachMovedOnce, fleetOf } from "../support/drain-crash.js";
import { extension } from "../support/extensions.js";
import { startServerProcess } from "../support/processes.js";

const env = drainCrashEnv("host-crash");

describe("a Dedicated Host's maintenance killed with SIGKILL", () => {
  it(
    "resumes after a restart with one replacement host and every instance moved to it exactly once",
    async () => {
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
      const hostServer = (await fleetOf(first.url)).find((s) => s.dedicatedHostId === degraded)!.serverId;

      await drainKilled(first, hostServer);

      const second = await startServerProcess(env);
      try {
        const resumed = await extension(second.url, "StartServerMaintenance", { ServerId: hostServer });
        expect(Number(resumed.guestsMigrating) + Number(resumed.guestsAlreadyMoving)).toBe(12);
        await extension(second.url, "AdvanceClock", { Seconds: "3600" });
        await expectEachMovedOnce(second.url, guests);
        const { Hosts } = await ec2(second.url).send(new DescribeHostsCommand({}));
        expect(Hosts).toHaveLength(2);
        const replacement = Hosts!.find((h) => h.HostId !== degraded)!;
        expect(Hosts!.find((h) => h.HostId === degraded)).toMatchObject({ State: "released-permanent-failure" });
        expect(replacement).toMatchObject({ State: "available", HostMaintenance: "on" });
        expect(replacement.Instances!.map((i) => i.InstanceId).sort()).toEqual([...guests].sort());
        const { Reservations } = await ec2(second.url).send(new DescribeInstancesCommand({ InstanceIds: guests }));
        expect(new Set(Reservations!.flatMap((r) => r.Instances!.map((i) => i.Placement!.HostId)))).toEqual(new Set([replacement.HostId]));
        const servers = await fleetOf(second.url);
        expectCapacityMatchesGuests(servers);
        expect(servers.find((s) => s.serverId === hostServer)).toMatchObject({ instanceCount: 0, usedVCpus: 0 });
      } finally {
        second.child.kill("SIGTERM");
        await second.exited;
      }
    },
    processTestTimeoutMs,
  );
});
