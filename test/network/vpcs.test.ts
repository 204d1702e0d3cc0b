// VPCs through the SDK: the default network on first use, CreateVpc's rules, DescribeVpcs' shape and filters,
// the DNS attributes, DeleteVpc's dependencies, CreateDefaultVpc and DescribeAccountAttributes.
import {
  CreateDefaultVpcCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteRouteTableCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAccountAttributesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  type EC2Client,
  ModifyVpcAttributeCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.js";
import { testServer } from "../support/server.js";
import { insertGroup, removeRow } from "./store-fixtures.js";

const server = testServer();
let ec2: EC2Client;
beforeAll(() => {
  ec2 = server.ec2();
});

const createVpc = async (CidrBlock: string) => (await ec2.send(new CreateVpcCommand({ CidrBlock }))).Vpc!;

describe("the default VPC", () => {
  it("appears on first use: 172.31.0.0/16, one /20 default subnet per zone, in zone order", async () => {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
    expect(Vpcs).toHaveLength(1);
    const vpc = Vpcs![0]!;
    expect(vpc).toMatchObject({ CidrBlock: "172.31.0.0/16", IsDefault: true, State: "available", InstanceTenancy: "default", OwnerId: "000000000000" });
    expect(vpc.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(vpc.DhcpOptionsId).toMatch(/^dopt-[0-9a-f]{17}$/);
    expect(vpc.CidrBlockAssociationSet).toEqual([
      { AssociationId: expect.stringMatching(/^vpc-cidr-assoc-[0-9a-f]{17}$/), CidrBlock: "172.31.0.0/16", CidrBlockState: { State: "associated" } },
    ]);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc.VpcId!] }] }));
    const byZone = Subnets!.sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!));
    expect(byZone.length).toBeGreaterThan(1);
    byZone.forEach((subnet, index) => {
      expect(subnet).toMatchObject({ CidrBlock: `172.31.${index * 16}.0/20`, DefaultForAz: true, MapPublicIpOnLaunch: true, AvailableIpAddressCount: 4091 });
    });
    const attributes = await ec2.send(new DescribeAccountAttributesCommand({}));
    const defaultVpc = attributes.AccountAttributes!.find((a) => a.AttributeName === "default-vpc");
    expect(defaultVpc!.AttributeValues).toEqual([{ AttributeValue: vpc.VpcId }]);
  });

  it("answers EC2's account attributes, all or the named ones", async () => {
    const all = await ec2.send(new DescribeAccountAttributesCommand({}));
    const byName = Object.fromEntries(all.AccountAttributes!.map((a) => [a.AttributeName, a.AttributeValues!.map((v) => v.AttributeValue)]));
    expect(byName).toMatchObject({
      "supported-platforms": ["VPC"],
      "vpc-max-security-groups-per-interface": ["5"],
      "max-elastic-ips": ["5"],
      "vpc-max-elastic-ips": ["5"],
      "max-instances": ["20"],
    });
    const one = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ["supported-platforms"] }));
    expect(one.AccountAttributes).toEqual([{ AttributeName: "supported-platforms", AttributeValues: [{ AttributeValue: "VPC" }] }]);
  });
});

describe("CreateVpc", () => {
  it("makes a VPC with its main route table, default ACL and tags, and DescribeVpcs finds it by id, filter and tag", async () => {
    const created = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.0.0.0/16",
        InstanceTenancy: "dedicated",
        TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "main" }] }],
      }),
    );
    const vpcId = created.Vpc!.VpcId!;
    expect(created.Vpc).toMatchObject({ CidrBlock: "10.0.0.0/16", IsDefault: false, InstanceTenancy: "dedicated", Tags: [{ Key: "Name", Value: "main" }] });
    for (const Filters of [
      [{ Name: "cidr", Values: ["10.0.0.0/16"] }],
      [{ Name: "cidr-block-association.cidr-block", Values: ["10.0.*"] }],
      [{ Name: "tag:Name", Values: ["main"] }],
      [
        { Name: "state", Values: ["available"] },
        { Name: "vpc-id", Values: [vpcId] },
      ],
      [
        { Name: "dhcp-options-id", Values: [created.Vpc!.DhcpOptionsId!] },
        { Name: "owner-id", Values: ["000000000000"] },
        { Name: "is-default", Values: ["false"] },
      ],
    ]) {
      const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters }));
      expect(Vpcs!.map((v) => v.VpcId)).toContain(vpcId);
    }
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(Vpcs).toHaveLength(1);
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(RouteTables).toMatchObject([
      { Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active", Origin: "CreateRouteTable" }], Associations: [{ Main: true }] },
    ]);
    const { NetworkAcls } = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(NetworkAcls).toMatchObject([{ IsDefault: true, Associations: [] }]);
    expect(NetworkAcls![0]!.Entries).toHaveLength(4);
  });

  it("refuses blocks outside /16 to /28 with InvalidVpc.Range, and malformed blocks as EC2 words it", async () => {
    for (const cidr of ["10.0.0.0/8", "10.0.0.0/29"]) {
      await expect(ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).rejects.toMatchObject({
        name: "InvalidVpc.Range",
        message: expect.stringContaining(`The CIDR '${cidr}' is invalid.`),
      });
    }
    for (const cidr of ["10.0.0.1/16", "10.0.0.0", "300.0.0.0/16"]) {
      await expect(ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).rejects.toMatchObject({
        name: "InvalidParameterValue",
        message: `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
      });
    }
    await expect(ec2.send(new CreateVpcCommand({}))).rejects.toMatchObject({ name: "MissingParameter" });
  });

  it("refuses IPv6 and IPAM by name, and host tenancy", async () => {
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).rejects.toMatchObject({
      name: "Unsupported",
      message: expect.stringContaining("AmazonProvidedIpv6CidrBlock"),
    });
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16", Ipv4IpamPoolId: "ipam-pool-0123" }))).rejects.toMatchObject({
      name: "Unsupported",
      message: expect.stringContaining("Ipv4IpamPoolId"),
    });
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16", InstanceTenancy: "host" }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
  });
});

describe("DescribeVpcs", () => {
  it("answers NotFound for an unknown id, Malformed for a bad one, and pages", async () => {
    await expect(ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-0123456789abcdef0"] }))).rejects.toMatchObject({
      name: "InvalidVpcID.NotFound",
      message: "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    });
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: "nope" }))).rejects.toMatchObject({ name: "InvalidVpcID.Malformed" });
    await createVpc("10.50.0.0/16");
    const first = await ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }));
    const all = await ec2.send(new DescribeVpcsCommand({}));
    expect(all.Vpcs!.length).toBeGreaterThanOrEqual(3);
    if (all.Vpcs!.length > 5) expect(first.NextToken).toBeDefined();
    else expect(first.Vpcs).toHaveLength(all.Vpcs!.length);
  });
});

describe("the DNS attributes", () => {
  it("reads and sets one attribute per call", async () => {
    const vpcId = (await createVpc("10.2.0.0/16")).VpcId!;
    expect(await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsSupport" }))).toMatchObject({
      EnableDnsSupport: { Value: true },
    });
    expect(await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }))).toMatchObject({
      VpcId: vpcId,
      EnableDnsHostnames: { Value: false },
    });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    expect(await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }))).toMatchObject({
      EnableDnsHostnames: { Value: true },
    });
    await expect(
      ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: false }, EnableDnsSupport: { Value: false } })),
    ).rejects.toMatchObject({ name: "InvalidParameterCombination" });
    await expect(ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: "InvalidParameterCombination" });
  });
});

describe("DeleteVpc", () => {
  it("is refused while a subnet or a security group is in the VPC, and removes its main table, ACL and default group", async () => {
    const vpcId = (await createVpc("10.3.0.0/16")).VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.3.0.0/24" }))).Subnet!;
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    });
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    const tables = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(tables.RouteTables).toEqual([]);
    const acls = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(acls.NetworkAcls).toEqual([]);
    await expect(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).rejects.toMatchObject({ name: "InvalidVpcID.NotFound" });
  });

  it("is refused while a non-default security group, a non-main route table or an interface is in the VPC", async () => {
    const vpcId = (await createVpc("10.4.0.0/16")).VpcId!;
    // Groups and interfaces are made by other operations (security groups, network interfaces): here they are put
    // in the store directly, as those operations would.
    const group = insertGroup(server, vpcId);
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: "DependencyViolation" });
    removeRow(server, "SecurityGroup", "groupId", group);
    const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await expect(ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: "DependencyViolation" });
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: table }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });
});

describe("CreateDefaultVpc", () => {
  it("answers DefaultVpcAlreadyExists while one exists; after the default VPC's delete, makes a new default network", async () => {
    const account = server.ec2({ credentials: await createAccount(server, "333344445555") });
    await expect(account.send(new CreateDefaultVpcCommand({}))).rejects.toMatchObject({
      name: "DefaultVpcAlreadyExists",
      message: "A Default VPC already exists for this account in this region.",
    });
    const old = (await account.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!;
    // The default VPC's subnets and gateway go first, as EC2 requires.
    const { Subnets } = await account.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [old.VpcId!] }] }));
    for (const subnet of Subnets!) await account.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
    await expect(account.send(new DeleteVpcCommand({ VpcId: old.VpcId! }))).rejects.toMatchObject({ name: "DependencyViolation" });
    const { InternetGateways } = await account.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [old.VpcId!] }] }));
    await account.send(new DetachInternetGatewayCommand({ InternetGatewayId: InternetGateways![0]!.InternetGatewayId!, VpcId: old.VpcId! }));
    await account.send(new DeleteVpcCommand({ VpcId: old.VpcId! }));
    const none = await account.send(new DescribeAccountAttributesCommand({ AttributeNames: ["default-vpc"] }));
    expect(none.AccountAttributes).toEqual([{ AttributeName: "default-vpc", AttributeValues: [{ AttributeValue: "none" }] }]);

    const made = (await account.send(new CreateDefaultVpcCommand({}))).Vpc!;
    expect(made).toMatchObject({ CidrBlock: "172.31.0.0/16", IsDefault: true });
    expect(made.VpcId).not.toBe(old.VpcId);
    const subnets = await account.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
    expect(subnets.Subnets!.every((s) => s.VpcId === made.VpcId)).toBe(true);
    expect(subnets.Subnets!.length).toBeGreaterThan(1);
  });
});

describe("another account", () => {
  it("sees none of this account's VPCs: NotFound", async () => {
    const vpcId = (await createVpc("10.5.0.0/16")).VpcId!;
    const stranger = server.ec2({ credentials: await createAccount(server, "222233334444") });
    await expect(stranger.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).rejects.toMatchObject({ name: "InvalidVpcID.NotFound" });
    await expect(stranger.send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: "InvalidVpcID.NotFound" });
    await expect(stranger.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: false } }))).rejects.toMatchObject({
      name: "InvalidVpcID.NotFound",
    });
    await expect(stranger.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.5.0.0/24" }))).rejects.toMatchObject({ name: "InvalidVpcID.NotFound" });
    const own = await stranger.send(new DescribeVpcsCommand({}));
    expect(own.Vpcs!.map((v) => v.VpcId)).not.toContain(vpcId);
  });
});
