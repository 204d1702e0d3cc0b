// Another account's probes on the calls the per-resource isolation tests leave out: the interface's attach,
// detach and address calls, and a gateway's detach. Each answers NotFound and changes nothing.
import {
  AssignPrivateIpAddressesCommand,
  AttachInternetGatewayCommand,
  AttachNetworkInterfaceCommand,
  CreateInternetGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DetachInternetGatewayCommand,
  DetachNetworkInterfaceCommand,
  type EC2Client,
  RunInstancesCommand,
  UnassignPrivateIpAddressesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
let ec2: EC2Client;
let stranger: EC2Client;

beforeAll(async () => {
  ec2 = shared.server.ec2();
  stranger = shared.server.ec2({ credentials: await createAccount(shared.server, "777788889999") });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: "no error" }),
    (e: Error) => e,
  );
const runIn = (client: EC2Client, input: { SubnetId?: string } = {}) =>
  client.send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...input }));

describe("another account", () => {
  it("cannot attach, detach, or change the addresses of the caller's interfaces", async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.50.0.0/16" }))).Vpc!.VpcId!;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.50.1.0/24", AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, SecondaryPrivateIpAddressCount: 1 }))).NetworkInterface!;
    const eniId = eni.NetworkInterfaceId!;
    const secondary = eni.PrivateIpAddresses!.find((a) => !a.Primary)!.PrivateIpAddress!;

    // The stranger's own instance, for the attach.
    const theirId = (await runIn(stranger)).Instances![0]!.InstanceId!;
    const attach = await failure(stranger.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: theirId, DeviceIndex: 1 })));
    expect(attach.name).toBe("InvalidNetworkInterfaceID.NotFound");
    expect((await failure(stranger.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 1 })))).name).toBe(
      "InvalidNetworkInterfaceID.NotFound",
    );
    expect((await failure(stranger.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eniId, PrivateIpAddresses: [secondary] })))).name).toBe(
      "InvalidNetworkInterfaceID.NotFound",
    );

    // The caller's own instance's primary attachment: the stranger cannot detach it.
    const mine = (await runIn(ec2, { SubnetId: subnetId })).Instances![0]!;
    const described = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [mine.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    const attachmentId = described.NetworkInterfaces![0]!.Attachment!.AttachmentId!;
    expect((await failure(stranger.send(new DetachNetworkInterfaceCommand({ AttachmentId: attachmentId })))).name).toBe("InvalidAttachmentID.NotFound");

    const after = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces![0]!;
    expect(after.Status).toBe("available");
    expect(after.PrivateIpAddresses!.map((a) => a.PrivateIpAddress).sort()).toEqual(eni.PrivateIpAddresses!.map((a) => a.PrivateIpAddress).sort());
  });

  it("cannot detach the caller's internet gateway", async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.51.0.0/16" }))).Vpc!.VpcId!;
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect((await failure(stranger.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId })))).name).toBe(
      "InvalidInternetGatewayID.NotFound",
    );
    const gateway = (await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).InternetGateways![0]!;
    expect(gateway.Attachments).toEqual([{ VpcId: vpcId, State: "available" }]);
  });
});
