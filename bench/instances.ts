// The instance benchmarks of `npm run bench`, each against mini-ec2 and, in the same run, moto's EC2 server:
// RunInstances one instance a call, on fleets of 100 and of 10,000 servers; DescribeInstances with 10,000
// instances in the account (first page of 100, and a tag filter). Prints both and the ratios.
//
// Each scenario runs twice: with the lean signed client (bench/query-client.ts), which measures the server, and
// with the official SDK, which is what a user's script sees. The SDK's own work is large next to mini-ec2's (it
// parses a first page of 100 instances in about 11 ms) and shares the machine's cores with the server, so the
// targets (RunInstances at 10x moto's calls/s, DescribeInstances p50 under 10 ms) are read on the lean rows.
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { HttpResponse } from "@smithy/protocol-http";
import { formatTable, type Measurement, measure } from "./harness.js";
import { type BenchServer, startMiniEc2, startMoto } from "./processes.js";
import { seedSubnetWithGroup } from "./network-seed.js";
import { fleetOf } from "./fleets.js";
import { queryClient } from "./query-client.js";
import { imageNamed, sdkClient } from "./sdk-client.js";

/** 10,000 instances in 100 launches of 100, a tenth of them tagged team=blue: setup, not measured. */
async function seedInstances(ec2: EC2Client, imageId: string, network?: Record<string, string>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: "t3.micro",
        MinCount: 100,
        MaxCount: 100,
        Placement: { AvailabilityZone: "us-east-1a" },
        ...(network ? { SubnetId: network.SubnetId, SecurityGroupIds: [network["SecurityGroupId.1"]!] } : {}),
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "team", Value: i % 10 === 0 ? "blue" : "red" }] }],
      }),
    );
  }
}

/** How many times to call each DescribeInstances scenario: moto takes seconds a call at 10,000 instances. */
interface Effort {
  describeCalls: number;
  describeWarmup: number;
}

const scenarioNames = {
  runFresh: "RunInstances (1 a call, 100 servers, first 300 on a fresh server)",
  run100: "RunInstances (1 a call, 100 servers)",
  run10k: "RunInstances (1 a call, 10,000 servers, into a /16 subnet with a group)",
  describe: "DescribeInstances (10,000; first 100)",
  describeTag: "DescribeInstances (10,000; tag filter, first 100)",
  describeSmall: "DescribeInstances (10,000; first 5)",
  describeEvery: "DescribeInstances (10,000; every page of 100 in turn)",
  describeStopped: "DescribeInstances (10,000 running; instance-state-name=stopped, none)",
};
const viaSdk = " [SDK]";

async function scenarios(
  label: string,
  server: BenchServer,
  imageId: (ec2: EC2Client) => Promise<string>,
  effort: Effort,
  withFleet10k?: BenchServer,
): Promise<Measurement[]> {
  const image = await imageId(sdkClient(server.endpoint));
  // The 10,000 instances need more addresses than a default /20 subnet has (4,091): mini-ec2's large fleet launches
  // into a /16 subnet of its own, with a group, so its rows measure a launch into a subnet and a page with interfaces.
  const subnets = new Map<BenchServer, Record<string, string>>();
  if (withFleet10k?.databaseUrl) {
    const { subnetId, groupId } = await seedSubnetWithGroup(withFleet10k.databaseUrl);
    subnets.set(withFleet10k, { SubnetId: subnetId, "SecurityGroupId.1": groupId });
  }
  const runParams = (target: BenchServer) => ({
    ImageId: image,
    InstanceType: "t3.micro",
    MinCount: "1",
    MaxCount: "1",
    "Placement.AvailabilityZone": "us-east-1a",
    ClientToken: randomUUID(),
    ...subnets.get(target),
  });
  const runCommand = (target: BenchServer) => {
    const network = subnets.get(target);
    return new RunInstancesCommand({
      ImageId: image,
      InstanceType: "t3.micro",
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: "us-east-1a" },
      ...(network ? { SubnetId: network.SubnetId, SecurityGroupIds: [network["SecurityGroupId.1"]!] } : {}),
    });
  };
  // A long warm-up, the same for both servers: the first thousand launches of a fresh mini-ec2 pay for JIT
  // compilation, while moto slows down as its instances accumulate. So the first 300 launches on the fresh server
  // are measured on their own too. The SDK rows follow on the warm server.
  const launches = { calls: 1000, warmup: 1000 };
  const results: Measurement[] = [];
  const launchOn = async (target: BenchServer, name: string, fresh?: string) => {
    const lean = queryClient(target.endpoint);
    const sdk = sdkClient(target.endpoint);
    const launch = () => lean.call("RunInstances", runParams(target), "<instanceId>");
    if (fresh) results.push(await measure({ name: `${label} ${fresh}`, calls: 300, warmup: 0, call: launch }));
    // The fresh 300 count towards the warm-up: each server gets the same thousand launches before measuring.
    results.push(await measure({ name: `${label} ${name}`, ...launches, ...(fresh ? { warmup: launches.warmup - 300 } : {}), call: launch }));
    results.push(await measure({ name: `${label} ${name}${viaSdk}`, ...launches, warmup: 300, call: () => sdk.send(runCommand(target)) }));
    lean.close();
  };
  await launchOn(server, scenarioNames.run100, scenarioNames.runFresh);
  // The 10,000 instances need more room than 100 servers have: they go to the large fleet where there is one.
  const target = withFleet10k ?? server;
  if (withFleet10k) await launchOn(withFleet10k, scenarioNames.run10k);
  const sdk = sdkClient(target.endpoint);
  await seedInstances(sdk, image, subnets.get(target));
  const lean = queryClient(target.endpoint);
  const describe = { calls: effort.describeCalls, concurrency: 1, warmup: effort.describeWarmup };
  const tagFilter = { "Filter.1.Name": "tag:team", "Filter.1.Value.1": "blue" };
  results.push(
    await measure({
      name: `${label} ${scenarioNames.describe}`,
      ...describe,
      call: () => lean.call("DescribeInstances", { MaxResults: "100" }, "<reservationSet>"),
    }),
  );
  results.push(
    await measure({
      name: `${label} ${scenarioNames.describeTag}`,
      ...describe,
      call: () => lean.call("DescribeInstances", { MaxResults: "100", ...tagFilter }, "<reservationSet>"),
    }),
  );
  // Page after page through all 10,000, as a script listing the fleet does: no page is read twice in a row.
  let nextToken: string | undefined;
  results.push(
    await measure({
      name: `${label} ${scenarioNames.describeEvery}`,
      ...describe,
      call: async () => {
        const page = await lean.call("DescribeInstances", { MaxResults: "100", ...(nextToken ? { NextToken: nextToken } : {}) }, "<reservationSet>");
        nextToken = /<nextToken>([^<]+)<\/nextToken>/.exec(page)?.[1];
      },
    }),
  );
  // A filter on the instance's own row that keeps none: every row is read, none of the rows linked to them.
  results.push(
    await measure({
      name: `${label} ${scenarioNames.describeStopped}`,
      calls: Math.min(20, describe.calls),
      concurrency: 1,
      warmup: Math.min(2, describe.warmup),
      call: () =>
        lean.call("DescribeInstances", { MaxResults: "100", "Filter.1.Name": "instance-state-name", "Filter.1.Value.1": "stopped" }, "<reservationSet"),
    }),
  );
  results.push(
    await measure({
      name: `${label} ${scenarioNames.describeSmall}`,
      ...describe,
      call: () => lean.call("DescribeInstances", { MaxResults: "5" }, "<reservationSet>"),
    }),
  );
  results.push(
    await measure({
      name: `${label} ${scenarioNames.describe}${viaSdk}`,
      ...describe,
      call: () => sdk.send(new DescribeInstancesCommand({ MaxResults: 100 })),
    }),
  );
  results.push(
    await measure({
      name: `${label} ${scenarioNames.describeTag}${viaSdk}`,
      ...describe,
      call: () => sdk.send(new DescribeInstancesCommand({ MaxResults: 100, Filters: [{ Name: "tag:team", Values: ["blue"] }] })),
    }),
  );
  // The SDK's share: the same first page handed to it by a request handler that never leaves the process.
  if (label === "mini-ec2") {
    const page = await lean.call("DescribeInstances", { MaxResults: "100" }, "<reservationSet>");
    const canned = sdkClient(target.endpoint, {
      handle: async () => ({
        response: new HttpResponse({ statusCode: 200, headers: { "content-type": "text/xml" }, body: Readable.from([Buffer.from(page)]) }),
      }),
    });
    results.push(
      await measure({
        name: "SDK alone: parse a first page of 100 instances (no server)",
        ...describe,
        call: () => canned.send(new DescribeInstancesCommand({ MaxResults: 100 })),
      }),
    );
  }
  lean.close();
  return results;
}

export async function instanceBenchmarks(only: string[]): Promise<void> {
  const words = only.filter((word) => !word.startsWith("--"));
  if (words.length && !words.some((word) => ["RunInstances", "DescribeInstances"].some((name) => name.includes(word) || word.includes(name)))) return;
  const small = await startMiniEc2({ fleet: fleetOf(100) });
  const large = await startMiniEc2({ fleet: fleetOf(10_000) });
  let mini: Measurement[];
  try {
    mini = await scenarios(
      "mini-ec2",
      small,
      (ec2) => imageNamed(ec2, "amzn2-ami-hvm-2.0.20190313-x86_64-gp2"),
      { describeCalls: 200, describeWarmup: 50 },
      large,
    );
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
      theirs = await scenarios("moto", moto, image, { describeCalls: 2, describeWarmup: 0 });
    } finally {
      await moto.stop();
    }
  }
  process.stdout.write(`\nInstances, mini-ec2 against moto 5 (python3 -m moto.server), the same workload\n\n${formatTable([...mini, ...theirs])}\n`);
  const pair = (name: string) => {
    const ours = mini.find((m) => m.name === `mini-ec2 ${name}`);
    const their = theirs.find((m) => m.name === `moto ${name}`);
    return ours && their
      ? `${name}: ${(ours.callsPerSecond / their.callsPerSecond).toFixed(1)}x moto's calls/s, p50 ${ours.p50Ms.toFixed(1)} ms vs ${their.p50Ms.toFixed(1)} ms`
      : undefined;
  };
  const lines = [scenarioNames.runFresh, scenarioNames.run100, scenarioNames.describe, scenarioNames.describeTag]
    .flatMap((name) => [pair(name), pair(`${name}${viaSdk}`)])
    .filter(Boolean);
  const run100 = mini.find((m) => m.name === `mini-ec2 ${scenarioNames.run100}`);
  const run10k = mini.find((m) => m.name === `mini-ec2 ${scenarioNames.run10k}`);
  if (run100 && run10k)
    lines.push(
      `Placement cost, 10,000 servers against 100: p50 ${(run10k.p50Ms / run100.p50Ms).toFixed(2)}x, calls/s ${(run100.callsPerSecond / run10k.callsPerSecond).toFixed(2)}x slower`,
    );
  process.stdout.write(`\n${lines.join("\n")}\n`);
}
