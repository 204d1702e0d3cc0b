// Spot in `npm run bench`: RunInstances (On-Demand, one a call, lean client) on a fleet of 100 servers that Spot
// Instances fill to 90%, where past the free tenth each launch interrupts Spot Instances in its own transaction,
// next to the same launches on an empty fleet of the same size, measured in the same run (same load).
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { formatTable, type Measurement, measure } from "./harness.js";
import { fleetOf } from "./fleets.js";
import { startMiniEc2 } from "./processes.js";
import { seedSubnetWithGroup } from "./network-seed.js";
import { queryClient } from "./query-client.js";
import { imageNamed, sdkClient } from "./sdk-client.js";

const servers = 100;
const fleet = fleetOf(servers);

export const spotScenarioNames = ["RunInstances (1 a call, 100 servers, empty)", "RunInstances (1 a call, 100 servers, 90% Spot-filled, interrupting)"];

export async function spotBenchmarks(onlyWords: readonly string[]): Promise<void> {
  if (onlyWords.length && !onlyWords.some((word) => spotScenarioNames.some((name) => name.includes(word)) || word === "Spot")) return;
  const results: Measurement[] = [];
  const serverCpu: string[] = [];
  for (const [name, spotFill] of [
    [spotScenarioNames[0]!, 0],
    [spotScenarioNames[1]!, 0.9],
  ] as const) {
    // The server's own CPU time per measured launch (its request log): less skewed by the load than the latency.
    const cpuMs: number[] = [];
    let measuring = false;
    const server = await startMiniEc2({
      fleet,
      onLog: (event) => {
        if (measuring && event.action === "RunInstances" && typeof event.cpuMs === "number") cpuMs.push(event.cpuMs);
      },
    });
    try {
      const ec2 = sdkClient(server.endpoint);
      const imageId = await imageNamed(ec2, "amzn2-ami-hvm-2.0.20190313-x86_64-gp2");
      // 4,320 Spot Instances and the launches after them need more addresses than a default /20 subnet has.
      const { subnetId, groupId } = await seedSubnetWithGroup(server.databaseUrl!);
      // t3.micro takes 2 of a server's 96 vCPUs: 4,800 fill the fleet, 4,320 fill 90% of it.
      const spotInstances = Math.round((servers * 96 * spotFill) / 2);
      for (let launched = 0; launched < spotInstances; launched += 100) {
        const count = Math.min(100, spotInstances - launched);
        await ec2.send(
          new RunInstancesCommand({
            ImageId: imageId,
            InstanceType: "t3.micro",
            MinCount: count,
            MaxCount: count,
            Placement: { AvailabilityZone: "us-east-1a" },
            SubnetId: subnetId,
            SecurityGroupIds: [groupId],
            InstanceMarketOptions: { MarketType: "spot" },
          }),
        );
      }
      const lean = queryClient(server.endpoint);
      measuring = true;
      // The warm-up takes the free tenth: every measured launch on the Spot-filled fleet interrupts a Spot Instance.
      results.push(
        await measure({
          name,
          calls: 1000,
          warmup: 500,
          call: () =>
            lean.call(
              "RunInstances",
              {
                ImageId: imageId,
                InstanceType: "t3.micro",
                MinCount: "1",
                MaxCount: "1",
                "Placement.AvailabilityZone": "us-east-1a",
                SubnetId: subnetId,
                "SecurityGroupId.1": groupId,
              },
              "<instanceId>",
            ),
        }),
      );
      lean.close();
      cpuMs.sort((x, y) => x - y);
      serverCpu.push(`${name}: server CPU p50 ${cpuMs[Math.floor(cpuMs.length / 2)]?.toFixed(2)} ms over ${cpuMs.length} launches (warm-up included)`);
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(`Spot (${new Date().toISOString()})\n\n${formatTable(results)}\n\n${serverCpu.join("\n")}\n\n`);
}
