// DetachInternetGateway while the VPC has mapped public addresses, through the SDK: EC2 refuses the detach while a
// running instance holds an auto-assigned public IP or an Elastic IP is associated in the VPC, and allows it once
// the instance is stopped or terminated and the Elastic IP disassociated.
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DetachInternetGatewayCommand,
  DisassociateAddressCommand,
  type EC2Client,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
let ec2: EC2Client;
beforeAll(() => {
  ec2 = shared.server.ec2();
});

/** A VPC with one subnet that maps public addresses, and an internet gateway attached to it. */
async function publicVpc(cidr: string) {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: `${cidr}/16` }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${cidr}/24`, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
  await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }));
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  return { vpcId, subnetId, igw };
}

const detach = (igw: string, vpcId: string) => ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
const mappedError = (vpcId: string) => ({
  name: "DependencyViolation",
  message: `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
});

describe("DetachInternetGateway with mapped public addresses", () => {
  it("is refused while a running instance holds an auto-assigned public IP, and allowed once it is stopped", async () => {
    const { vpcId, subnetId, igw } = await publicVpc("10.20.0.0");
    const { Instances } = await ec2.send(
      new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: subnetId }),
    );
    const instanceId = Instances![0]!.InstanceId!;
    await expect(detach(igw, vpcId)).rejects.toMatchObject(mappedError(vpcId));
    // Still attached: the refused detach changed nothing, so the delete is refused for the attachment.
    await expect(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }))).rejects.toMatchObject({ name: "DependencyViolation" });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await detach(igw, vpcId);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  });

  it("is allowed after the instance with a public IP is terminated", async () => {
    const { vpcId, subnetId, igw } = await publicVpc("10.21.0.0");
    const { Instances } = await ec2.send(
      new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: subnetId }),
    );
    await expect(detach(igw, vpcId)).rejects.toMatchObject(mappedError(vpcId));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [Instances![0]!.InstanceId!] }));
    await detach(igw, vpcId);
  });

  it("is refused while an Elastic IP is associated with an interface of the VPC, and allowed once it is disassociated", async () => {
    const { vpcId, subnetId, igw } = await publicVpc("10.22.0.0");
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni }));
    await expect(detach(igw, vpcId)).rejects.toMatchObject(mappedError(vpcId));
    await ec2.send(new DisassociateAddressCommand({ AssociationId }));
    await detach(igw, vpcId);
  });

  it("counts only the VPC's own addresses: a public instance in another VPC does not block the detach", async () => {
    const busy = await publicVpc("10.23.0.0");
    const quiet = await publicVpc("10.24.0.0");
    await ec2.send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: busy.subnetId }));
    await detach(quiet.igw, quiet.vpcId);
    await expect(detach(busy.igw, busy.vpcId)).rejects.toMatchObject(mappedError(busy.vpcId));
  });
});
