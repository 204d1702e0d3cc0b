// The AWS CLI (botocore's parser and serializer) through the interface and Elastic IP flow a user types: create an
// interface, allocate an address, associate it with the interface, describe both, disassociate, release, delete.
import { describe, expect, it } from "vitest";
import { aws as awsCli } from "../support/aws-cli.js";
import { testServer } from "../support/server.js";
import { defaultSubnet } from "./eni-fixtures.js";

const server = testServer();
const aws = async (...args: string[]) => {
  const result = await awsCli(server.url, ["ec2", ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.json;
};

describe("the AWS CLI", () => {
  it("creates an interface, gives it an Elastic IP, and takes both down again", async () => {
    const subnet = await defaultSubnet(server, server.ec2());
    const { NetworkInterface: eni } = await aws(
      "create-network-interface",
      "--subnet-id",
      subnet.subnetId,
      "--description",
      "cli",
      "--secondary-private-ip-address-count",
      "1",
    );
    expect(eni).toMatchObject({ Status: "available", Description: "cli", SubnetId: subnet.subnetId });
    const address = await aws("allocate-address", "--domain", "vpc");
    expect(address.AllocationId).toMatch(/^eipalloc-/);
    const { AssociationId } = await aws("associate-address", "--allocation-id", address.AllocationId, "--network-interface-id", eni.NetworkInterfaceId);

    const described = await aws("describe-network-interfaces", "--filters", `Name=association.public-ip,Values=${address.PublicIp}`);
    expect(described.NetworkInterfaces).toMatchObject([
      { NetworkInterfaceId: eni.NetworkInterfaceId, Association: { PublicIp: address.PublicIp, AssociationId } },
    ]);
    const addresses = await aws("describe-addresses", "--allocation-ids", address.AllocationId);
    expect(addresses.Addresses).toMatchObject([{ NetworkInterfaceId: eni.NetworkInterfaceId, PrivateIpAddress: eni.PrivateIpAddress, AssociationId }]);

    const refused = await awsCli(server.url, ["ec2", "release-address", "--allocation-id", address.AllocationId]);
    expect(refused.stderr).toContain(
      `An error occurred (InvalidIPAddress.InUse) when calling the ReleaseAddress operation: Address ${address.PublicIp} is in use.`,
    );
    await aws("disassociate-address", "--association-id", AssociationId);
    await aws("release-address", "--allocation-id", address.AllocationId);
    await aws("delete-network-interface", "--network-interface-id", eni.NetworkInterfaceId);
    expect((await aws("describe-network-interfaces", "--filters", `Name=subnet-id,Values=${subnet.subnetId}`)).NetworkInterfaces).toEqual([]);
    expect((await aws("describe-addresses")).Addresses).toEqual([]);
  });
});
