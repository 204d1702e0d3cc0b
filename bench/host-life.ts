// Live migration and server maintenance over the wire (the extensions MigrateInstance and StartServerMaintenance),
// against mini-ec2 at zero delays on a fleet of its own: one zone of 16 servers of 192 vCPUs, each room for 96
// m5.large. Prints calls/s and latency; the drain's latency is the wall time of draining a server of 96 instances.
import { AllocateHostsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { extension } from "../test/support/extensions.js";
import { formatTable, type Measurement, measure } from "./harness.js";
import { startMiniEc2 } from "./processes.js";
import { queryClient } from "./query-client.js";
import { imageNamed, sdkClient } from "./sdk-client.js";

const fleet = {
  only: ["us-east-1a"],
  classes: [
    {
      name: "nitro-x86",
      hypervisor: "nitro",
      architecture: "x86_64",
      sockets: 2,
      coresPerSocket: 48,
      threadsPerCore: 2,
      memoryGiB: 768,
      perZone: 16,
      families: ["*"],
    },
  ],
};

export const hostLifeScenarioNames = [
  "MigrateInstance (m5.large, pre-copy)",
  "StartServerMaintenance (drain of 96 instances)",
  "StartServerMaintenance (Dedicated Host of 48 m5.large, host maintenance on)",
];

export async function hostLifeBenchmarks(onlyWords: readonly string[]): Promise<void> {
  const wanted = (name: string) => !onlyWords.length || onlyWords.some((word) => name.includes(word));
  if (!hostLifeScenarioNames.some(wanted)) return;
  // Words that name only the Dedicated Host row run it alone, on its own fleet.
  if (!wanted(hostLifeScenarioNames[0]!) && !wanted(hostLifeScenarioNames[1]!)) return printHostLife([await hostMaintenance()]);
  const server = await startMiniEc2({ fleet });
  try {
    const ec2 = sdkClient(server.endpoint);
    const imageId = await imageNamed(ec2, "al2023-ami-2023.6.*-x86_64");
    const launch = async (count: number) =>
      (
        await ec2.send(
          new RunInstancesCommand({
            ImageId: imageId,
            InstanceType: "m5.large",
            MinCount: count,
            MaxCount: count,
            Placement: { AvailabilityZone: "us-east-1a" },
          }),
        )
      ).Instances!.map((instance) => instance.InstanceId!);
    const results: Measurement[] = [];

    // 96 guests fill the first server; each drain moves all of them to the next empty one (best fit), which the next
    // drain empties in turn. Server ids sort in fleet order.
    const guests = await launch(96);
    const servers = ((await extension(server.endpoint, "DescribeFleet", {})).serverSet.item as Array<{ serverId: string }>).map((s) => s.serverId);
    let drained = 0;
    results.push(
      await measure({
        name: hostLifeScenarioNames[1]!,
        calls: 8,
        concurrency: 1,
        warmup: 1,
        call: async () => {
          const result = await extension(server.endpoint, "StartServerMaintenance", { ServerId: servers[drained++]! });
          if (Number(result.guestsMigrating) !== 96) throw new Error(`drained ${result.guestsMigrating} guests, not 96`);
        },
      }),
    );

    // One migration a call, round the same 96 guests: at zero delays each completes before its guest comes round again.
    // The lean signed client (bench/query-client.ts): the SDK-based helper costs more CPU than the server's answer.
    const lean = queryClient(server.endpoint);
    let next = 0;
    results.push(
      await measure({
        name: hostLifeScenarioNames[0]!,
        calls: 1000,
        concurrency: 4,
        call: () => lean.call("MigrateInstance", { Version: "2026-11-22", InstanceId: guests[next++ % guests.length]!, Strategy: "pre-copy" }, "<migrationId>"),
      }),
    );
    lean.close();
    results.push(await hostMaintenance());
    printHostLife(results);
  } finally {
    await server.stop();
  }
}

/**
 * A Dedicated Host's maintenance: a replacement host allocated and 48 live migrations onto it started (and, at zero
 * delays, switched over) in one transaction. Each call maintains a host of its own, allocated and filled beforehand
 * on a fresh fleet (12 of its 16 servers: 6 hosts and their replacements).
 */
function printHostLife(results: readonly Measurement[]): void {
  process.stdout.write(
    `\nLive migration and maintenance (${new Date().toISOString()}, node ${process.version}, signed Query requests)\n\n${formatTable([...results])}\n`,
  );
}

async function hostMaintenance(): Promise<Measurement> {
  const server = await startMiniEc2({ fleet });
  try {
    return await maintainHosts(server.endpoint);
  } finally {
    await server.stop();
  }
}

async function maintainHosts(endpoint: string): Promise<Measurement> {
  const ec2 = sdkClient(endpoint);
  const imageId = await imageNamed(ec2, "al2023-ami-2023.6.*-x86_64");
  const calls = 5;
  const hostServers: string[] = [];
  for (let i = 0; i < calls + 1; i++) {
    const { HostIds } = await ec2.send(
      new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 1, HostMaintenance: "on" }),
    );
    await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "m5.large", MinCount: 48, MaxCount: 48, Placement: { HostId: HostIds![0]! } }));
    const servers = (await extension(endpoint, "DescribeFleet", {})).serverSet.item as Array<{ serverId: string; dedicatedHostId?: string }>;
    hostServers.push(servers.find((s) => s.dedicatedHostId === HostIds![0])!.serverId);
  }
  let next = 0;
  return measure({
    name: hostLifeScenarioNames[2]!,
    calls,
    concurrency: 1,
    warmup: 1,
    call: async () => {
      const result = await extension(endpoint, "StartServerMaintenance", { ServerId: hostServers[next++]! });
      if (Number(result.guestsMigrating) !== 48) throw new Error(`moved ${result.guestsMigrating} guests, not 48`);
    },
  });
}
