// EC2's limits on a request, checked in one place before any handler (src/protocol/input-limits.ts): client
// mistakes that used to end as 500 InternalError are 400s with EC2's codes, and what EC2 clamps is clamped.
import { AllocateHostsCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, ModifyHostsCommand, ReleaseHostsCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { checkMaxResultsCoverage } from "../../src/protocol/input-limits.js";
import { ec2ServiceModel } from "../../src/protocol/service-model.js";
import { aws } from "../support/aws-cli.js";
import { ec2Params, rawRequest } from "../support/signed-request.js";
import { testServer } from "../support/server.js";

const server = testServer();
const call = (params: Record<string, string>) => rawRequest(server.url, { params });

/** `count` well-formed ids that exist nowhere, as Name.1 … Name.count. */
function ids(name: string, prefix: string, count: number, first = 0): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${name}.${i + 1}`, `${prefix}-${(first + i).toString(16).padStart(17, "0")}`]));
}

describe("MaxResults, against EC2's range for each operation", () => {
  it.each([
    ["DescribeTags", "0", "greater than 5"],
    ["DescribeTags", "-1", "greater than 5"],
    ["DescribeHosts", "0", "greater than 5"],
    ["DescribeHosts", "-1", "greater than 5"],
    ["DescribeHosts", "501", "smaller than or equal to 500"],
    ["DescribeInstanceStatus", "0", "greater than 5"],
    ["DescribeInstanceStatus", "-1", "greater than 5"],
    ["DescribeImages", "0", "greater than 5"],
    ["DescribeImages", "-1", "greater than 5"],
  ])("%s refuses MaxResults=%s", async (action, value, expecting) => {
    const response = await call(ec2Params(action, { MaxResults: value }));
    expect([response.status, response.code, response.message]).toEqual([
      400,
      "InvalidParameterValue",
      `Value ( ${value} ) for parameter maxResults is invalid. Expecting a value ${expecting}.`,
    ]);
  });

  it("clamps DescribeVolumes above 500 and DescribeSnapshots above 1000, as EC2 does", async () => {
    const ec2 = server.ec2();
    await expect(ec2.send(new DescribeVolumesCommand({ MaxResults: 1000 }))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    await expect(ec2.send(new DescribeSnapshotsCommand({ MaxResults: 5000, OwnerIds: ["amazon"] }))).resolves.toMatchObject({
      $metadata: { httpStatusCode: 200 },
    });
  });

  it("serves a bare `aws ec2 describe-volumes` and `describe-snapshots` (the CLI sends MaxResults=1000)", async () => {
    const [volumes, snapshots] = await Promise.all([
      aws(server.url, ["ec2", "describe-volumes"]),
      aws(server.url, ["ec2", "describe-snapshots", "--owner-ids", "self"]),
    ]);
    expect(volumes.code, volumes.stderr).toBe(0);
    expect(volumes.json).toEqual({ Volumes: [] });
    expect(snapshots.code, snapshots.stderr).toBe(0);
    expect(snapshots.json).toEqual({ Snapshots: [] });
  });

  it("has a range for every implemented operation with MaxResults, or the server does not start", () => {
    const model = ec2ServiceModel();
    const service = {
      model,
      serviceName: "AmazonEC2",
      unimplemented: "every operation without a handler" as const,
      operations: { DescribeScheduledInstances: { handle: () => ({}) } },
    };
    expect(() => checkMaxResultsCoverage([service])).toThrow("No MaxResults range for DescribeScheduledInstances");
  });
});

describe("string members EC2 treats as enums", () => {
  it.each(["", "xen", "HVM"])("RegisterImage refuses VirtualizationType '%s'", async (value) => {
    const response = await call(
      ec2Params("RegisterImage", {
        Name: "enum-check",
        RootDeviceName: "/dev/xvda",
        "BlockDeviceMapping.1.DeviceName": "/dev/xvda",
        "BlockDeviceMapping.1.Ebs.VolumeSize": "8",
        VirtualizationType: value,
      }),
    );
    expect([response.status, response.code, response.message]).toEqual([
      400,
      "InvalidParameterValue",
      `Invalid value '${value}' for virtualizationType. Valid values: hvm, paravirtual.`,
    ]);
  });
});

describe("filter values", () => {
  it.each([
    ["DescribeRegions", "region-name", 40_000],
    ["DescribeImages", "name", 300_000],
    ["DescribeInstances", "tag:Name", 256],
  ])("%s refuses a %s value of %i characters with FilterLimitExceeded", async (action, name, length) => {
    const response = await call(ec2Params(action, { "Filter.1.Name": name, "Filter.1.Value.1": "x".repeat(length) }));
    expect([response.status, response.code, response.message]).toEqual([400, "FilterLimitExceeded", "The maximum length for a filter value is 255 characters"]);
  });

  it("accepts a value of exactly 255 characters", async () => {
    const response = await call(ec2Params("DescribeImages", { "Filter.1.Name": "name", "Filter.1.Value.1": "x".repeat(255) }));
    expect(response.status).toBe(200);
  });
});

describe("lists of ids, bounded before they reach the store", () => {
  it.each([
    ["DescribePlacementGroups", "GroupId", "pg", "InvalidPlacementGroupId.NotFound"],
    ["DescribeImages", "ImageId", "ami", "InvalidAMIID.NotFound"],
    ["DescribeVolumes", "VolumeId", "vol", "InvalidVolume.NotFound"],
    ["DescribeSnapshots", "SnapshotId", "snap", "InvalidSnapshot.NotFound"],
    ["DescribeLaunchTemplates", "LaunchTemplateId", "lt", "InvalidLaunchTemplateId.NotFound"],
  ])("%s with 1000 ids answers as for one id, and refuses 1001", async (action, name, prefix, notFound) => {
    const thousand = await call(ec2Params(action, ids(name, prefix, 1000)));
    expect([thousand.status, thousand.code]).toEqual([400, notFound]);
    const over = await call(ec2Params(action, ids(name, prefix, 1001)));
    expect([over.status, over.code, over.message]).toEqual([
      400,
      "InvalidParameterValue",
      `The request names 1001 items in ${name}.N; at most 1000 are accepted in one call.`,
    ]);
  });

  it("DescribeLaunchTemplates with 1000 names answers as for one name (the fuzz bench found a 500 there)", async () => {
    const names = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`LaunchTemplateName.${i + 1}`, `absent-${i}`]));
    const response = await call(ec2Params("DescribeLaunchTemplates", names));
    expect([response.status, response.code]).toEqual([400, "InvalidLaunchTemplateName.NotFoundException"]);
  });

  it("ModifyHosts and ReleaseHosts with 1000 ids act on the real one among them", async () => {
    const ec2 = server.ec2();
    const { HostIds } = await ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", InstanceType: "m5.large", Quantity: 1 }));
    const hostId = HostIds![0]!;
    const many = [...Object.values(ids("HostId", "h", 999)), hostId];
    const modified = await ec2.send(new ModifyHostsCommand({ HostIds: many, AutoPlacement: "on" }));
    expect([modified.Successful, modified.Unsuccessful!.length]).toEqual([[hostId], 999]);
    const released = await ec2.send(new ReleaseHostsCommand({ HostIds: many }));
    expect([released.Successful, released.Unsuccessful!.length]).toEqual([[hostId], 999]);
  });

  it("DescribeInstanceStatus takes at most 100 instance ids, in EC2's words", async () => {
    const response = await call(ec2Params("DescribeInstanceStatus", ids("InstanceId", "i", 101)));
    expect([response.status, response.code, response.message]).toEqual([
      400,
      "InvalidRequest",
      "101 exceeds the maximum number of instance IDs that can be specificied (100). Please specify fewer than 100 instance IDs.",
    ]);
  });
});
