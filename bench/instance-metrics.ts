// GetInstanceMetrics over the wire: a day of 1-minute datapoints for a t3.micro (credits and contention) that shares
// a Nitro server with 23 neighbours, every guest changing its workload every half hour of the day.
// Issue 17's target: p50 under 5 ms, read with the lean signed client so the figure is the server's.
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { extension } from "../test/support/extensions.js";
import { formatTable, measure } from "./harness.js";
import { startMiniEc2 } from "./processes.js";
import { queryClient } from "./query-client.js";
import { imageNamed, sdkClient } from "./sdk-client.js";
import { fleetOf } from "./fleets.js";

const fleet = fleetOf(1);

export const instanceMetricsScenarioNames = [
  "GetInstanceMetrics (a day of 1-minute samples, 8 metrics, 24 guests)",
  "GetInstanceMetrics (a day of 1-minute samples, CPUCreditBalance)",
  "GetInstanceMetrics (a day of 1-minute samples, DiskLatencyMs, 24 guests)",
];

export async function instanceMetricsBenchmarks(onlyWords: readonly string[]): Promise<void> {
  if (onlyWords.length && !onlyWords.some((word) => instanceMetricsScenarioNames.some((name) => name.includes(word)))) return;
  // The server's own CPU time per GetInstanceMetrics, from its request log: on a loaded machine the client's
  // latency includes waiting for a core.
  const cpuMs: number[] = [];
  const server = await startMiniEc2({
    fleet,
    onLog: (event) => {
      if (event.action === "GetInstanceMetrics" && typeof event.cpuMs === "number") cpuMs.push(event.cpuMs);
    },
  });
  try {
    const ec2 = sdkClient(server.endpoint);
    const imageId = await imageNamed(ec2, "al2023-ami-2023.6.*-x86_64");
    const start = Date.parse((await extension(server.endpoint, "AdvanceClock", { Seconds: "0" })).now);
    const { Instances = [] } = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: "t3.micro",
        MinCount: 24,
        MaxCount: 24,
        Placement: { AvailabilityZone: "us-east-1a" },
      }),
    );
    const guests = Instances.map((instance) => instance.InstanceId!);
    // 48 half hours: each guest gets a new CPU and disk load every half hour, so the day has 24 x 48 change points.
    for (let halfHour = 0; halfHour < 48; halfHour++) {
      for (const [i, id] of guests.entries()) {
        const workload = { CpuPercent: String((halfHour * 7 + i * 13) % 100), DiskIops: String(((halfHour + i) % 5) * 500) };
        await extension(server.endpoint, "SetInstanceWorkload", { InstanceId: id, ...workload });
      }
      await extension(server.endpoint, "AdvanceClock", { Seconds: "1800" });
    }
    const lean = queryClient(server.endpoint);
    const window = {
      Version: "2026-11-22",
      InstanceId: guests[0]!,
      StartTime: new Date(start).toISOString(),
      EndTime: new Date(start + 86_400_000).toISOString(),
      Period: "60",
    };
    const serverCpu = () => {
      const sorted = cpuMs.splice(0).sort((a, b) => a - b);
      return `server CPU p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} ms`;
    };
    const scenarios = [
      { name: instanceMetricsScenarioNames[0]!, params: window },
      { name: instanceMetricsScenarioNames[1]!, params: { ...window, "MetricName.1": "CPUCreditBalance" } },
      { name: instanceMetricsScenarioNames[2]!, params: { ...window, "MetricName.1": "DiskLatencyMs" } },
    ];
    const results = [];
    const cpuFigures = [];
    for (const { name, params } of scenarios) {
      results.push(await measure({ name, calls: 200, concurrency: 1, call: () => lean.call("GetInstanceMetrics", params, "<metricDataResultSet>") }));
      cpuFigures.push(`${name}: ${serverCpu()}`);
    }
    lean.close();
    process.stdout.write(
      `\nGetInstanceMetrics (${new Date().toISOString()}, node ${process.version}, signed Query requests)\n\n${formatTable(results)}\n${cpuFigures.join("\n")}\n`,
    );
  } finally {
    await server.stop();
  }
}
