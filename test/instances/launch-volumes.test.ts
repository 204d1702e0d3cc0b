// The volumes RunInstances makes: the root volume copied from the image's snapshot (with its guest), the
// launch's own mappings (size, type, IOPS, throughput, encryption), CreateVolume's rules applied before anything
// is placed, and TerminateInstances deleting or keeping each by DeleteOnTermination.
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Volume,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();

/** The instance's volumes by device name. */
async function volumesOf(instanceId: string): Promise<Record<string, Volume>> {
  const { Volumes = [] } = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] }));
  return Object.fromEntries(Volumes.map((volume) => [volume.Attachments![0]!.Device!, volume]));
}

describe("the volumes of a launch", () => {
  it("copy the image's root snapshot with its guest, and take the launch's size, type, IOPS, throughput and encryption", async () => {
    const { Instances } = await ec2().send(
      new RunInstancesCommand({
        ImageId: shared.images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [
          { DeviceName: "/dev/xvda", Ebs: { VolumeSize: 20, VolumeType: "gp3", Iops: 4000, Throughput: 250 } },
          { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 100, VolumeType: "io1", Iops: 5000, Encrypted: true, DeleteOnTermination: false } },
        ],
      }),
    );
    const instanceId = Instances![0]!.InstanceId!;
    const { "/dev/xvda": root, "/dev/sdf": data } = await volumesOf(instanceId);
    expect(root).toMatchObject({ Size: 20, VolumeType: "gp3", Iops: 4000, Throughput: 250, Encrypted: false, SnapshotId: expect.stringMatching(/^snap-/) });
    expect(root!.Attachments).toMatchObject([{ Device: "/dev/xvda", DeleteOnTermination: true }]);
    expect(data).toMatchObject({
      Size: 100,
      VolumeType: "io1",
      Iops: 5000,
      Encrypted: true,
      Attachments: [{ Device: "/dev/sdf", DeleteOnTermination: false }],
    });
    expect(data!.SnapshotId ?? "").toBe("");
    const guest = await extension(shared.server.url, "DescribeGuest", { VolumeId: root!.VolumeId! });
    expect(JSON.stringify(guest)).toContain("Amazon Linux");

    // Terminating deletes the root volume and keeps the other, detached.
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const { Volumes } = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: "volume-id", Values: [root!.VolumeId!, data!.VolumeId!] }] }));
    expect(Volumes).toMatchObject([{ VolumeId: data!.VolumeId, State: "available", Attachments: [] }]);
  });

  it("restore the root device from another snapshot of the caller's when a mapping names one, sized at least as it", async () => {
    const { VolumeId } = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 12 }));
    const { SnapshotId } = await ec2().send(new CreateSnapshotCommand({ VolumeId }));
    const launch = (VolumeSize?: number) =>
      ec2().send(
        new RunInstancesCommand({
          ImageId: shared.images.al2Ena,
          InstanceType: "m5.large",
          MinCount: 1,
          MaxCount: 1,
          Placement: { AvailabilityZone: "us-east-1a" },
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId, ...(VolumeSize ? { VolumeSize } : {}) } }],
        }),
      );
    await expect(launch(10)).rejects.toMatchObject({
      name: "InvalidBlockDeviceMapping",
      message: `Volume of size 10GB is smaller than snapshot '${SnapshotId}', expect size >= 12GB`,
    });
    const { Instances } = await launch();
    const { "/dev/xvda": root } = await volumesOf(Instances![0]!.InstanceId!);
    expect(root).toMatchObject({ SnapshotId, Size: 12 });
  });

  it("make a volume from an encrypted snapshot encrypted", async () => {
    const { VolumeId } = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, Encrypted: true }));
    const { SnapshotId } = await ec2().send(new CreateSnapshotCommand({ VolumeId }));
    const { Instances } = await ec2().send(
      new RunInstancesCommand({
        ImageId: shared.images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: "us-east-1a" },
        BlockDeviceMappings: [{ DeviceName: "/dev/sdg", Ebs: { SnapshotId } }],
      }),
    );
    const { "/dev/sdg": restored } = await volumesOf(Instances![0]!.InstanceId!);
    expect(restored).toMatchObject({ SnapshotId, Size: 10, Encrypted: true });
  });

  it("follow CreateVolume's rules before anything is placed, and a root volume may not shrink below its snapshot", async () => {
    const before = (await ec2().send(new DescribeInstancesCommand({}))).Reservations!.length;
    const launch = (Ebs: object, DeviceName = "/dev/sdf") =>
      ec2()
        .send(
          new RunInstancesCommand({
            ImageId: shared.images.al2Ena,
            InstanceType: "m5.large",
            MinCount: 1,
            MaxCount: 1,
            BlockDeviceMappings: [{ DeviceName, Ebs }],
          }),
        )
        .catch((error) => error);
    expect(await launch({ VolumeSize: 100, VolumeType: "io1" })).toMatchObject({
      name: "InvalidParameterCombination",
      message: "The parameter iops must be specified for io1 volumes.",
    });
    expect(await launch({ VolumeSize: 10, VolumeType: "gp2", Iops: 3000 })).toMatchObject({
      name: "InvalidParameterCombination",
      message: "The parameter iops is not supported for gp2 volumes.",
    });
    expect(await launch({ VolumeSize: 4 }, "/dev/xvda")).toMatchObject({
      name: "InvalidBlockDeviceMapping",
      message: expect.stringContaining("expect size >= 8GB"),
    });
    expect((await ec2().send(new DescribeInstancesCommand({}))).Reservations!.length).toBe(before);
  });
});
