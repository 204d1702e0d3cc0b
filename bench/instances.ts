// The instance benchmarks of `npm run bench`, each against mini-ec2 and, in the same run, moto's EC2 server:
// RunInstances one instance a call, on fleets of 100 and of 10,000 servers; DescribeInstances with 10,000
// instances in the account (first page of 100, and a tag filter). Prints both and the ratios.
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { formatTable, type Measurement, measure } from "./harness.js";
import { type BenchServer, startMiniEc2, startMoto } from "./processes.js";

const fleetOf = (servers: number) => ({
  only: ["us-east-1a"],
  classes: [{ name: "nitro-x86", hypervisor: "nitro", architecture: "x86_64", sockets: 2, coresPerSocket: 24, threadsPerCore: 2, memoryGiB: 384, perZone: servers, families: ["*"] }],
});

function client(endpoint: string): EC2Client {
  return new EC2Client({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
}

async function hvmImage(ec2: EC2Client, owner: string, name: string): Promise<string> {
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({ Owners: [owner], Filters: [{ Name: "name", Values: [name] }] }));
  if (!Images[0]) throw new Error(`no image named ${name}`);
  return Images[0].ImageId!;
}

/** 10,000 instances in 100 launches of 100, a tenth of them tagged team=blue: setup, not measured. */
async function seedInstances(ec2: EC2Client, imageId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId, InstanceType: "t3.micro", MinCount: 100, MaxCount: 100, Placement: { AvailabilityZone: "us-east-1a" },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "team", Value: i % 10 === 0 ? "blue" : "red" }] }],
      }),
    );
  }
}

/** How many times to call each DescribeInstances scenario: moto takes seconds a call at 10,000 instances. */
interface Effort {
  describeCalls: number;
  describeConcurrency: number;
  describeWarmup: number;
}

async function scenarios(label: string, server: BenchServer, imageId: (ec2: EC2Client) => Promise<string>, effort: Effort, withFleet10k?: BenchServer): Promise<Measurement[]> {
  const ec2 = client(server.endpoint);
  const image = await imageId(ec2);
  const run = (target: EC2Client) => () => target.send(new RunInstancesCommand({ ImageId: image, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }));
  // A longer warm-up than the default, for both servers: the first few hundred launches pay for JIT compilation.
  const launches = { calls: 500, warmup: 200 };
  const results = [await measure({ name: `${label} RunInstances (1 a call, 100 servers)`, ...launches, call: run(ec2) })];
  // The 10,000 instances need more room than 100 servers have: they go to the large fleet where there is one.
  let target = ec2;
  if (withFleet10k) {
    target = client(withFleet10k.endpoint);
    results.push(await measure({ name: `${label} RunInstances (1 a call, 10,000 servers)`, ...launches, call: run(target) }));
  }
  await seedInstances(target, image);
  const describe = { calls: effort.describeCalls, concurrency: effort.describeConcurrency, warmup: effort.describeWarmup };
  results.push(await measure({ name: `${label} DescribeInstances (10,000; first 100)`, ...describe, call: () => target.send(new DescribeInstancesCommand({ MaxResults: 100 })) }));
  results.push(
    await measure({ name: `${label} DescribeInstances (10,000; tag filter, first 100)`, ...describe, call: () => target.send(new DescribeInstancesCommand({ MaxResults: 100, Filters: [{ Name: "tag:team", Values: ["blue"] }] })) }),
  );
  return results;
}

export async function instanceBenchmarks(only: string[]): Promise<void> {
  const words = only.filter((word) => !word.startsWith("--"));
  if (words.length && !words.some((word) => ["RunInstances", "DescribeInstances"].some((name) => name.includes(word) || word.includes(name)))) return;
  const small = await startMiniEc2({ fleet: fleetOf(100) });
  const large = await startMiniEc2({ fleet: fleetOf(10_000) });
  let mini: Measurement[];
  try {
    mini = await scenarios("mini-ec2", small, (ec2) => hvmImage(ec2, "amazon", "amzn2-ami-hvm-2.0.20190313-x86_64-gp2"), { describeCalls: 200, describeConcurrency: 1, describeWarmup: 20 }, large);
    process.stdout.write(`\nInstances, mini-ec2\n\n${formatTable(mini)}\n`);
  } finally {
    await small.stop();
    await large.stop();
  }
  // `npm run bench -- --no-moto` leaves the comparison out (moto's DescribeInstances at 10,000 takes minutes).
  const moto = only.includes("--no-moto") ? undefined : await startMoto();
  let theirs: Measurement[] = [];
  if (moto) {
    try {
      const image = async (ec2: EC2Client) => (await ec2.send(new DescribeImagesCommand({}))).Images!.find((i) => i.Architecture === "x86_64")!.ImageId!;
      theirs = await scenarios("moto", moto, image, { describeCalls: 2, describeConcurrency: 1, describeWarmup: 0 });
    } finally {
      await moto.stop();
    }
  }
  process.stdout.write(`\nInstances, mini-ec2 against moto 5 (python3 -m moto.server), the same workload\n\n${formatTable([...mini, ...theirs])}\n`);
  const pair = (ours: string, their: string) => {
    const a = mini.find((m) => m.name === `mini-ec2 ${ours}`);
    const b = theirs.find((m) => m.name === `moto ${their}`);
    return a && b ? `${ours}: ${(a.callsPerSecond / b.callsPerSecond).toFixed(1)}× moto's calls/s, p50 ${a.p50Ms.toFixed(1)} ms vs ${b.p50Ms.toFixed(1)} ms` : undefined;
  };
  const lines = [
    pair("RunInstances (1 a call, 100 servers)", "RunInstances (1 a call, 100 servers)"),
    pair("DescribeInstances (10,000; first 100)", "DescribeInstances (10,000; first 100)"),
    pair("DescribeInstances (10,000; tag filter, first 100)", "DescribeInstances (10,000; tag filter, first 100)"),
  ].filter(Boolean);
  const run100 = mini.find((m) => m.name.includes("100 servers"));
  const run10k = mini.find((m) => m.name.includes("10,000 servers"));
  if (run100 && run10k) lines.push(`Placement cost, 10,000 servers against 100: p50 ${(run10k.p50Ms / run100.p50Ms).toFixed(2)}×, calls/s ${(run100.callsPerSecond / run10k.callsPerSecond).toFixed(2)}× slower`);
  process.stdout.write(`\n${lines.join("\n")}\n`);
}
