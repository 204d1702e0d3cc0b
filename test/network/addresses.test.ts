// Elastic IPs through the SDK: AllocateAddress from the pool and its quota, DescribeAddresses' ids and filters,
// AssociateAddress with an interface (and AllowReassociation), DisassociateAddress, ReleaseAddress refused while
// associated, what deleting an interface does to its address, and what another account sees.
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  CreateNetworkInterfaceCommand,
  DeleteNetworkInterfaceCommand,
  DescribeAddressesAttributeCommand,
  DescribeAddressesCommand,
  DescribeNetworkInterfacesCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { containsAddress, parseIpv4 } from "../../src/domain/cidr.js";
import { elasticIpPool } from "../../src/domain/network-interfaces.js";
import type { Subnet } from "../../src/domain/network.js";
import { createStranger } from "../support/fixtures.js";
import { testServer } from "../support/server.js";
import { defaultSubnet } from "./eni-fixtures.js";

const server = testServer();
const ec2 = () => server.ec2();
const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("expected an error"),
    (error: Error) => ({ name: error.name, message: error.message }),
  );

let subnet: Subnet;
beforeAll(async () => {
  subnet = await defaultSubnet(server, ec2());
});
const newInterface = async (secondary = 0) =>
  (await ec2().send(new CreateNetworkInterfaceCommand({ SubnetId: subnet.subnetId, SecondaryPrivateIpAddressCount: secondary }))).NetworkInterface!;
const allocate = () => ec2().send(new AllocateAddressCommand({ Domain: "vpc" }));
const describeOne = async (AllocationId: string) => (await ec2().send(new DescribeAddressesCommand({ AllocationIds: [AllocationId] }))).Addresses![0]!;

describe("AllocateAddress and ReleaseAddress", () => {
  it("gives a public address of the pool, at most five an account and region, and takes it back", async () => {
    const allocated = await ec2().send(
      new AllocateAddressCommand({ TagSpecifications: [{ ResourceType: "elastic-ip", Tags: [{ Key: "Name", Value: "front" }] }] }),
    );
    expect(allocated).toMatchObject({ Domain: "vpc", PublicIpv4Pool: "amazon", NetworkBorderGroup: "us-east-1" });
    expect(allocated.AllocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    expect(containsAddress(elasticIpPool, parseIpv4(allocated.PublicIp!)!)).toBe(true);
    expect(await describeOne(allocated.AllocationId!)).toMatchObject({ PublicIp: allocated.PublicIp, Tags: [{ Key: "Name", Value: "front" }] });

    const more = await Promise.all([allocate(), allocate(), allocate(), allocate()]);
    expect(new Set([allocated, ...more].map((a) => a.PublicIp)).size).toBe(5);
    expect(await fail(allocate())).toEqual({ name: "AddressLimitExceeded", message: "The maximum number of addresses has been reached." });
    // The quota is per region.
    expect((await server.ec2({ region: "eu-west-1" }).send(new AllocateAddressCommand({}))).AllocationId).toMatch(/^eipalloc-/);

    for (const { AllocationId } of [allocated, ...more]) await ec2().send(new ReleaseAddressCommand({ AllocationId }));
    expect((await ec2().send(new DescribeAddressesCommand({}))).Addresses).toEqual([]);
    expect(await fail(ec2().send(new ReleaseAddressCommand({ AllocationId: allocated.AllocationId })))).toEqual({
      name: "InvalidAllocationID.NotFound",
      message: `The allocation ID '${allocated.AllocationId}' does not exist`,
    });
    expect(await fail(ec2().send(new AllocateAddressCommand({ Domain: "standard" })))).toMatchObject({ name: "InvalidParameterValue" });
  });
});

describe("AssociateAddress and DisassociateAddress", () => {
  it("associates with an interface's primary address, shows on both sides, and is refused release until disassociated", async () => {
    const eni = await newInterface(1);
    const { AllocationId, PublicIp } = await allocate();
    const { AssociationId } = await ec2().send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId }));
    expect(AssociationId).toMatch(/^eipassoc-[0-9a-f]{17}$/);
    expect(await describeOne(AllocationId!)).toMatchObject({
      AssociationId,
      NetworkInterfaceId: eni.NetworkInterfaceId,
      NetworkInterfaceOwnerId: "000000000000",
      PrivateIpAddress: eni.PrivateIpAddress,
      PublicIp,
      SubnetId: subnet.subnetId,
    });
    const seen = (await ec2().send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces![0]!;
    expect(seen.Association).toMatchObject({
      AllocationId,
      AssociationId,
      PublicIp,
      IpOwnerId: "000000000000",
      PublicDnsName: `ec2-${PublicIp!.replace(/\./g, "-")}.compute-1.amazonaws.com`,
    });
    expect(seen.PrivateIpAddresses![0]!.Association).toMatchObject({ PublicIp });
    expect(seen.PrivateIpAddresses![1]!.Association).toBeUndefined();
    const byFilter = async (Name: string, Values: string[]) =>
      (await ec2().send(new DescribeAddressesCommand({ Filters: [{ Name, Values }] }))).Addresses!.map((a) => a.AllocationId);
    for (const [name, value] of [
      ["association-id", AssociationId!],
      ["network-interface-id", eni.NetworkInterfaceId!],
      ["private-ip-address", eni.PrivateIpAddress!],
      ["public-ip", PublicIp!],
      ["domain", "vpc"],
    ] as const) {
      expect(await byFilter(name, [value]), name).toEqual([AllocationId]);
    }
    expect(
      (await ec2().send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "association.public-ip", Values: [PublicIp!] }] }))).NetworkInterfaces,
    ).toHaveLength(1);

    expect(await fail(ec2().send(new ReleaseAddressCommand({ AllocationId })))).toEqual({
      name: "InvalidIPAddress.InUse",
      message: `Address ${PublicIp} is in use.`,
    });
    await ec2().send(new DisassociateAddressCommand({ AssociationId }));
    expect((await describeOne(AllocationId!)).AssociationId).toBeUndefined();
    expect(await fail(ec2().send(new DisassociateAddressCommand({ AssociationId })))).toEqual({
      name: "InvalidAssociationID.NotFound",
      message: `The association ID '${AssociationId}' does not exist`,
    });
    await ec2().send(new ReleaseAddressCommand({ AllocationId }));
  });

  it("moves an associated address only with AllowReassociation, and to a secondary address when asked", async () => {
    const [first, second] = [await newInterface(), await newInterface(1)];
    const { AllocationId } = await allocate();
    const associate = (input: object) => ec2().send(new AssociateAddressCommand({ AllocationId, ...input }));
    const { AssociationId } = await associate({ NetworkInterfaceId: first.NetworkInterfaceId });
    expect(await fail(associate({ NetworkInterfaceId: second.NetworkInterfaceId }))).toEqual({
      name: "Resource.AlreadyAssociated",
      message: `resource ${AllocationId} is already associated with associationId ${AssociationId}`,
    });
    const secondary = second.PrivateIpAddresses!.find((ip) => !ip.Primary)!.PrivateIpAddress!;
    await associate({ NetworkInterfaceId: second.NetworkInterfaceId, PrivateIpAddress: secondary, AllowReassociation: true });
    expect(await describeOne(AllocationId!)).toMatchObject({ NetworkInterfaceId: second.NetworkInterfaceId, PrivateIpAddress: secondary });
    expect(await fail(associate({ NetworkInterfaceId: first.NetworkInterfaceId, PrivateIpAddress: "172.31.15.250", AllowReassociation: true }))).toMatchObject({
      name: "InvalidParameterValue",
    });
    expect(await fail(associate({}))).toMatchObject({ name: "MissingParameter" });
    expect(await fail(associate({ NetworkInterfaceId: "eni-0123456789abcdef0" }))).toMatchObject({ name: "InvalidNetworkInterfaceID.NotFound" });
    expect(await fail(associate({ InstanceId: "i-0123456789abcdef0" }))).toMatchObject({ name: "InvalidInstanceID.NotFound" });
    expect(
      await fail(ec2().send(new AssociateAddressCommand({ AllocationId: "eipalloc-0123456789abcdef0", NetworkInterfaceId: first.NetworkInterfaceId }))),
    ).toMatchObject({
      name: "InvalidAllocationID.NotFound",
    });

    // Deleting the interface leaves the address allocated and free.
    await ec2().send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: second.NetworkInterfaceId }));
    const after = await describeOne(AllocationId!);
    expect(after.AssociationId).toBeUndefined();
    expect(after.NetworkInterfaceId).toBeUndefined();
    await ec2().send(new ReleaseAddressCommand({ AllocationId }));
  });
});

describe("DescribeAddressesAttribute", () => {
  it("answers each address's reverse DNS name, by allocation id or page by page, as Terraform's aws_eip reads it", async () => {
    const [first, second] = [await allocate(), await allocate()];
    const named = await ec2().send(new DescribeAddressesAttributeCommand({ AllocationIds: [first.AllocationId!], Attribute: "domain-name" }));
    expect(named.Addresses).toEqual([
      { AllocationId: first.AllocationId, PublicIp: first.PublicIp, PtrRecord: `ec2-${first.PublicIp!.replaceAll(".", "-")}.compute-1.amazonaws.com.` },
    ]);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2().send(new DescribeAddressesAttributeCommand({ Attribute: "domain-name", MaxResults: 1, NextToken }));
      expect(page.Addresses!.length).toBeLessThanOrEqual(1);
      seen.push(...page.Addresses!.map((a) => a.AllocationId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toEqual(expect.arrayContaining([first.AllocationId, second.AllocationId]));
    expect(new Set(seen).size).toBe(seen.length);
    expect(await fail(ec2().send(new DescribeAddressesAttributeCommand({ AllocationIds: ["eipalloc-12345678"], Attribute: "domain-name" })))).toEqual({
      name: "InvalidAllocationID.NotFound",
      message: "The allocation ID 'eipalloc-12345678' does not exist",
    });
    for (const { AllocationId } of [first, second]) await ec2().send(new ReleaseAddressCommand({ AllocationId }));
  });
});

describe("another account", () => {
  it("cannot see, associate, disassociate or release the caller's addresses, and gets addresses of its own", async () => {
    const eni = await newInterface();
    const { AllocationId, PublicIp } = await allocate();
    const { AssociationId } = await ec2().send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId }));
    const stranger = server.ec2({ credentials: await createStranger(server) });
    expect(await fail(stranger.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] })))).toMatchObject({ name: "InvalidAllocationID.NotFound" });
    expect(await fail(stranger.send(new DescribeAddressesCommand({ PublicIps: [PublicIp!] })))).toMatchObject({ name: "InvalidAddress.NotFound" });
    expect(await fail(stranger.send(new ReleaseAddressCommand({ AllocationId })))).toMatchObject({ name: "InvalidAllocationID.NotFound" });
    expect(await fail(stranger.send(new DisassociateAddressCommand({ AssociationId })))).toMatchObject({ name: "InvalidAssociationID.NotFound" });
    const theirs = await stranger.send(new AllocateAddressCommand({}));
    expect(theirs.PublicIp).not.toBe(PublicIp);
    expect(
      await fail(stranger.send(new AssociateAddressCommand({ AllocationId: theirs.AllocationId, NetworkInterfaceId: eni.NetworkInterfaceId }))),
    ).toMatchObject({
      name: "InvalidNetworkInterfaceID.NotFound",
    });
    expect((await stranger.send(new DescribeAddressesCommand({}))).Addresses!.map((a) => a.AllocationId)).toEqual([theirs.AllocationId]);
  });
});
