// AttachVolume, DetachVolume and CreateImage through the SDK, on a clock the test moves: attaching → attached and
// detaching → gone take time, DescribeInstances' block devices follow the volumes, and CreateImage freezes the guest.
import {
  AttachVolumeCommand,
  CreateImageCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { advanceClock, extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages({ MINI_EC2_DELAYS: "real" });
const ec2 = () => shared.server.ec2();
const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("expected an error"),
    (error: Error) => ({ name: error.name, message: error.message }),
  );

async function running(imageId: string, instanceType: _InstanceType) {
  const instance = (
    await ec2().send(
      new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }),
    )
  ).Instances![0]!;
  await advanceClock(shared.server.url, 60);
  return instance;
}
async function volume(zone = "us-east-1a") {
  const created = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 10 }));
  await advanceClock(shared.server.url, 5);
  return created.VolumeId!;
}
const devicesOf = async (instanceId: string) =>
  (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!.BlockDeviceMappings!;

describe("AttachVolume and DetachVolume", () => {
  it("attach on the clock, show in DescribeInstances, and detach back to available", async () => {
    const instance = await running(shared.images.al2Ena, "m5.large");
    const volumeId = await volume();
    const attached = await ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instance.InstanceId!, Device: "/dev/sdf" }));
    expect(attached).toMatchObject({ VolumeId: volumeId, InstanceId: instance.InstanceId, Device: "/dev/sdf", State: "attaching" });
    expect((await devicesOf(instance.InstanceId!)).map((d) => [d.DeviceName, d.Ebs!.Status])).toEqual([
      ["/dev/xvda", "attached"],
      ["/dev/sdf", "attaching"],
    ]);
    await advanceClock(shared.server.url, 5);
    expect((await ec2().send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]).toMatchObject({
      State: "in-use",
      Attachments: [{ State: "attached", Device: "/dev/sdf" }],
    });

    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instance.InstanceId!, Device: "/dev/sdg" })))).toMatchObject({
      name: "VolumeInUse",
    });
    const other = await volume();
    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: other, InstanceId: instance.InstanceId!, Device: "/dev/xvdf" })))).toEqual({
      name: "InvalidParameterValue",
      message: "Invalid value '/dev/xvdf' for unixDevice. Attachment point /dev/xvdf is already in use",
    });
    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: other, InstanceId: instance.InstanceId!, Device: "/dev/sdf1" })))).toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("/dev/sdf1 is not a valid EBS device name"),
    });

    const detaching = await ec2().send(new DetachVolumeCommand({ VolumeId: volumeId }));
    expect(detaching).toMatchObject({ State: "detaching", InstanceId: instance.InstanceId });
    expect(await fail(ec2().send(new DetachVolumeCommand({ VolumeId: volumeId })))).toMatchObject({ name: "IncorrectState" });
    await advanceClock(shared.server.url, 5);
    expect((await ec2().send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]).toMatchObject({ State: "available", Attachments: [] });
    expect((await devicesOf(instance.InstanceId!)).map((d) => d.DeviceName)).toEqual(["/dev/xvda"]);
    expect(await fail(ec2().send(new DetachVolumeCommand({ VolumeId: volumeId })))).toEqual({
      name: "IncorrectState",
      message: `Volume '${volumeId}' is in the 'available' state.`,
    });
  });

  it("refuse another zone, a PV name on HVM rules, and the root of a running instance (Force or not)", async () => {
    const pv = await running(shared.images.pvX86, "m3.medium");
    const elsewhere = await volume("us-east-1b");
    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: elsewhere, InstanceId: pv.InstanceId!, Device: "/dev/sdf" })))).toEqual({
      name: "InvalidVolume.ZoneMismatch",
      message: `The volume '${elsewhere}' is not in the same availability zone as instance '${pv.InstanceId}'`,
    });
    // PV takes partition-style names; HVM does not.
    const here = await volume();
    await ec2().send(new AttachVolumeCommand({ VolumeId: here, InstanceId: pv.InstanceId!, Device: "/dev/sdf1" }));
    const root = pv.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    for (const Force of [false, true]) {
      expect(await fail(ec2().send(new DetachVolumeCommand({ VolumeId: root, Force })))).toMatchObject({
        name: "OperationNotPermitted",
        message: expect.stringContaining("Unable to detach root volume"),
      });
    }
    await ec2().send(new StopInstancesCommand({ InstanceIds: [pv.InstanceId!] }));
    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: elsewhere, InstanceId: pv.InstanceId!, Device: "/dev/sdg" })))).toMatchObject({
      name: "InvalidVolume.ZoneMismatch",
    });
    const stoppingAttach = await fail(ec2().send(new AttachVolumeCommand({ VolumeId: await volume(), InstanceId: pv.InstanceId!, Device: "/dev/sdg" })));
    expect(stoppingAttach).toMatchObject({ name: "IncorrectState", message: expect.stringContaining("is not 'running' or 'stopped'") });
    await advanceClock(shared.server.url, 60);
    // Stopped: the root may go, and DescribeGuest reads the disk itself.
    await ec2().send(new DetachVolumeCommand({ VolumeId: root, Force: true }));
    expect(await devicesOf(pv.InstanceId!)).toMatchObject([{ DeviceName: "/dev/sdf1" }]);
    const guest = await extension(shared.server.url, "DescribeGuest", { VolumeId: root });
    expect(guest).toMatchObject({ resourceId: root, guest: { bootloader: "pv-grub", console: "hvc0" } });
    // Without a disk at its root device, the instance cannot start.
    expect(await fail(ec2().send(new StartInstancesCommand({ InstanceIds: [pv.InstanceId!] })))).toMatchObject({
      name: "IncorrectInstanceState",
      message: `The instance '${pv.InstanceId}' has no EBS volume attached at its root device /dev/sda1. Attach one there (attach-volume --device /dev/sda1), then start it.`,
    });
  });
});

describe("CreateImage", () => {
  it("snapshots every attached volume and registers the instance's kind of image, pending until the snapshots complete", async () => {
    const instance = await running(shared.images.pvX86, "m3.medium");
    const data = await volume();
    await ec2().send(new AttachVolumeCommand({ VolumeId: data, InstanceId: instance.InstanceId!, Device: "/dev/sdf" }));
    await advanceClock(shared.server.url, 5);
    const { ImageId } = await ec2().send(
      new CreateImageCommand({
        InstanceId: instance.InstanceId!,
        Name: "my pv image",
        NoReboot: true,
        TagSpecifications: [
          { ResourceType: "image", Tags: [{ Key: "made", Value: "here" }] },
          { ResourceType: "snapshot", Tags: [{ Key: "made", Value: "here" }] },
        ],
      }),
    );
    const image = (await ec2().send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
    expect(image).toMatchObject({
      State: "pending",
      VirtualizationType: "paravirtual",
      Architecture: "x86_64",
      KernelId: instance.KernelId,
      RootDeviceName: "/dev/sda1",
      Tags: [{ Key: "made", Value: "here" }],
    });
    expect(image.BlockDeviceMappings!.map((m) => m.DeviceName)).toEqual(["/dev/sda1", "/dev/sdf"]);
    const { Snapshots } = await ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: image.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!) }));
    expect(Snapshots!.map((s) => s.Description)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^Created by CreateImage\\(${instance.InstanceId}\\) for ${ImageId} from vol-`))]),
    );
    await advanceClock(shared.server.url, 30);
    expect((await ec2().send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.State).toBe("available");
    const rootGuest = await extension(shared.server.url, "DescribeGuest", { ImageId: ImageId! });
    expect(rootGuest.guest).toMatchObject({ bootloader: "pv-grub", partitionTable: "none" });
    expect(await fail(ec2().send(new CreateImageCommand({ InstanceId: instance.InstanceId!, Name: "my pv image" })))).toMatchObject({
      name: "InvalidAMIName.Duplicate",
    });
  });
});
