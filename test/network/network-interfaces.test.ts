// Network interfaces through the SDK: CreateNetworkInterface's answer and its refusals, a full subnet leaving nothing
// behind, DescribeNetworkInterfaces' filters and pages, attach and detach within the instance type's limits, the
// attributes, secondary addresses, and what another account sees.
import {
  AssignPrivateIpAddressesCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DetachNetworkInterfaceCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  UnassignPrivateIpAddressesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import type { Subnet } from "../../src/domain/network.js";
import { createStranger } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";
import { defaultGroupOf, defaultSubnet, extraSubnet, otherVpc } from "./eni-fixtures.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();
const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("expected an error"),
    (error: Error) => ({ name: error.name, message: error.message }),
  );

let subnet: Subnet;
beforeAll(async () => {
  subnet = await defaultSubnet(shared.server, ec2());
});

const create = (input: Partial<ConstructorParameters<typeof CreateNetworkInterfaceCommand>[0]> = {}) =>
  ec2().send(new CreateNetworkInterfaceCommand({ SubnetId: subnet.subnetId, ...input }));

async function instance(instanceType: "t3.micro" | "m5.large", zone = "us-east-1a"): Promise<string> {
  const { Instances } = await ec2().send(
    new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: instanceType, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }),
  );
  return Instances![0]!.InstanceId!;
}

describe("CreateNetworkInterface", () => {
  it("answers as EC2 does: available, in the default group, the lowest free address as primary", async () => {
    const { NetworkInterface: eni } = await create({
      Description: "web",
      SecondaryPrivateIpAddressCount: 1,
      TagSpecifications: [{ ResourceType: "network-interface", Tags: [{ Key: "team", Value: "ops" }] }],
    });
    expect(eni).toMatchObject({
      Status: "available",
      SubnetId: subnet.subnetId,
      VpcId: subnet.vpcId,
      AvailabilityZone: "us-east-1a",
      Description: "web",
      OwnerId: "000000000000",
      RequesterManaged: false,
      SourceDestCheck: true,
      InterfaceType: "interface",
      Groups: [{ GroupId: defaultGroupOf(shared.server, subnet.vpcId), GroupName: "default" }],
      TagSet: [{ Key: "team", Value: "ops" }],
    });
    expect(eni!.NetworkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(eni!.MacAddress).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    const [primary, secondary] = eni!.PrivateIpAddresses!;
    expect(primary).toMatchObject({ Primary: true, PrivateIpAddress: eni!.PrivateIpAddress });
    expect(secondary).toMatchObject({ Primary: false });
    expect(eni!.PrivateIpAddress).toMatch(/^172\.31\.(\d+)\.(\d+)$/);
    expect(eni!.PrivateDnsName).toBe(`ip-${eni!.PrivateIpAddress!.replace(/\./g, "-")}.ec2.internal`);
  });

  it("takes the asked addresses, and refuses one outside the subnet, a reserved one and a taken one", async () => {
    const { NetworkInterface: eni } = await create({
      PrivateIpAddresses: [
        { PrivateIpAddress: "172.31.9.10", Primary: true },
        { PrivateIpAddress: "172.31.9.11", Primary: false },
      ],
    });
    expect(eni!.PrivateIpAddresses!.map((ip) => [ip.PrivateIpAddress, ip.Primary])).toEqual([
      ["172.31.9.10", true],
      ["172.31.9.11", false],
    ]);
    expect(await fail(create({ PrivateIpAddress: "10.1.1.1" }))).toMatchObject({ name: "InvalidParameterValue", message: expect.stringContaining("10.1.1.1") });
    expect(await fail(create({ PrivateIpAddress: "172.31.0.2" }))).toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("reserved"),
    });
    expect(await fail(create({ PrivateIpAddress: "172.31.9.11" }))).toEqual({ name: "InvalidIPAddress.InUse", message: "Address 172.31.9.11 is in use." });
  });

  it("refuses unknown subnets and groups, a group of another VPC, and interface types it does not make", async () => {
    expect(await fail(create({ SubnetId: "subnet-0123456789abcdef0" }))).toMatchObject({ name: "InvalidSubnetID.NotFound" });
    expect(await fail(create({ Groups: ["sg-0123456789abcdef0"] }))).toMatchObject({ name: "InvalidGroup.NotFound" });
    const other = await otherVpc(shared.server);
    expect(await fail(create({ Groups: [other.defaultGroupId] }))).toEqual({
      name: "InvalidParameter",
      message: `Security group ${other.defaultGroupId} and subnet ${subnet.subnetId} belong to different networks.`,
    });
    expect(await fail(create({ InterfaceType: "trunk" }))).toMatchObject({ name: "InvalidParameterValue", message: expect.stringContaining("'trunk'") });
    expect((await create({ InterfaceType: "efa" })).NetworkInterface!.InterfaceType).toBe("efa");
  });

  it("fills a /28 (11 usable addresses) and refuses the next address, leaving nothing behind", async () => {
    const small = await extraSubnet(shared.server, ec2(), "172.31.200.0/28");
    const inSmall = async () =>
      (await ec2().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [small.subnetId] }] }))).NetworkInterfaces!;
    const first = (await create({ SubnetId: small.subnetId, SecondaryPrivateIpAddressCount: 7 })).NetworkInterface!;
    expect(first.PrivateIpAddress).toBe("172.31.200.4");
    // 8 taken, 3 free: an interface asking for 6 is refused whole.
    expect(await fail(create({ SubnetId: small.subnetId, SecondaryPrivateIpAddressCount: 5 }))).toEqual({
      name: "InsufficientFreeAddressesInSubnet",
      message: `Insufficient Free IP Addresses in subnet ${small.subnetId}.`,
    });
    expect((await inSmall()).map((eni) => eni.NetworkInterfaceId)).toEqual([first.NetworkInterfaceId]);
    // The refused create held none of the 3: an interface of 3 still fits, up to the subnet's last usable address.
    const last = (await create({ SubnetId: small.subnetId, SecondaryPrivateIpAddressCount: 2 })).NetworkInterface!;
    expect(last.PrivateIpAddresses!.map((ip) => ip.PrivateIpAddress)).toEqual(["172.31.200.12", "172.31.200.13", "172.31.200.14"]);
    expect(await fail(create({ SubnetId: small.subnetId }))).toMatchObject({ name: "InsufficientFreeAddressesInSubnet" });
    expect(await inSmall()).toHaveLength(2);
  });
});

describe("DescribeNetworkInterfaces", () => {
  it("filters by the names users use and pages with MaxResults and NextToken", async () => {
    const zoneB = await defaultSubnet(shared.server, ec2(), "us-east-1b");
    const tagged = (
      await create({
        SubnetId: zoneB.subnetId,
        Description: "find me",
        TagSpecifications: [{ ResourceType: "network-interface", Tags: [{ Key: "role", Value: "db" }] }],
      })
    ).NetworkInterface!;
    const filtered = async (Name: string, Values: string[]) =>
      (await ec2().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name, Values }] }))).NetworkInterfaces!.map((eni) => eni.NetworkInterfaceId);
    const id = tagged.NetworkInterfaceId!;
    for (const [name, value] of [
      ["availability-zone", "us-east-1b"],
      ["subnet-id", zoneB.subnetId],
      ["description", "find me"],
      ["private-ip-address", tagged.PrivateIpAddress!],
      ["addresses.private-ip-address", tagged.PrivateIpAddress!],
      ["mac-address", tagged.MacAddress!],
      ["tag:role", "db"],
    ] as const) {
      expect(await filtered(name, [value]), name).toEqual([id]);
    }
    for (const [name, value] of [
      ["vpc-id", subnet.vpcId],
      ["status", "available"],
      ["group-name", "default"],
      ["interface-type", "interface"],
      ["owner-id", "000000000000"],
      ["source-dest-check", "true"],
    ] as const) {
      expect(await filtered(name, [value]), name).toContain(id);
    }
    expect(await filtered("status", ["in-use"])).not.toContain(id);

    const all = (await ec2().send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.map((eni) => eni.NetworkInterfaceId);
    const first = await ec2().send(new DescribeNetworkInterfacesCommand({ MaxResults: 5 }));
    expect(first.NetworkInterfaces).toHaveLength(5);
    const rest = await ec2().send(new DescribeNetworkInterfacesCommand({ MaxResults: 1000, NextToken: first.NextToken }));
    expect([...first.NetworkInterfaces!, ...rest.NetworkInterfaces!].map((eni) => eni.NetworkInterfaceId)).toEqual(all);
    expect(await fail(ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-0123456789abcdef0"] })))).toEqual({
      name: "InvalidNetworkInterfaceID.NotFound",
      message: "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
    });
    expect(await fail(ec2().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "colour", Values: ["red"] }] })))).toMatchObject({
      name: "InvalidParameterValue",
    });
  });
});

describe("AttachNetworkInterface and DetachNetworkInterface", () => {
  it("attaches within the type's interface limit, and refuses a taken device, another zone, EFA and a missing card", async () => {
    const instanceId = await instance("t3.micro");
    const eni = (await create()).NetworkInterface!;
    const attach = (NetworkInterfaceId: string, DeviceIndex: number, extra = {}) =>
      ec2().send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId, InstanceId: instanceId, DeviceIndex, ...extra }));

    // The instance's primary interface holds device 0.
    expect(await fail(attach(eni.NetworkInterfaceId!, 0))).toEqual({
      name: "InvalidParameterValue",
      message: `Instance '${instanceId}' already has an interface attached at device index '0'.`,
    });
    const { AttachmentId } = await attach(eni.NetworkInterfaceId!, 1);
    expect(AttachmentId).toMatch(/^eni-attach-[0-9a-f]{17}$/);
    const attached = (await ec2().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] })))
      .NetworkInterfaces!;
    // The launch's primary interface at device 0, and this one.
    expect(attached.map((n) => n.Attachment?.DeviceIndex).sort()).toEqual([0, 1]);
    const seen = attached.find((n) => n.NetworkInterfaceId === eni.NetworkInterfaceId);
    expect(seen).toMatchObject({
      NetworkInterfaceId: eni.NetworkInterfaceId,
      Status: "in-use",
      Attachment: {
        AttachmentId,
        InstanceId: instanceId,
        DeviceIndex: 1,
        NetworkCardIndex: 0,
        Status: "attached",
        DeleteOnTermination: false,
        InstanceOwnerId: "000000000000",
      },
    });
    expect(await fail(attach(eni.NetworkInterfaceId!, 2))).toMatchObject({ name: "InvalidNetworkInterface.InUse" });

    // t3.micro takes 2 interfaces (NetworkInfo.MaximumNetworkInterfaces): a third is over the limit.
    const third = (await create()).NetworkInterface!;
    expect(await fail(attach(third.NetworkInterfaceId!, 2))).toEqual({
      name: "AttachmentLimitExceeded",
      message: "Interface count 3 exceeds the limit for t3.micro",
    });
    expect(await fail(attach(third.NetworkInterfaceId!, 1, { NetworkCardIndex: 1 }))).toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("card"),
    });
    const efa = (await create({ InterfaceType: "efa" })).NetworkInterface!;
    expect(await fail(attach(efa.NetworkInterfaceId!, 1))).toMatchObject({ name: "InvalidParameterCombination", message: expect.stringContaining("EFA") });
    const elsewhere = (await create({ SubnetId: (await defaultSubnet(shared.server, ec2(), "us-east-1b")).subnetId })).NetworkInterface!;
    expect(await fail(attach(elsewhere.NetworkInterfaceId!, 1))).toMatchObject({
      name: "InvalidParameterCombination",
      message: expect.stringContaining("availability zone"),
    });

    expect(await fail(ec2().send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId })))).toEqual({
      name: "InvalidNetworkInterface.InUse",
      message: `Network interface '${eni.NetworkInterfaceId}' is currently in use.`,
    });
    expect(await fail(ec2().send(new DetachNetworkInterfaceCommand({ AttachmentId: "eni-attach-0123456789abcdef0" })))).toMatchObject({
      name: "InvalidAttachmentID.NotFound",
    });
    await ec2().send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    const detached = (await ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(detached.Status).toBe("available");
    expect(detached.Attachment).toBeUndefined();
    // The slot is free again, for another interface.
    await attach(third.NetworkInterfaceId!, 1);
    await ec2().send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
    expect(await fail(ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] })))).toMatchObject({
      name: "InvalidNetworkInterfaceID.NotFound",
    });
  });
});

describe("the attributes and secondary addresses", () => {
  it("modifies one attribute a call and describes each", async () => {
    const instanceId = await instance("m5.large");
    const eni = (await create()).NetworkInterface!;
    const id = eni.NetworkInterfaceId!;
    const { AttachmentId } = await ec2().send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: id, InstanceId: instanceId, DeviceIndex: 1 }));
    const modify = (input: object) => ec2().send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, ...input }));
    const attribute = (Attribute: "description" | "sourceDestCheck" | "groupSet" | "attachment") =>
      ec2().send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute }));

    await modify({ SourceDestCheck: { Value: false } });
    await modify({ Description: { Value: "nat" } });
    await modify({ Attachment: { AttachmentId, DeleteOnTermination: true } });
    const other = await otherVpc(shared.server);
    expect(await fail(modify({ Groups: [other.defaultGroupId] }))).toMatchObject({ name: "InvalidParameter" });
    expect(await fail(modify({ Description: { Value: "x" }, SourceDestCheck: { Value: true } }))).toMatchObject({ name: "InvalidParameterCombination" });
    expect(await fail(modify({ Attachment: { AttachmentId: "eni-attach-0123456789abcdef0", DeleteOnTermination: true } }))).toMatchObject({
      name: "InvalidAttachmentID.NotFound",
    });

    expect((await attribute("sourceDestCheck")).SourceDestCheck).toEqual({ Value: false });
    expect((await attribute("description")).Description).toEqual({ Value: "nat" });
    expect((await attribute("groupSet")).Groups).toEqual([{ GroupId: defaultGroupOf(shared.server, subnet.vpcId), GroupName: "default" }]);
    expect((await attribute("attachment")).Attachment).toMatchObject({ AttachmentId, DeleteOnTermination: true, DeviceIndex: 1 });
  });

  it("assigns secondary addresses up to the type's Ipv4AddressesPerInterface when attached, and unassigns them", async () => {
    const instanceId = await instance("t3.micro");
    const eni = (await create()).NetworkInterface!;
    const id = eni.NetworkInterfaceId!;
    // Unattached, an interface takes what its subnet has.
    const assigned = await ec2().send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 2 }));
    expect(assigned.AssignedPrivateIpAddresses).toHaveLength(2);
    // t3.micro allows 2 IPv4 addresses an interface: 3 cannot attach.
    expect(await fail(ec2().send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: id, InstanceId: instanceId, DeviceIndex: 1 })))).toMatchObject({
      name: "PrivateIpAddressLimitExceeded",
    });
    const [first, second] = assigned.AssignedPrivateIpAddresses!.map((ip) => ip.PrivateIpAddress!);
    await ec2().send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: [second!] }));
    await ec2().send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: id, InstanceId: instanceId, DeviceIndex: 1 }));
    expect(await fail(ec2().send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 1 })))).toMatchObject({
      name: "PrivateIpAddressLimitExceeded",
      message: expect.stringContaining("t3.micro allows 2"),
    });
    expect(
      await fail(ec2().send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: [eni.PrivateIpAddress!] }))),
    ).toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("primary"),
    });
    expect(await fail(ec2().send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: [second!] })))).toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("not assigned"),
    });
    const now = (await ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))).NetworkInterfaces![0]!;
    expect(now.PrivateIpAddresses!.map((ip) => ip.PrivateIpAddress)).toEqual([eni.PrivateIpAddress, first]);
  });
});

describe("another account", () => {
  it("sees none of the caller's interfaces: NotFound by id, absent from its lists", async () => {
    const eni = (await create()).NetworkInterface!;
    const stranger = shared.server.ec2({ credentials: await createStranger(shared.server) });
    const id = eni.NetworkInterfaceId!;
    for (const call of [
      stranger.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] })),
      stranger.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id })),
      stranger.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Description: { Value: "mine" } })),
    ]) {
      expect(await fail(call)).toMatchObject({ name: "InvalidNetworkInterfaceID.NotFound" });
    }
    expect(await fail(stranger.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet.subnetId })))).toMatchObject({ name: "InvalidSubnetID.NotFound" });
    const theirs = (await stranger.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!;
    expect(theirs.map((e) => e.NetworkInterfaceId)).not.toContain(id);
  });
});
