// The pure parts of the network: CIDR arithmetic, the default network's plan, address allocation order.
import { describe, expect, it } from "vitest";
import { containsBlock, isNetworkAddress, overlaps, parseCidr, usableRange } from "../../src/domain/cidr.js";
import { macAddressFor, nextFreeAddress, planDefaultNetwork, privateDnsName, publicDnsName } from "../../src/domain/network.js";

describe("CIDR arithmetic", () => {
  it("parses blocks, and refuses what is not one", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ base: 0x0a000000, prefixLength: 16, size: 65536 });
    for (const bad of ["10.0.0.0", "10.0.0.256/16", "10.0.0.0/33", "ten/8", "10.0.0.0/1x"]) expect(parseCidr(bad)).toBeUndefined();
    expect(isNetworkAddress("10.0.0.0/16")).toBe(true);
    expect(isNetworkAddress("10.0.0.1/16")).toBe(false);
  });

  it("knows containment, overlap and the five reserved addresses", () => {
    const vpc = parseCidr("10.0.0.0/16")!;
    expect(containsBlock(vpc, parseCidr("10.0.3.0/24")!)).toBe(true);
    expect(containsBlock(vpc, parseCidr("10.1.0.0/24")!)).toBe(false);
    expect(overlaps(parseCidr("10.0.0.0/24")!, parseCidr("10.0.0.128/25")!)).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/25")!, parseCidr("10.0.0.128/25")!)).toBe(false);
    expect(usableRange(parseCidr("10.0.0.0/28")!).count).toBe(11);
  });

  it("hands out the lowest free usable address, and none when the subnet is full", () => {
    const subnet = parseCidr("10.0.0.0/28")!;
    expect(nextFreeAddress(subnet, [])).toBe(subnet.base + 4);
    expect(nextFreeAddress(subnet, [subnet.base + 4, subnet.base + 5, subnet.base + 7])).toBe(subnet.base + 6);
    const all = Array.from({ length: 11 }, (_, i) => subnet.base + 4 + i);
    expect(nextFreeAddress(subnet, all)).toBeUndefined();
  });
});

describe("the default network", () => {
  const network = planDefaultNetwork({ accountId: "123456789012", region: "us-east-1" }, ["us-east-1a", "us-east-1b", "us-east-1c"], new Date(0));

  it("is 172.31.0.0/16 with a /20 default subnet per zone, in zone order", () => {
    expect(network.vpc).toMatchObject({ cidrBlock: "172.31.0.0/16", isDefault: true, enableDnsHostnames: true, enableDnsSupport: true });
    expect(network.subnets.map((s) => [s.availabilityZone, s.cidrBlock, s.defaultForAz, s.mapPublicIpOnLaunch])).toEqual([
      ["us-east-1a", "172.31.0.0/20", true, true],
      ["us-east-1b", "172.31.16.0/20", true, true],
      ["us-east-1c", "172.31.32.0/20", true, true],
    ]);
  });

  it("has a main route table with the local route and one to its attached gateway, and a default group", () => {
    expect(network.internetGateway.vpcId).toBe(network.vpc.vpcId);
    expect(network.routeTable.routes.map((r) => [r.destinationCidrBlock, r.gatewayId])).toEqual([
      ["172.31.0.0/16", "local"],
      ["0.0.0.0/0", network.internetGateway.internetGatewayId],
    ]);
    expect(network.routeTable.associations).toEqual([expect.objectContaining({ main: true })]);
    expect(network.securityGroup.groupName).toBe("default");
    expect(network.securityGroupRules.map((r) => [r.isEgress, r.ipProtocol, r.referencedGroupId ?? r.cidrIpv4])).toEqual([
      [false, "-1", network.securityGroup.groupId],
      [true, "-1", "0.0.0.0/0"],
    ]);
  });

  it("keeps only the account and region of a caller (its access key is no column)", () => {
    const caller = { accountId: "123456789012", region: "us-east-1", accessKeyId: "AKIAEXAMPLE" };
    const planned = planDefaultNetwork(caller, ["us-east-1a"], new Date(0));
    for (const row of [planned.vpc, planned.subnets[0], planned.internetGateway, planned.securityGroup, planned.routeTable, planned.networkAcl]) {
      expect(row).not.toHaveProperty("accessKeyId");
    }
  });

  it("names hosts as EC2 does", () => {
    expect(privateDnsName("us-east-1", "172.31.5.9")).toBe("ip-172-31-5-9.ec2.internal");
    expect(privateDnsName("eu-west-1", "172.31.5.9")).toBe("ip-172-31-5-9.eu-west-1.compute.internal");
    expect(publicDnsName("us-east-1", "3.80.1.2")).toBe("ec2-3-80-1-2.compute-1.amazonaws.com");
    expect(macAddressFor("eni-0123456789abcdef0")).toMatch(/^02(:[0-9a-f]{2}){5}$/);
  });
});
