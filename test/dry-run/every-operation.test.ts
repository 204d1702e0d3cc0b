// DryRun walks the models: every implemented operation of EC2 and the extensions with a DryRun member is decided by
// its real handler with the store's writes barred (src/store/write-barrier.ts), never by validate() alone. Seeded
// inputs from the model (some valid, some mutated: test/support/fuzz.ts), pointed at real resources, each sent with
// DryRun=true: none may answer a 5xx, none may change a row of the database, and many must reach DryRunOperation,
// or the walk proves little.
import { createHash } from "node:crypto";
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import type { QueryService } from "../../src/protocol/operation.js";
import { shapeOf } from "../../src/protocol/service-model.js";
import { defaultFuzzSeed, FuzzGenerator, sendFuzz, serverFault } from "../support/fuzz.js";
import { testServer } from "../support/server.js";

const server = testServer();
const zone = "us-east-1a";

/** The implemented operations whose input has a DryRun member. */
function dryRunOperations({ model, operations }: QueryService): string[] {
  return Object.keys(operations).filter((name) => {
    const input = model.operations[name]?.input?.shape;
    return input !== undefined && "DryRun" in (shapeOf(model, { shape: input }).members ?? {});
  });
}

/** Every row of every table, hashed table by table: what a dry run must leave as it found it. */
function databaseDigest(filePath: string): Record<string, string> {
  const db = new Database(filePath, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(
      tables.map((table) => {
        const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).raw().all();
        return [
          table,
          createHash("sha256")
            .update(JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? String(value) : value)))
            .digest("hex"),
        ];
      }),
    );
  } finally {
    db.close();
  }
}

it("decides a dry run of every implemented operation with DryRun by its real checks, changing nothing", async () => {
  const ec2 = server.ec2();
  // Real resources, so that inputs naming them get past existence to the rules and to the write.
  const images = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] })))
    .Images!.map((image) => image.ImageId!)
    .filter((id) => id.startsWith("ami-"));
  const al2 = (
    await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn2-ami-hvm-2.0.20190313-x86_64-gp2"] }] }))
  ).Images![0]!.ImageId!;
  const instanceId = (
    await ec2.send(new RunInstancesCommand({ ImageId: al2, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }))
  ).Instances![0]!.InstanceId!;
  const volumeId = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8 }))).VolumeId!;
  const snapshotId = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }))).SnapshotId!;
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.40.1.0/24", AvailabilityZone: zone }))).Subnet!.SubnetId!;
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "walk", Description: "walk", VpcId: vpcId }))).GroupId!;
  await ec2.send(new CreateKeyPairCommand({ KeyName: "walk-key" }));
  const generator = new FuzzGenerator(defaultFuzzSeed, {
    ImageId: images,
    SourceImageId: images,
    AvailabilityZone: [zone],
    InstanceId: [instanceId],
    InstanceIds: [instanceId],
    VolumeId: [volumeId],
    SnapshotId: [snapshotId],
    SourceSnapshotId: [snapshotId],
    VpcId: [vpcId],
    SubnetId: [subnetId],
    GroupId: [groupId],
    GroupIds: [groupId],
    KeyName: ["walk-key"],
  });

  const before = databaseDigest(server.store.filePath);
  const answers = new Map<string, Set<string>>();
  const faults: string[] = [];
  for (const service of server.queryServices.filter(({ serviceName }) => serviceName !== "AWSSecurityTokenServiceV20110615")) {
    for (const name of dryRunOperations(service)) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const request = generator.request({ model: service.model, name });
        request.params.DryRun = "true";
        const outcome = await sendFuzz(server.url, request);
        const fault = serverFault(outcome);
        if (fault) faults.push(`${name}: ${fault}`);
        if (!answers.has(name)) answers.set(name, new Set());
        answers.get(name)!.add(outcome.response.code ?? `HTTP ${outcome.response.status}`);
      }
    }
  }

  expect(faults).toEqual([]);
  // A dry run answers an error, always: DryRunOperation or the check that refused; never the real call's result.
  const succeeded = [...answers].filter(([, codes]) => [...codes].some((code) => code.startsWith("HTTP 2")));
  expect(succeeded).toEqual([]);
  expect(databaseDigest(server.store.filePath)).toEqual(before);
  expect(answers.size, "the implemented operations with DryRun").toBeGreaterThan(100);
  const reachedDryRunOperation = [...answers].filter(([, codes]) => codes.has("DryRunOperation")).map(([name]) => name);
  expect(reachedDryRunOperation.length, `reached DryRunOperation: ${reachedDryRunOperation.join(", ")}`).toBeGreaterThanOrEqual(20);
}, 120_000);
