// DryRun decides, family by family, through the SDK: a check the real call makes (existence, another account's id,
// a state rule, a duplicate) answers its own error under DryRun, and a request that would pass answers
// DryRunOperation with nothing changed.
import {
  AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreatePlacementGroupCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeleteVpcCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplatesCommand,
  DescribePlacementGroupsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  DetachVolumeCommand,
  type EC2Client,
  ModifyVolumeCommand,
  ReleaseAddressCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { type Credentials, createStranger } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";

const amazon = serverWithAmazonImages();
const { server } = amazon;
const zone = "us-east-1a";
const missingVolume = "vol-0123456789abcdef0";
let a: EC2Client;
let b: EC2Client;
let stranger: Credentials;

/** The error a call answers (its name), or "sent" when it succeeded. */
const answer = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => "sent",
    (error: { name: string }) => error.name,
  );

beforeAll(async () => {
  stranger = await createStranger(server);
  a = server.ec2();
  b = server.ec2({ credentials: stranger });
});

describe("DryRun on volumes and snapshots", () => {
  it("answers NotFound for a missing or another account's volume, the state rule for an attached one, else DryRunOperation", async () => {
    const volumeId = (await a.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8 }))).VolumeId!;
    expect(await answer(a.send(new DeleteVolumeCommand({ VolumeId: missingVolume, DryRun: true })))).toBe("InvalidVolume.NotFound");
    expect(await answer(b.send(new DeleteVolumeCommand({ VolumeId: volumeId, DryRun: true })))).toBe("InvalidVolume.NotFound");
    expect(await answer(a.send(new DetachVolumeCommand({ VolumeId: volumeId, DryRun: true })))).toBe("IncorrectState");
    expect(await answer(a.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: 4, DryRun: true })))).toBe("InvalidParameterValue");

    const before = (await a.send(new DescribeVolumesCommand({}))).Volumes!;
    expect(await answer(a.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8, DryRun: true })))).toBe("DryRunOperation");
    expect(await answer(a.send(new ModifyVolumeCommand({ VolumeId: volumeId, Size: 20, DryRun: true })))).toBe("DryRunOperation");
    expect(await answer(a.send(new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: "k", Value: "v" }], DryRun: true })))).toBe("DryRunOperation");
    expect(await answer(a.send(new DeleteVolumeCommand({ VolumeId: volumeId, DryRun: true })))).toBe("DryRunOperation");
    expect((await a.send(new DescribeVolumesCommand({}))).Volumes).toEqual(before);
    expect((await a.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [volumeId] }] }))).Tags).toEqual([]);
  });

  it("refuses to attach an in-use volume under DryRun as for real", async () => {
    const instanceId = (
      await a.send(
        new RunInstancesCommand({ ImageId: amazon.images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }),
      )
    ).Instances![0]!.InstanceId!;
    const volumeId = (await a.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8 }))).VolumeId!;
    expect(await answer(a.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdf", DryRun: true })))).toBe(
      "DryRunOperation",
    );
    expect((await a.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]!.Attachments).toEqual([]);
    await a.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdf" }));
    expect(await answer(a.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdg", DryRun: true })))).toBe("VolumeInUse");
    expect(await answer(a.send(new DeleteVolumeCommand({ VolumeId: volumeId, DryRun: true })))).toBe("VolumeInUse");
    expect(await answer(a.send(new CreateImageCommand({ InstanceId: "i-0123456789abcdef0", Name: "nothing", DryRun: true })))).toBe(
      "InvalidInstanceID.NotFound",
    );
    const imagesBefore = (await a.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images;
    expect(await answer(a.send(new CreateImageCommand({ InstanceId: instanceId, Name: "dry-image", DryRun: true })))).toBe("DryRunOperation");
    expect((await a.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images).toEqual(imagesBefore);
  });

  it("answers NotFound for a snapshot that is not the caller's, and DryRunOperation for a good one, leaving it", async () => {
    const volumeId = (await a.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8 }))).VolumeId!;
    const snapshotId = (await a.send(new CreateSnapshotCommand({ VolumeId: volumeId }))).SnapshotId!;
    expect(await answer(b.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId, DryRun: true })))).toBe("InvalidSnapshot.NotFound");
    expect(await answer(a.send(new CreateSnapshotCommand({ VolumeId: missingVolume, DryRun: true })))).toBe("InvalidVolume.NotFound");
    const before = (await a.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }))).Snapshots;
    expect(await answer(a.send(new CreateSnapshotCommand({ VolumeId: volumeId, DryRun: true })))).toBe("DryRunOperation");
    expect(await answer(a.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId, DryRun: true })))).toBe("DryRunOperation");
    expect((await a.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }))).Snapshots).toEqual(before);
  });
});

describe("DryRun on images", () => {
  it("answers NotFound for another account's image, and the Amazon image's owner check for a public one", async () => {
    expect(await answer(b.send(new DeregisterImageCommand({ ImageId: "ami-0123456789abcdef0", DryRun: true })))).toBe("InvalidAMIID.NotFound");
    const refusedPublic = await answer(a.send(new DeregisterImageCommand({ ImageId: amazon.images.al2Ena, DryRun: true })));
    expect(refusedPublic, "a public image of another owner is refused as for real").toBe(
      await answer(a.send(new DeregisterImageCommand({ ImageId: amazon.images.al2Ena }))),
    );
    expect(refusedPublic).not.toBe("DryRunOperation");
  });
});

describe("DryRun on key pairs, placement groups and launch templates: the name must be free", () => {
  it("answers the Duplicate code for a taken name, and DryRunOperation for a free one without making it", async () => {
    await a.send(new CreateKeyPairCommand({ KeyName: "dry-key" }));
    expect(await answer(a.send(new CreateKeyPairCommand({ KeyName: "dry-key", DryRun: true })))).toBe("InvalidKeyPair.Duplicate");
    expect(await answer(a.send(new CreateKeyPairCommand({ KeyName: "dry-key-2", DryRun: true })))).toBe("DryRunOperation");
    expect((await a.send(new DescribeKeyPairsCommand({}))).KeyPairs!.map((pair) => pair.KeyName)).toEqual(["dry-key"]);

    await a.send(new CreatePlacementGroupCommand({ GroupName: "dry-group", Strategy: "spread" }));
    expect(await answer(a.send(new CreatePlacementGroupCommand({ GroupName: "dry-group", Strategy: "spread", DryRun: true })))).toBe(
      "InvalidPlacementGroup.Duplicate",
    );
    expect(await answer(a.send(new CreatePlacementGroupCommand({ GroupName: "dry-group-2", Strategy: "spread", DryRun: true })))).toBe("DryRunOperation");
    expect((await a.send(new DescribePlacementGroupsCommand({}))).PlacementGroups!.map((group) => group.GroupName)).toEqual(["dry-group"]);

    const data = { ImageId: amazon.images.al2Ena, InstanceType: "m5.large" as const };
    await a.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "dry-template", LaunchTemplateData: data }));
    expect(await answer(a.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "dry-template", LaunchTemplateData: data, DryRun: true })))).toBe(
      "InvalidLaunchTemplateName.AlreadyExistsException",
    );
    expect(await answer(a.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "dry-template-2", LaunchTemplateData: data, DryRun: true })))).toBe(
      "DryRunOperation",
    );
    expect((await a.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates!.map((template) => template.LaunchTemplateName)).toEqual(["dry-template"]);
  });
});

describe("DryRun on the network", () => {
  it("answers DependencyViolation for a VPC with a subnet, NotFound for another account's, and DryRunOperation leaving the VPCs", async () => {
    const vpcId = (await a.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }))).Vpc!.VpcId!;
    await a.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.20.1.0/24", AvailabilityZone: zone }));
    expect(await answer(a.send(new DeleteVpcCommand({ VpcId: vpcId, DryRun: true })))).toBe("DependencyViolation");
    expect(await answer(b.send(new DeleteVpcCommand({ VpcId: vpcId, DryRun: true })))).toBe("InvalidVpcID.NotFound");
    expect(await answer(a.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.20.1.0/24", AvailabilityZone: zone, DryRun: true })))).toBe(
      "InvalidSubnet.Conflict",
    );
    const before = (await a.send(new DescribeVpcsCommand({}))).Vpcs;
    expect(await answer(a.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16", DryRun: true })))).toBe("DryRunOperation");
    expect((await a.send(new DescribeVpcsCommand({}))).Vpcs).toEqual(before);
  });

  it("answers a security group's own errors under DryRun, and DryRunOperation adding no rule", async () => {
    const groupId = (await a.send(new CreateSecurityGroupCommand({ GroupName: "dry-web", Description: "web" }))).GroupId!;
    const ssh = { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] };
    await a.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }));
    expect(await answer(a.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh], DryRun: true })))).toBe(
      "InvalidPermission.Duplicate",
    );
    expect(await answer(b.send(new DeleteSecurityGroupCommand({ GroupId: groupId, DryRun: true })))).toBe("InvalidGroup.NotFound");
    expect(await answer(a.send(new CreateSecurityGroupCommand({ GroupName: "dry-web", Description: "again", DryRun: true })))).toBe("InvalidGroup.Duplicate");
    const before = (await a.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups;
    const https = { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] };
    expect(await answer(a.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [https], DryRun: true })))).toBe("DryRunOperation");
    expect(await answer(a.send(new DeleteSecurityGroupCommand({ GroupId: groupId, DryRun: true })))).toBe("DryRunOperation");
    expect((await a.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups).toEqual(before);
  });

  it("answers NotFound for an Elastic IP that is not the caller's", async () => {
    expect(await answer(a.send(new ReleaseAddressCommand({ AllocationId: "eipalloc-0123456789abcdef0", DryRun: true })))).toBe("InvalidAllocationID.NotFound");
  });
});
