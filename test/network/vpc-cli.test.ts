// The AWS CLI (botocore's serializer and parser) through a Terraform-shaped network: a VPC, two subnets in two
// zones, an internet gateway, a route table with a default route, an association; then the teardown in
// dependency order, each too-early delete refused with DependencyViolation.
import { describe, expect, it } from "vitest";
import { aws as awsCli, type CliResult } from "../support/aws-cli.js";
import { testServer } from "../support/server.js";

const server = testServer();

async function ec2(...args: string[]): Promise<any> {
  const result = await awsCli(server.url, ["ec2", ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.json;
}

async function refused(...args: string[]): Promise<CliResult> {
  return awsCli(server.url, ["ec2", ...args]);
}

function expectDependencyViolation(result: CliResult, operation: string): void {
  expect([254, 255]).toContain(result.code);
  expect(result.stderr).toContain(`An error occurred (DependencyViolation) when calling the ${operation} operation`);
}

describe("a VPC network through the AWS CLI", () => {
  it("is built, described, and torn down in dependency order", async () => {
    const vpc = (await ec2("create-vpc", "--cidr-block", "10.10.0.0/16", "--tag-specifications", "ResourceType=vpc,Tags=[{Key=Name,Value=cli}]")).Vpc;
    expect(vpc).toMatchObject({ CidrBlock: "10.10.0.0/16", State: "available", IsDefault: false });
    await ec2("modify-vpc-attribute", "--vpc-id", vpc.VpcId, "--enable-dns-hostnames", '{"Value":true}');
    expect((await ec2("describe-vpc-attribute", "--vpc-id", vpc.VpcId, "--attribute", "enableDnsHostnames")).EnableDnsHostnames).toEqual({ Value: true });

    const subnetA = (await ec2("create-subnet", "--vpc-id", vpc.VpcId, "--cidr-block", "10.10.1.0/24", "--availability-zone", "us-east-1a")).Subnet;
    const subnetB = (await ec2("create-subnet", "--vpc-id", vpc.VpcId, "--cidr-block", "10.10.2.0/24", "--availability-zone", "us-east-1b")).Subnet;
    await ec2("modify-subnet-attribute", "--subnet-id", subnetA.SubnetId, "--map-public-ip-on-launch");
    const subnets = (await ec2("describe-subnets", "--filters", `Name=vpc-id,Values=${vpc.VpcId}`)).Subnets;
    expect(subnets.map((s: any) => [s.AvailabilityZone, s.AvailableIpAddressCount, s.MapPublicIpOnLaunch]).sort()).toEqual([
      ["us-east-1a", 251, true],
      ["us-east-1b", 251, false],
    ]);

    const igw = (await ec2("create-internet-gateway")).InternetGateway.InternetGatewayId;
    await ec2("attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc.VpcId);
    const rtb = (await ec2("create-route-table", "--vpc-id", vpc.VpcId)).RouteTable.RouteTableId;
    expect((await ec2("create-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw)).Return).toBe(true);
    const associationA = (await ec2("associate-route-table", "--route-table-id", rtb, "--subnet-id", subnetA.SubnetId)).AssociationId;
    const associationB = (await ec2("associate-route-table", "--route-table-id", rtb, "--subnet-id", subnetB.SubnetId)).AssociationId;
    const table = (await ec2("describe-route-tables", "--route-table-ids", rtb)).RouteTables[0];
    expect(table.Routes).toEqual([
      { DestinationCidrBlock: "10.10.0.0/16", GatewayId: "local", Origin: "CreateRouteTable", State: "active" },
      { DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw, Origin: "CreateRoute", State: "active" },
    ]);
    expect(table.Associations.map((a: any) => a.SubnetId).sort()).toEqual([subnetA.SubnetId, subnetB.SubnetId].sort());
    const acl = (await ec2("describe-network-acls", "--filters", `Name=vpc-id,Values=${vpc.VpcId}`)).NetworkAcls[0];
    expect(acl.Associations).toHaveLength(2);

    // Teardown: each delete that comes too early is refused.
    expectDependencyViolation(await refused("delete-vpc", "--vpc-id", vpc.VpcId), "DeleteVpc");
    expectDependencyViolation(await refused("delete-internet-gateway", "--internet-gateway-id", igw), "DeleteInternetGateway");
    expectDependencyViolation(await refused("delete-route-table", "--route-table-id", rtb), "DeleteRouteTable");
    await ec2("disassociate-route-table", "--association-id", associationA);
    await ec2("disassociate-route-table", "--association-id", associationB);
    await ec2("delete-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0");
    await ec2("delete-route-table", "--route-table-id", rtb);
    await ec2("detach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc.VpcId);
    await ec2("delete-internet-gateway", "--internet-gateway-id", igw);
    expectDependencyViolation(await refused("delete-vpc", "--vpc-id", vpc.VpcId), "DeleteVpc");
    await ec2("delete-subnet", "--subnet-id", subnetA.SubnetId);
    await ec2("delete-subnet", "--subnet-id", subnetB.SubnetId);
    await ec2("delete-vpc", "--vpc-id", vpc.VpcId);
    const gone = await refused("describe-vpcs", "--vpc-ids", vpc.VpcId);
    expect(gone.stderr).toContain(
      `An error occurred (InvalidVpcID.NotFound) when calling the DescribeVpcs operation: The vpc ID '${vpc.VpcId}' does not exist`,
    );
    // About thirty AWS CLI calls: their time, not mini-ec2's, sets the bound.
  }, 120_000);

  it("shows the default VPC and the account's attributes", async () => {
    const attributes = (await ec2("describe-account-attributes", "--attribute-names", "default-vpc")).AccountAttributes;
    const defaultVpc = attributes[0].AttributeValues[0].AttributeValue;
    expect(defaultVpc).toMatch(/^vpc-/);
    const vpcs = (await ec2("describe-vpcs", "--vpc-ids", defaultVpc)).Vpcs;
    const byOldFilterName = (await ec2("describe-vpcs", "--filters", "Name=isDefault,Values=true")).Vpcs;
    expect(byOldFilterName.map((vpc: { VpcId: string }) => vpc.VpcId)).toEqual([defaultVpc]);
    expect(vpcs).toMatchObject([{ CidrBlock: "172.31.0.0/16", IsDefault: true }]);
    // The VPC's DHCP options set is the region's default one, which boto3's vpc.dhcp_options loads.
    const dhcp = (await ec2("describe-dhcp-options", "--dhcp-options-ids", vpcs[0].DhcpOptionsId)).DhcpOptions;
    expect(dhcp).toEqual([
      {
        DhcpOptionsId: vpcs[0].DhcpOptionsId,
        OwnerId: "000000000000",
        Tags: [],
        DhcpConfigurations: [
          { Key: "domain-name", Values: [{ Value: "ec2.internal" }] },
          { Key: "domain-name-servers", Values: [{ Value: "AmazonProvidedDNS" }] },
        ],
      },
    ]);
    expect((await refused("describe-dhcp-options", "--dhcp-options-ids", "dopt-12345678")).stderr).toContain("(InvalidDhcpOptionID.NotFound)");
    // Terraform's aws_default_vpc_dhcp_options tags the set and finds it again by tag.
    await ec2("create-tags", "--resources", vpcs[0].DhcpOptionsId, "--tags", "Key=Name,Value=default-dopt");
    const tagged = (await ec2("describe-dhcp-options", "--filters", "Name=tag:Name,Values=default-dopt")).DhcpOptions;
    expect(tagged).toMatchObject([{ DhcpOptionsId: vpcs[0].DhcpOptionsId, Tags: [{ Key: "Name", Value: "default-dopt" }] }]);
    // EC2 documents six attributes; the service model's enum names only two of them.
    const limits = (await ec2("describe-account-attributes", "--attribute-names", "max-instances", "vpc-max-security-groups-per-interface")).AccountAttributes;
    expect(limits.map((attribute: { AttributeName: string }) => attribute.AttributeName).sort()).toEqual([
      "max-instances",
      "vpc-max-security-groups-per-interface",
    ]);
    expect((await refused("describe-account-attributes", "--attribute-names", "max-volumes")).stderr).toMatch(/\(InvalidParameterValue\).*max-volumes/);
    const refusedDefault = await refused("create-default-vpc");
    expect(refusedDefault.stderr).toContain("(DefaultVpcAlreadyExists)");
  });
});
