// Internet gateways, route tables and network ACLs through the SDK: attach and detach rules, routes and their
// targets and states, associations, the main table, the default ACL's associations, and another account's view.
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  type EC2Client,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.js";
import { testServer } from "../support/server.js";
import { insertInterface } from "./store-fixtures.js";

const server = testServer();
let ec2: EC2Client;
beforeAll(() => {
  ec2 = server.ec2();
});

const createVpc = async (CidrBlock: string) => (await ec2.send(new CreateVpcCommand({ CidrBlock }))).Vpc!.VpcId!;
const createGateway = async () => (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
const routeTable = async (RouteTableId: string) => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [RouteTableId] }))).RouteTables![0]!;

describe("internet gateways", () => {
  it("attach to one VPC, one per VPC, detach, and are deleted only when detached", async () => {
    const vpcId = await createVpc("10.0.0.0/16");
    const otherVpc = await createVpc("10.1.0.0/16");
    const created = await ec2.send(
      new CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: "internet-gateway", Tags: [{ Key: "Name", Value: "edge" }] }] }),
    );
    const igw = created.InternetGateway!.InternetGatewayId!;
    expect(igw).toMatch(/^igw-[0-9a-f]{17}$/);
    expect(created.InternetGateway).toMatchObject({ Attachments: [], OwnerId: "000000000000", Tags: [{ Key: "Name", Value: "edge" }] });

    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const { InternetGateways } = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }));
    expect(InternetGateways).toMatchObject([{ InternetGatewayId: igw, Attachments: [{ VpcId: vpcId, State: "available" }] }]);
    const byState = await ec2.send(
      new DescribeInternetGatewaysCommand({
        Filters: [
          { Name: "attachment.state", Values: ["available"] },
          { Name: "tag:Name", Values: ["edge"] },
        ],
      }),
    );
    expect(byState.InternetGateways!.map((g) => g.InternetGatewayId)).toEqual([igw]);

    await expect(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: otherVpc }))).rejects.toMatchObject({
      name: "Resource.AlreadyAssociated",
      message: `resource ${igw} is already attached to network ${vpcId}`,
    });
    const second = await createGateway();
    await expect(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcId }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: `Network ${vpcId} already has an internet gateway attached`,
    });
    await expect(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `The internetGateway '${igw}' has dependencies and cannot be deleted.`,
    });
    await expect(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: otherVpc }))).rejects.toMatchObject({
      name: "Gateway.NotAttached",
      message: `resource ${igw} is not attached to network ${otherVpc}`,
    });
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    await expect(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).rejects.toMatchObject({
      name: "InvalidInternetGatewayID.NotFound",
      message: `The internetGateway ID '${igw}' does not exist`,
    });
  });
});

describe("routes", () => {
  it("go to an attached gateway, exist once, are replaced and deleted; the local route stays; a detached gateway's route is a blackhole", async () => {
    const vpcId = await createVpc("10.2.0.0/16");
    const igw = await createGateway();
    const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!;
    const rtb = table.RouteTableId!;
    expect(table).toMatchObject({ VpcId: vpcId, Associations: [], Routes: [{ DestinationCidrBlock: "10.2.0.0/16", GatewayId: "local", State: "active" }] });

    await expect(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: `route table ${rtb} and network gateway ${igw} belong to different networks`,
    });
    await expect(
      ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-0123456789abcdef0" })),
    ).rejects.toMatchObject({ name: "InvalidGatewayID.NotFound" });
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect(await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }))).toMatchObject({ Return: true });
    await expect(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }))).rejects.toMatchObject({
      name: "RouteAlreadyExists",
      message: "The route identified by 0.0.0.0/0 already exists.",
    });
    await expect(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "192.168.0.0/16" }))).rejects.toMatchObject({
      name: "InvalidParameterCombination",
    });
    await expect(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-0123" }))).rejects.toMatchObject({
      name: "Unsupported",
      message: expect.stringContaining("NatGatewayId"),
    });
    expect((await routeTable(rtb)).Routes).toContainEqual({ DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw, Origin: "CreateRoute", State: "active" });
    const byRoute = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.gateway-id", Values: [igw] }] }));
    expect(byRoute.RouteTables!.map((t) => t.RouteTableId)).toEqual([rtb]);

    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect((await routeTable(rtb)).Routes).toContainEqual(expect.objectContaining({ DestinationCidrBlock: "0.0.0.0/0", State: "blackhole" }));

    await expect(ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.2.0.0/16" }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: `cannot remove local route 10.2.0.0/16 in route table ${rtb}`,
    });
    await ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0" }));
    await expect(ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0" }))).rejects.toMatchObject({
      name: "InvalidRoute.NotFound",
      message: `no route with destination-cidr-block 0.0.0.0/0 in route table ${rtb}`,
    });
  });

  it("go to a network interface or an instance's primary interface in the VPC, and ReplaceRoute changes the target", async () => {
    const vpcId = await createVpc("10.3.0.0/16");
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.3.0.0/24" }))).Subnet!;
    const eni = await insertInterface(server, subnet);
    const instanceEni = await insertInterface(server, subnet, "i-0123456789abcdef0");
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "192.168.0.0/16", NetworkInterfaceId: eni }));
    expect((await routeTable(rtb)).Routes).toContainEqual(
      expect.objectContaining({ DestinationCidrBlock: "192.168.0.0/16", NetworkInterfaceId: eni, State: "active" }),
    );
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "192.168.0.0/16", InstanceId: "i-0123456789abcdef0" }));
    expect((await routeTable(rtb)).Routes).toContainEqual({
      DestinationCidrBlock: "192.168.0.0/16",
      InstanceId: "i-0123456789abcdef0",
      InstanceOwnerId: "000000000000",
      NetworkInterfaceId: instanceEni,
      Origin: "CreateRoute",
      State: "active",
    });
    await expect(
      ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "172.16.0.0/12", InstanceId: "i-0fffffffffffffff0" })),
    ).rejects.toMatchObject({ name: "InvalidInstanceID.NotFound" });
    await expect(
      ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "172.16.0.0/12", NetworkInterfaceId: "eni-0fffffffffffffff0" })),
    ).rejects.toMatchObject({ name: "InvalidNetworkInterfaceID.NotFound" });
    const otherTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: await createVpc("10.4.0.0/16") }))).RouteTable!.RouteTableId!;
    await expect(
      ec2.send(new CreateRouteCommand({ RouteTableId: otherTable, DestinationCidrBlock: "172.16.0.0/12", NetworkInterfaceId: eni })),
    ).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "10.3.0.0/16", NetworkInterfaceId: eni }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
  });
});

describe("route table associations", () => {
  it("associate a subnet of the same VPC once, disassociate, move the main association, and guard the delete", async () => {
    const vpcId = await createVpc("10.5.0.0/16");
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.5.1.0/24" }))).Subnet!.SubnetId!;
    const foreignSubnet = (await ec2.send(new CreateSubnetCommand({ VpcId: await createVpc("10.6.0.0/16"), CidrBlock: "10.6.1.0/24" }))).Subnet!.SubnetId!;
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const main = (
      await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "association.main", Values: ["true"] },
          ],
        }),
      )
    ).RouteTables![0]!;

    const associated = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnet }));
    expect(associated.AssociationId).toMatch(/^rtbassoc-[0-9a-f]{17}$/);
    expect(associated.AssociationState).toEqual({ State: "associated" });
    expect((await routeTable(rtb)).Associations).toEqual([
      { Main: false, RouteTableAssociationId: associated.AssociationId, RouteTableId: rtb, SubnetId: subnet, AssociationState: { State: "associated" } },
    ]);
    const bySubnet = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnet] }] }));
    expect(bySubnet.RouteTables!.map((t) => t.RouteTableId)).toEqual([rtb]);
    await expect(ec2.send(new AssociateRouteTableCommand({ RouteTableId: main.RouteTableId!, SubnetId: subnet }))).rejects.toMatchObject({
      name: "Resource.AlreadyAssociated",
    });
    await expect(ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: foreignSubnet }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: `route table ${rtb} and subnet ${foreignSubnet} belong to different networks`,
    });
    await expect(ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtb }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `The routeTable '${rtb}' has dependencies and cannot be deleted.`,
    });
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: associated.AssociationId! }));
    await expect(ec2.send(new DisassociateRouteTableCommand({ AssociationId: associated.AssociationId! }))).rejects.toMatchObject({
      name: "InvalidAssociationID.NotFound",
    });

    const mainAssociation = main.Associations!.find((a) => a.Main)!.RouteTableAssociationId!;
    await expect(ec2.send(new DisassociateRouteTableCommand({ AssociationId: mainAssociation }))).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await expect(ec2.send(new DeleteRouteTableCommand({ RouteTableId: main.RouteTableId! }))).rejects.toMatchObject({ name: "DependencyViolation" });
    const moved = await ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId: mainAssociation, RouteTableId: rtb }));
    expect(moved.NewAssociationId).not.toBe(mainAssociation);
    expect((await routeTable(rtb)).Associations).toMatchObject([{ Main: true, RouteTableAssociationId: moved.NewAssociationId }]);
    // The old main table is now an ordinary one, and may go.
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: main.RouteTableId! }));
  });
});

describe("network ACLs", () => {
  it("show each VPC's default ACL, with EC2's entries, associated with every subnet of the VPC", async () => {
    const vpcId = await createVpc("10.7.0.0/16");
    const subnets = [];
    for (const cidr of ["10.7.1.0/24", "10.7.2.0/24"])
      subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr }))).Subnet!.SubnetId!);
    const { NetworkAcls } = await ec2.send(
      new DescribeNetworkAclsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "default", Values: ["true"] },
        ],
      }),
    );
    expect(NetworkAcls).toHaveLength(1);
    const acl = NetworkAcls![0]!;
    expect(acl.NetworkAclId).toMatch(/^acl-[0-9a-f]{17}$/);
    expect(acl.Entries).toContainEqual({ RuleNumber: 100, Egress: false, Protocol: "-1", RuleAction: "allow", CidrBlock: "0.0.0.0/0" });
    expect(acl.Entries).toContainEqual({ RuleNumber: 32767, Egress: true, Protocol: "-1", RuleAction: "deny", CidrBlock: "0.0.0.0/0" });
    expect(acl.Associations!.map((a) => a.SubnetId).sort()).toEqual([...subnets].sort());
    expect(acl.Associations![0]!.NetworkAclAssociationId).toMatch(/^aclassoc-[0-9a-f]{17}$/);
    const bySubnet = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnets[0]!] }] }));
    expect(bySubnet.NetworkAcls!.map((a) => a.NetworkAclId)).toEqual([acl.NetworkAclId]);
    const byId = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl.NetworkAclId!] }));
    expect(byId.NetworkAcls).toHaveLength(1);
    await expect(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ["acl-0123456789abcdef0"] }))).rejects.toMatchObject({
      name: "InvalidNetworkAclID.NotFound",
    });
  });
});

describe("another account", () => {
  it("sees none of this account's gateways, route tables, associations or ACLs: NotFound", async () => {
    const vpcId = await createVpc("10.8.0.0/16");
    const igw = await createGateway();
    const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.8.1.0/24" }))).Subnet!.SubnetId!;
    const association = (await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnet }))).AssociationId!;
    const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).NetworkAcls![0]!.NetworkAclId!;
    const stranger = server.ec2({ credentials: await createAccount(server, "222233334444") });
    const strangerVpc = (await stranger.send(new CreateVpcCommand({ CidrBlock: "10.8.0.0/16" }))).Vpc!.VpcId!;

    await expect(stranger.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).rejects.toMatchObject({
      name: "InvalidInternetGatewayID.NotFound",
    });
    await expect(stranger.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: strangerVpc }))).rejects.toMatchObject({
      name: "InvalidInternetGatewayID.NotFound",
    });
    await expect(stranger.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }))).rejects.toMatchObject({
      name: "InvalidInternetGatewayID.NotFound",
    });
    await expect(stranger.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).rejects.toMatchObject({ name: "InvalidRouteTableID.NotFound" });
    await expect(stranger.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }))).rejects.toMatchObject({
      name: "InvalidRouteTableID.NotFound",
    });
    await expect(stranger.send(new DeleteRouteTableCommand({ RouteTableId: rtb }))).rejects.toMatchObject({ name: "InvalidRouteTableID.NotFound" });
    await expect(stranger.send(new DisassociateRouteTableCommand({ AssociationId: association }))).rejects.toMatchObject({
      name: "InvalidAssociationID.NotFound",
    });
    await expect(stranger.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl] }))).rejects.toMatchObject({ name: "InvalidNetworkAclID.NotFound" });
    await expect(stranger.send(new CreateRouteTableCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: "InvalidVpcID.NotFound" });
  });
});
