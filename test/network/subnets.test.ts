// Subnets through the SDK: CreateSubnet's block and zone rules, DescribeSubnets' shape, free addresses and filters,
// DeleteSubnet's dependency on interfaces, MapPublicIpOnLaunch, and another account's view.
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  ModifySubnetAttributeCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.js";
import { testServer } from "../support/server.js";
import { insertInterface, removeRow } from "./store-fixtures.js";

const server = testServer();
let ec2: EC2Client;
let vpcId: string;
beforeAll(async () => {
  ec2 = server.ec2();
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
});

const createSubnet = async (CidrBlock: string, more: { AvailabilityZone?: string; AvailabilityZoneId?: string } = {}) =>
  (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock, ...more }))).Subnet!;

describe("CreateSubnet", () => {
  it("makes a subnet in the named zone with EC2's shape", async () => {
    const subnet = await createSubnet("10.0.1.0/24", { AvailabilityZone: "us-east-1b" });
    expect(subnet).toMatchObject({
      VpcId: vpcId,
      CidrBlock: "10.0.1.0/24",
      AvailabilityZone: "us-east-1b",
      AvailabilityZoneId: "use1-az4",
      AvailableIpAddressCount: 251,
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      State: "available",
      OwnerId: "000000000000",
      SubnetArn: `arn:aws:ec2:us-east-1:000000000000:subnet/${subnet.SubnetId}`,
    });
    expect(subnet.SubnetId).toMatch(/^subnet-[0-9a-f]{17}$/);
  });

  it("takes a zone by its id, and spreads subnets over the zones when none is named", async () => {
    expect((await createSubnet("10.0.2.0/24", { AvailabilityZoneId: "use1-az1" })).AvailabilityZone).toBe("us-east-1d");
    // The VPC has one subnet in 1b and one in 1d: the next goes to the zone holding fewest, the first in zone order.
    const zones = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).Subnets!.map((s) => s.AvailabilityZone);
    const next = await createSubnet("10.0.3.0/24");
    expect(zones).toEqual(expect.arrayContaining(["us-east-1b", "us-east-1d"]));
    expect(next.AvailabilityZone).toBe("us-east-1a");
  });

  it("shows a /28 with 11 free addresses, and one fewer for each address an interface holds", async () => {
    const subnet = await createSubnet("10.0.9.0/28");
    expect(subnet.AvailableIpAddressCount).toBe(11);
    const eni = await insertInterface(server, subnet);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }));
    expect(Subnets![0]!.AvailableIpAddressCount).toBe(10);
    const byCount = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "available-ip-address-count", Values: ["10"] }] }));
    expect(byCount.Subnets!.map((s) => s.SubnetId)).toEqual([subnet.SubnetId]);
    await expect(ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `The subnet '${subnet.SubnetId}' has dependencies and cannot be deleted.`,
    });
    removeRow(server, "NetworkInterface", "networkInterfaceId", eni);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
    await expect(ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }))).rejects.toMatchObject({
      name: "InvalidSubnetID.NotFound",
      message: `The subnet ID '${subnet.SubnetId}' does not exist`,
    });
  });

  it("refuses a block outside the VPC or outside /16 to /28 (InvalidSubnet.Range), and an overlap (InvalidSubnet.Conflict)", async () => {
    for (const cidr of ["10.1.0.0/24", "10.0.0.0/29", "10.0.0.0/15"]) {
      await expect(createSubnet(cidr)).rejects.toMatchObject({
        name: "InvalidSubnet.Range",
        message: expect.stringContaining(`The CIDR '${cidr}' is invalid.`),
      });
    }
    await expect(createSubnet("10.0.1.128/25")).rejects.toMatchObject({
      name: "InvalidSubnet.Conflict",
      message: "The CIDR '10.0.1.128/25' conflicts with another subnet",
    });
    await expect(createSubnet("10.0.1.1/24")).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "Value (10.0.1.1/24) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
    });
  });

  it("refuses a zone of another region, an unknown zone id, and a name and id that disagree", async () => {
    await expect(createSubnet("10.0.20.0/24", { AvailabilityZone: "eu-west-1a" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringMatching(
        /^Value \(eu-west-1a\) for parameter availabilityZone is invalid\. Subnets can currently only be created in the following availability zones: us-east-1a, /,
      ),
    });
    await expect(createSubnet("10.0.20.0/24", { AvailabilityZoneId: "use1-az99" })).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await expect(createSubnet("10.0.20.0/24", { AvailabilityZone: "us-east-1a", AvailabilityZoneId: "use1-az4" })).rejects.toMatchObject({
      name: "InvalidParameterCombination",
    });
    await expect(ec2.send(new CreateSubnetCommand({ VpcId: "vpc-0123456789abcdef0", CidrBlock: "10.0.20.0/24" }))).rejects.toMatchObject({
      name: "InvalidVpcID.NotFound",
    });
  });
});

describe("DescribeSubnets", () => {
  it("filters by zone, zone id, block, default-for-az, vpc, state and tag", async () => {
    const subnet = (
      await ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: "10.0.30.0/24",
          AvailabilityZone: "us-east-1c",
          TagSpecifications: [{ ResourceType: "subnet", Tags: [{ Key: "tier", Value: "db" }] }],
        }),
      )
    ).Subnet!;
    expect(subnet.Tags).toEqual([{ Key: "tier", Value: "db" }]);
    for (const Filters of [
      [
        { Name: "availability-zone", Values: ["us-east-1c"] },
        { Name: "vpc-id", Values: [vpcId] },
      ],
      [
        { Name: "availability-zone-id", Values: ["use1-az6"] },
        { Name: "cidr-block", Values: ["10.0.30.0/24"] },
      ],
      [
        { Name: "default-for-az", Values: ["false"] },
        { Name: "tag:tier", Values: ["db"] },
      ],
      [
        { Name: "state", Values: ["available"] },
        { Name: "subnet-id", Values: [subnet.SubnetId!] },
        { Name: "owner-id", Values: ["000000000000"] },
      ],
      // EC2's filters on what mini-ec2 does not model see what DescribeSubnets shows: IPv4 only, no Outpost.
      [
        { Name: "ipv6-native", Values: ["false"] },
        { Name: "private-dns-name-options-on-launch.hostname-type", Values: ["ip-name"] },
        { Name: "tag:tier", Values: ["db"] },
      ],
    ]) {
      const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters }));
      expect(Subnets!.map((s) => s.SubnetId)).toEqual([subnet.SubnetId]);
    }
    for (const Name of ["ipv6-cidr-block-association.ipv6-cidr-block", "outpost-arn"]) {
      expect((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name, Values: ["*"] }] }))).Subnets).toEqual([]);
    }
    await expect(ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "colour", Values: ["blue"] }] }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
  });
});

describe("ModifySubnetAttribute", () => {
  it("sets MapPublicIpOnLaunch, which the map-public-ip-on-launch filter sees, and refuses what it does not model by name", async () => {
    const subnet = await createSubnet("10.0.40.0/24");
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.SubnetId!, MapPublicIpOnLaunch: { Value: true } }));
    const { Subnets } = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: "map-public-ip-on-launch", Values: ["true"] },
          { Name: "vpc-id", Values: [vpcId] },
        ],
      }),
    );
    expect(Subnets!.map((s) => s.SubnetId)).toEqual([subnet.SubnetId]);
    await expect(ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.SubnetId!, EnableDns64: { Value: true } }))).rejects.toMatchObject({
      name: "Unsupported",
      message: expect.stringContaining("EnableDns64"),
    });
    await expect(ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.SubnetId! }))).rejects.toMatchObject({ name: "MissingParameter" });
  });
});

describe("another account", () => {
  it("sees none of this account's subnets: NotFound", async () => {
    const subnet = await createSubnet("10.0.50.0/24");
    const stranger = server.ec2({ credentials: await createAccount(server, "222233334444") });
    await expect(stranger.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }))).rejects.toMatchObject({ name: "InvalidSubnetID.NotFound" });
    await expect(stranger.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }))).rejects.toMatchObject({ name: "InvalidSubnetID.NotFound" });
    await expect(stranger.send(new ModifySubnetAttributeCommand({ SubnetId: subnet.SubnetId!, MapPublicIpOnLaunch: { Value: true } }))).rejects.toMatchObject({
      name: "InvalidSubnetID.NotFound",
    });
    const own = await stranger.send(new DescribeSubnetsCommand({}));
    expect(own.Subnets!.every((s) => s.OwnerId === "222233334444")).toBe(true);
  });
});
