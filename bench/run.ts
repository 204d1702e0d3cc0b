// npm run bench: starts mini-ec2 as its own process on a fresh database, drives it over loopback with the
// official SDK, and prints calls/s and p50/p99 latency per operation. Not a test: nothing here passes or fails.
// Arguments, if any, pick the scenarios whose names contain one of them: `npm run bench -- DescribeImages`.
import {
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVolumeCommand,
  DescribeAvailabilityZonesCommand,
  DescribeConversionTasksCommand,
  DescribeDhcpOptionsCommand,
  DescribeImagesCommand,
  GetEbsEncryptionByDefaultCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeRegionsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVolumeStatusCommand,
  EC2Client,
  paginateDescribeInstanceTypes,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { burstableType, creditSeries, creditsAtLaunch } from "../src/domain/burstable.js";
import { extension } from "../test/support/extensions.js";
import { jsonRequest } from "../test/support/json-request.js";
import { consoleScenarios } from "./console.js";
import { fuzzScenario } from "./fuzz.js";
import { seedSubnetWithGroup } from "./network-seed.js";
import { formatTable, type Measurement, measure, type Scenario } from "./harness.js";
import { hostLifeBenchmarks } from "./host-life.js";
import { instanceMetricsBenchmarks } from "./instance-metrics.js";
import { spotBenchmarks } from "./spot.js";
import { instanceBenchmarks } from "./instances.js";
import { migrationModelScenarios } from "./migration.js";
import { fullMigrationScenarioName, nitroMigrationScenarios } from "./nitro-migration.js";
import { startMiniEc2 } from "./processes.js";
import { securityGroupScenarios } from "./security-groups.js";
import { seedPrivateImages } from "../test/support/seed-images.js";
import { formatStartupTable, measureStartup } from "./startup.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

async function main(): Promise<void> {
  // `npm run bench -- DescribeImages` measures only the scenarios whose name contains the word.
  const only = process.argv.slice(2);
  const onlyWords = only.filter((word) => !word.startsWith("--"));
  // First, on a machine not yet warmed by the other scenarios' servers: `npm start`, cold and warm, and idle RSS.
  if (!onlyWords.length || onlyWords.some((word) => ["start-up, fresh database", "start-up, existing database"].some((name) => name.includes(word)))) {
    process.stdout.write(`${formatStartupTable(await measureStartup())}\n\n`);
  }
  // The pure models, in-process, before any server shares the cores; words that name only these skip the rest.
  const pureModels = [...migrationModelScenarios, creditModelScenario()];
  const models = pureModels.filter((scenario) => !onlyWords.length || onlyWords.some((word) => scenario.name.includes(word)));
  if (models.length) {
    const measured: Measurement[] = [];
    for (const scenario of models) measured.push(await measure(scenario));
    process.stdout.write(`Pure models, in-process (${new Date().toISOString()}, node ${process.version})\n\n${formatTable(measured)}\n\n`);
    if (onlyWords.length && onlyWords.every((word) => pureModels.some((scenario) => scenario.name.includes(word)))) return;
  }
  // The slow-request guard: the server logs each request's CPU time (src/protocol/dispatch.ts); the worst is reported.
  let worst = { cpuMs: 0, action: "", scenario: "" };
  let current = "";
  /** The server's own time for each CheckOnly StartNitroMigration (the pre-flight), from its request log. */
  const preflightMs: number[] = [];
  const server = await startMiniEc2({
    onLog: (event) => {
      if (typeof event.cpuMs === "number" && event.cpuMs > worst.cpuMs) worst = { cpuMs: event.cpuMs, action: String(event.action), scenario: current };
      if (event.action === "StartNitroMigration" && current.includes("CheckOnly") && typeof event.durationMs === "number") preflightMs.push(event.durationMs);
    },
  });
  const { endpoint, databaseUrl } = server;
  try {
    const clientConfig = { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 };
    const ec2 = new EC2Client(clientConfig);
    const sts = new STSClient(clientConfig);

    const fuzzProblems: string[] = [];
    const privateImages = 10_000;
    await seedPrivateImages(databaseUrl!, privateImages);

    // A launch from a template against the same launch without one: what resolving and merging the template costs.
    const al2023 = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-2023.6.*-x86_64"] }] })))
      .Images![0]!.ImageId!;
    const templateData = { ImageId: al2023, InstanceType: "t3.micro" as const };
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "bench-template", LaunchTemplateData: templateData }));
    const network = await seedSubnetWithGroup(databaseUrl!);

    let vpcId: string | undefined;
    const scenarios: Scenario[] = [
      {
        name: `DescribeImages (self, ${privateImages} images, name pattern)`,
        calls: 100,
        call: () => ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: ["bench-image-12*"] }] })),
      },
      {
        name: `DescribeImages (self, ${privateImages} images, tag)`,
        calls: 100,
        call: () => ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "tag:batch", Values: ["7"] }] })),
      },
      {
        name: "DescribeImages (amazon, by name)",
        calls: 100,
        call: () => ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-*"] }] })),
      },
      { name: "DescribeRegions", call: () => ec2.send(new DescribeRegionsCommand({})) },
      { name: "DescribeRegions (filter)", call: () => ec2.send(new DescribeRegionsCommand({ Filters: [{ Name: "region-name", Values: ["eu-*"] }] })) },
      { name: "DescribeAvailabilityZones", call: () => ec2.send(new DescribeAvailabilityZonesCommand({})) },
      {
        name: "DescribeInstanceTypes (all pages)",
        calls: 40,
        call: async () => {
          for await (const _page of paginateDescribeInstanceTypes({ client: ec2, pageSize: 100 }, {}));
        },
      },
      { name: "DescribeInstanceTypes (page of 100)", calls: 200, call: () => ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 100 })) },
      {
        name: "DescribeInstanceTypes (filter)",
        calls: 200,
        call: () => ec2.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: "supported-virtualization-type", Values: ["paravirtual"] }] })),
      },
      {
        name: "DescribeInstanceTypeOfferings (zone)",
        calls: 200,
        call: () =>
          ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: "availability-zone", Filters: [{ Name: "instance-type", Values: ["m5.*"] }] })),
      },
      { name: "GetCallerIdentity (STS)", call: () => sts.send(new GetCallerIdentityCommand({})) },
      {
        name: "GetParameter (SSM, public AMI parameter)",
        calls: 300,
        call: () => getPublicParameter(endpoint, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
      },
      { name: "CreateKeyPair (ed25519)", calls: 300, call: (i) => ec2.send(new CreateKeyPairCommand({ KeyName: `bench-${i}`, KeyType: "ed25519" })) },
      { name: "DescribeKeyPairs (350 pairs)", calls: 300, call: () => ec2.send(new DescribeKeyPairsCommand({})) },
      {
        name: "DescribeKeyPairs (key-name filter)",
        calls: 300,
        call: () => ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: "key-name", Values: ["bench-1*"] }] })),
      },
      ...securityGroupScenarios(ec2),

      // net-vpc: subnets of one /16 VPC, a /28 each (warm-up calls take negative numbers: slots 4095, 4094, …).
      {
        name: "CreateSubnet (a /28 each, one VPC)",
        calls: 300,
        call: async (i) => {
          const slot = (i + 4096) % 4096;
          vpcId ??= (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
          return ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${slot >> 4}.${(slot & 15) * 16}/28` }));
        },
      },
      { name: "DescribeSubnets (350+ subnets)", calls: 200, call: () => ec2.send(new DescribeSubnetsCommand({})) },
      {
        name: "CreateVolume (gp3, tagged)",
        calls: 500,
        call: (i) =>
          ec2.send(
            new CreateVolumeCommand({
              AvailabilityZone: "us-east-1a",
              Size: 8,
              VolumeType: "gp3",
              TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "n", Value: String(i % 10) }] }],
            }),
          ),
      },
      { name: "RunInstances (1 a call, direct)", calls: 200, call: () => ec2.send(new RunInstancesCommand({ ...templateData, MinCount: 1, MaxCount: 1 })) },
      {
        // Every check of the launch above, then DryRunOperation: it must stay within 1.2× of that row's p50 (issue 15).
        name: "RunInstances --dry-run (1 a call, direct)",
        calls: 200,
        call: () =>
          ec2.send(new RunInstancesCommand({ ...templateData, MinCount: 1, MaxCount: 1, DryRun: true })).then(
            () => Promise.reject(new Error("a dry run launched")),
            (error: { name?: string }) => (error.name === "DryRunOperation" ? undefined : Promise.reject(error)),
          ),
      },
      {
        name: "RunInstances into a subnet with a security group (1 a call)",
        calls: 200,
        call: () =>
          ec2.send(new RunInstancesCommand({ ...templateData, MinCount: 1, MaxCount: 1, SubnetId: network.subnetId, SecurityGroupIds: [network.groupId] })),
      },
      {
        name: "RunInstances (1 a call, from a launch template)",
        calls: 200,
        call: () => ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: "bench-template" } })),
      },
      // The RunInstances rows above launched 400+ t3.micro, unlimited by default: every one is listed.
      {
        name: "DescribeInstanceCreditSpecifications (no ids, 400+ unlimited instances)",
        calls: 100,
        call: () => ec2.send(new DescribeInstanceCreditSpecificationsCommand({})),
      },
      { name: "DescribeVolumes (all, 500+ volumes)", calls: 100, call: () => ec2.send(new DescribeVolumesCommand({})) },
      { name: "DescribeVolumeStatus (all, 500+ volumes)", calls: 100, call: () => ec2.send(new DescribeVolumeStatusCommand({})) },
      { name: "DescribeDhcpOptions", calls: 200, call: () => ec2.send(new DescribeDhcpOptionsCommand({})) },
      { name: "GetEbsEncryptionByDefault", calls: 200, call: () => ec2.send(new GetEbsEncryptionByDefaultCommand({})) },
      {
        name: "RunInstances (1 a call, ImageId resolve:ssm: a public parameter)",
        calls: 200,
        call: () =>
          ec2.send(
            new RunInstancesCommand({
              ImageId: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
              InstanceType: "t3.micro",
              MinCount: 1,
              MaxCount: 1,
            }),
          ),
      },
      {
        name: "DescribeVolumes (tag filter, page of 50)",
        calls: 200,
        call: () => ec2.send(new DescribeVolumesCommand({ MaxResults: 50, Filters: [{ Name: "tag:n", Values: ["3"] }] })),
      },
      {
        // One call is a whole conversion: start it, then poll DescribeConversionTasks until it completes.
        // calls/s × 60 is conversions completed per minute.
        name: "Image conversion PV->HVM, start to completed (20 concurrent runs)",
        calls: 60,
        concurrency: 20,
        warmup: 2,
        call: (i) => convert(endpoint, ec2, `bench-conversion-${i}`),
      },
      ...consoleScenarios(endpoint, ec2),
      ...nitroMigrationScenarios(endpoint, ec2),
      fuzzScenario(endpoint, fuzzProblems),
    ];
    const chosen = onlyWords.length ? scenarios.filter((scenario) => onlyWords.some((word) => scenario.name.includes(word))) : scenarios;
    const results: Measurement[] = [];
    for (const scenario of chosen) {
      current = scenario.name;
      results.push(await measure(scenario));
    }
    process.stdout.write(`mini-ec2 benchmark (${new Date().toISOString()}, node ${process.version}, SDK over loopback)\n\n${formatTable(results)}\n`);
    // Under concurrency a request's CPU time also holds what ran meanwhile (see dispatch.ts): an upper bound.
    process.stdout.write(`\nWorst request CPU time: ${worst.cpuMs.toFixed(2)} ms (${worst.action}, during "${worst.scenario}")\n`);
    if (results.some((r) => r.name.startsWith("fuzz"))) {
      process.stdout.write(
        fuzzProblems.length ? `\nFuzz problems (${fuzzProblems.length}):\n${fuzzProblems.join("\n")}\n` : "\nFuzz: no 5xx and no answer over 1 s.\n",
      );
    }
    for (const result of results.filter((r) => r.name.startsWith("Image conversion"))) {
      process.stdout.write(`\n${result.name}: ${(result.callsPerSecond * 60).toFixed(0)} conversions completed per minute\n`);
    }
    if (preflightMs.length) {
      const sorted = [...preflightMs].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
      process.stdout.write(`\nStartNitroMigration CheckOnly, server time per request: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (${sorted.length} requests)\n`);
    }
    for (const result of results.filter((r) => r.name === fullMigrationScenarioName)) {
      process.stdout.write(`\n${result.name}: ${(result.callsPerSecond * 60).toFixed(0)} Xen to Nitro migrations completed per minute\n`);
    }
  } finally {
    await server.stop();
  }
  await instanceBenchmarks(only);
  await hostLifeBenchmarks(onlyWords);
  await instanceMetricsBenchmarks(onlyWords);
  await spotBenchmarks(onlyWords);
}

/** GetInstanceMetrics' core: a t3.micro's credit series for a day of 1-minute demand samples, at a 1-minute period. */
function creditModelScenario(): Scenario {
  const type = burstableType("t3.micro")!;
  const start = Date.UTC(2026, 10, 22);
  const minute = 60_000;
  // A demand that crosses the baseline often, so the balance and the surplus both keep hitting their bounds.
  const samples = Array.from({ length: 1440 }, (_, i) => ({ start: start + i * minute, end: start + (i + 1) * minute, cpuPercent: (i * 37) % 101 }));
  const initial = creditsAtLaunch(type, "unlimited", start);
  return {
    name: "Credit model, a day of 1-minute samples",
    calls: 500,
    concurrency: 1,
    call: async () => creditSeries(type, "unlimited", initial, samples, { start, end: start + 1440 * minute, periodSeconds: 60 }),
  };
}

async function convert(endpoint: string, ec2: EC2Client, name: string): Promise<void> {
  const pv = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn-ami-pv-2013.09.2.x86_64-ebs"] }] })))
    .Images![0]!.ImageId!;
  const { conversionTaskId } = await extension(endpoint, "StartImageConversion", { SourceImageId: pv, Name: name });
  for (;;) {
    const [task] = (await ec2.send(new DescribeConversionTasksCommand({ ConversionTaskIds: [conversionTaskId] }))).ConversionTasks!;
    if (task!.State === "completed") return;
    if (task!.State !== "active") throw new Error(`conversion ${conversionTaskId} ended ${task!.State}: ${task!.StatusMessage}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SSM's JSON protocol, signed as its SDK signs it (the SSM SDK is not a dependency). */
async function getPublicParameter(endpoint: string, name: string): Promise<void> {
  const response = await jsonRequest(endpoint, "AmazonSSM.GetParameter", { Name: name });
  if (response.status !== 200) throw new Error(`GetParameter answered ${response.status}: ${JSON.stringify(response.json)}`);
}

await main();
