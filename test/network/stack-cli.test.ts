// A Terraform-shaped stack through the AWS CLI, instances included: a VPC with two subnets (one mapping public
// addresses), an internet gateway, a security group with a rule, one instance in each subnet with the group, and
// an Elastic IP on the second; then the teardown in dependency order, each too-early step refused as EC2 refuses
// it (DependencyViolation, or InvalidIPAddress.InUse for the release).
import { describe, expect, it } from "vitest";
import { aws as awsCli, type CliResult } from "../support/aws-cli.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();

async function ec2(...args: string[]): Promise<any> {
  const result = await awsCli(shared.server.url, ["ec2", ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.json;
}

async function expectRefused(code: string, operation: string, ...args: string[]): Promise<CliResult> {
  const result = await awsCli(shared.server.url, ["ec2", ...args]);
  expect(result.code, `${operation} should have been refused`).not.toBe(0);
  expect(result.stderr).toContain(`An error occurred (${code}) when calling the ${operation} operation`);
  return result;
}

describe("a Terraform-shaped stack through the AWS CLI", () => {
  it("launches two instances into the subnets with the group, gives one an Elastic IP, and tears down in order", async () => {
    const vpcId = (await ec2("create-vpc", "--cidr-block", "10.40.0.0/16")).Vpc.VpcId;
    const subnetA = (await ec2("create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.40.1.0/24", "--availability-zone", "us-east-1a")).Subnet.SubnetId;
    const subnetB = (await ec2("create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.40.2.0/24", "--availability-zone", "us-east-1b")).Subnet.SubnetId;
    await ec2("modify-subnet-attribute", "--subnet-id", subnetA, "--map-public-ip-on-launch");
    const igw = (await ec2("create-internet-gateway")).InternetGateway.InternetGatewayId;
    await ec2("attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpcId);
    const groupId = (await ec2("create-security-group", "--group-name", "web", "--description", "web servers", "--vpc-id", vpcId)).GroupId;
    await ec2("authorize-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "443", "--cidr", "0.0.0.0/0");

    const launch = async (subnetId: string) =>
      (await ec2("run-instances", "--image-id", shared.images.al2Ena, "--instance-type", "t3.micro", "--subnet-id", subnetId, "--security-group-ids", groupId))
        .Instances[0].InstanceId as string;
    const first = await launch(subnetA);
    const second = await launch(subnetB);
    const allocationId = (await ec2("allocate-address", "--domain", "vpc")).AllocationId;
    const associationId = (await ec2("associate-address", "--allocation-id", allocationId, "--instance-id", second)).AssociationId;
    const publicIp = (await ec2("describe-addresses", "--allocation-ids", allocationId)).Addresses[0].PublicIp;

    const described = (await ec2("describe-instances", "--instance-ids", first, second)).Reservations.flatMap((r: any) => r.Instances);
    const byId = new Map(described.map((i: any) => [i.InstanceId, i]));
    expect(byId.get(first)).toMatchObject({ SubnetId: subnetA, VpcId: vpcId, SecurityGroups: [{ GroupId: groupId, GroupName: "web" }] });
    expect((byId.get(first) as any).PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(byId.get(second)).toMatchObject({ SubnetId: subnetB, PublicIpAddress: publicIp, SecurityGroups: [{ GroupId: groupId, GroupName: "web" }] });
    expect((byId.get(second) as any).PrivateIpAddress).toMatch(/^10\.40\.2\.\d+$/);

    // terraform destroy, each step first tried too early.
    await expectRefused("DependencyViolation", "DeleteVpc", "delete-vpc", "--vpc-id", vpcId);
    await expectRefused("DependencyViolation", "DeleteSubnet", "delete-subnet", "--subnet-id", subnetA);
    await expectRefused("DependencyViolation", "DeleteSecurityGroup", "delete-security-group", "--group-id", groupId);
    const detach = await expectRefused(
      "DependencyViolation",
      "DetachInternetGateway",
      "detach-internet-gateway",
      "--internet-gateway-id",
      igw,
      "--vpc-id",
      vpcId,
    );
    expect(detach.stderr).toContain(`Network ${vpcId} has some mapped public address(es).`);
    await expectRefused("DependencyViolation", "DeleteInternetGateway", "delete-internet-gateway", "--internet-gateway-id", igw);
    await expectRefused("InvalidIPAddress.InUse", "ReleaseAddress", "release-address", "--allocation-id", allocationId);

    await ec2("disassociate-address", "--association-id", associationId);
    await ec2("release-address", "--allocation-id", allocationId);
    // The first instance's own public address still holds the gateway.
    await expectRefused("DependencyViolation", "DetachInternetGateway", "detach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpcId);
    await ec2("terminate-instances", "--instance-ids", first, second);
    await ec2("delete-security-group", "--group-id", groupId);
    await ec2("detach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpcId);
    await ec2("delete-internet-gateway", "--internet-gateway-id", igw);
    await ec2("delete-subnet", "--subnet-id", subnetA);
    await ec2("delete-subnet", "--subnet-id", subnetB);
    await ec2("delete-vpc", "--vpc-id", vpcId);
    await expectRefused("InvalidVpcID.NotFound", "DescribeVpcs", "describe-vpcs", "--vpc-ids", vpcId);
  }, 120_000);
});
