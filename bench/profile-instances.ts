// Profiles the instance scenarios of bench/instances.ts on the server's side: one mini-ec2 (10,000 servers) run
// with --cpu-prof, driven by the lean client through RunInstances, then DescribeInstances at 10,000 instances
// (first page of 100, and the tag filter). Prints each phase's server CPU per request (the request log's cpuMs)
// and, from the profile sliced to the phase's window, the functions with the most self time.
// `npx tsx bench/profile-instances.ts [profile dir]`; the machine's load matters less than for wall-clock rows.
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startMiniEc2 } from "./processes.js";
import { queryClient } from "./query-client.js";

const dir = process.argv[2] ?? `/tmp/mini-ec2-profile-${Date.now()}`;
mkdirSync(dir, { recursive: true });

const fleet = {
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
      perZone: 10_000,
      families: ["*"],
    },
  ],
};

const phases: { name: string; calls: number; startUs: number; endUs: number; cpuMs: number[]; processCpuMs: number }[] = [];
let current: (typeof phases)[number] | undefined;
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function phase(name: string, calls: number, call: () => Promise<unknown>): Promise<void> {
  const cpuBefore = processCpuMs();
  current = { name, calls, startUs: nowUs(), endUs: 0, cpuMs: [], processCpuMs: 0 };
  for (let i = 0; i < calls; i++) await call();
  current.endUs = nowUs();
  current.processCpuMs = processCpuMs() - cpuBefore;
  phases.push(current);
  current = undefined;
}

/** The server process's user and system time (all its threads), from /proc: the same measure for any version. */
function processCpuMs(): number {
  const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const server = await startMiniEc2({
  fleet,
  nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200"],
  onLog: (event) => {
    if (current && typeof event.cpuMs === "number") current.cpuMs.push(event.cpuMs);
  },
});
try {
  const lean = queryClient(server.endpoint);
  const images = await lean.call(
    "DescribeImages",
    { "Owner.1": "amazon", "Filter.1.Name": "name", "Filter.1.Value.1": "amzn2-ami-hvm-2.0.20190313-x86_64-gp2" },
    "<imageId>",
  );
  const image = /<imageId>([^<]+)</.exec(images)![1]!;
  const run = (extra: Record<string, string> = {}) =>
    lean.call(
      "RunInstances",
      {
        ImageId: image,
        InstanceType: "t3.micro",
        MinCount: "1",
        MaxCount: "1",
        "Placement.AvailabilityZone": "us-east-1a",
        ClientToken: randomUUID(),
        ...extra,
      },
      "<instanceId>",
    );
  await phase("warm-up RunInstances", 1000, run);
  await phase("RunInstances", 1000, run);
  for (let i = 0; i < 100; i++) {
    const team = i % 10 === 0 ? "blue" : "red";
    await run({
      MinCount: "100",
      MaxCount: "100",
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "team",
      "TagSpecification.1.Tag.1.Value": team,
    });
  }
  const describe = () => lean.call("DescribeInstances", { MaxResults: "100" }, "<reservationSet>");
  const describeTag = () => lean.call("DescribeInstances", { MaxResults: "100", "Filter.1.Name": "tag:team", "Filter.1.Value.1": "blue" }, "<reservationSet>");
  await phase("warm-up DescribeInstances", 100, async () => {
    await describe();
    await describeTag();
  });
  await phase("DescribeInstances (first 100)", 300, describe);
  await phase("DescribeInstances (tag filter, first 100)", 300, describeTag);
  lean.close();
  // The database, for EXPLAIN QUERY PLAN on the same rows (its write-ahead log too: the server has not checkpointed).
  const dbPath = server.databaseUrl!.replace(/^file:/, "");
  for (const suffix of ["", "-wal"]) if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, join(dir, `bench.db${suffix}`));
} finally {
  await server.stop();
}

writeFileSync(join(dir, "phases.json"), JSON.stringify(phases.map(({ cpuMs: _, ...phase }) => phase)));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"))!;
const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const frameName = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/(node_modules|dist|src)\//, "$1/");
  return `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
};
for (const { name, calls, startUs, endUs, cpuMs, processCpuMs } of phases) {
  const self = new Map<string, number>();
  let at = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (at < startUs || at > endUs) continue;
    const node = nodes.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === "(idle)") continue;
    const key = frameName(node);
    self.set(key, (self.get(key) ?? 0) + delta);
    total += delta;
  }
  const sorted = [...cpuMs].sort((a, b) => a - b);
  const mean = cpuMs.reduce((sum, ms) => sum + ms, 0) / cpuMs.length;
  process.stdout.write(
    `\n${name}: ${calls} calls, ${((endUs - startUs) / 1000 / calls).toFixed(2)} ms wall a call; server process CPU ${(processCpuMs / calls).toFixed(2)} ms a call; request log cpuMs mean ${mean.toFixed(2)}, p50 ${sorted[Math.floor(sorted.length / 2)]}; profile (non-idle) ${(total / 1000 / calls).toFixed(2)} ms a call\n`,
  );
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    process.stdout.write(`  ${(us / 1000 / calls).toFixed(3).padStart(7)} ms  ${key}\n`);
}
process.stdout.write(`\nprofile: ${join(dir, file)}\n`);
