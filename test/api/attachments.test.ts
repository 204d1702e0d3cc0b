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
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
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

describe("EBS Multi-Attach", () => {
  const describeVolume = async (volumeId: string) => (await ec2().send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]!;
  async function multiAttachVolume(volumeType: "io1" | "io2" = "io2") {
    const created = await ec2().send(
      new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: volumeType, Iops: 100, MultiAttachEnabled: true }),
    );
    await advanceClock(shared.server.url, 5);
    return created.VolumeId!;
  }

  it("creates io1 and io2 volumes only, shown and filtered by multi-attach-enabled", async () => {
    const volumeId = await multiAttachVolume("io1");
    expect(await describeVolume(volumeId)).toMatchObject({ VolumeType: "io1", MultiAttachEnabled: true, State: "available" });
    const single = await volume();
    expect((await describeVolume(single)).MultiAttachEnabled).toBe(false);
    const filtered = await ec2().send(
      new DescribeVolumesCommand({ VolumeIds: [volumeId, single], Filters: [{ Name: "multi-attach-enabled", Values: ["true"] }] }),
    );
    expect(filtered.Volumes!.map((v) => v.VolumeId)).toEqual([volumeId]);
    for (const VolumeType of ["gp3", "gp2"] as const) {
      expect(await fail(ec2().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType, MultiAttachEnabled: true })))).toEqual({
        name: "InvalidParameterCombination",
        message: `Multi-Attach is supported only for io1 and io2 volumes, not ${VolumeType}. Use VolumeType io1 or io2, or leave MultiAttachEnabled out.`,
      });
    }
  });

  it("attaches to two Nitro instances, refuses a Xen one, detaches one by InstanceId and keeps the other", async () => {
    const [first, second, xen] = [
      await running(shared.images.al2Ena, "m5.large"),
      await running(shared.images.al2Ena, "c5.large"),
      await running(shared.images.al2Ena, "t2.micro"),
    ];
    const volumeId = await multiAttachVolume();
    await ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: first.InstanceId!, Device: "/dev/sdf" }));
    await ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: second.InstanceId!, Device: "/dev/sdg" }));
    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: xen.InstanceId!, Device: "/dev/sdf" })))).toEqual({
      name: "UnsupportedOperation",
      message: `The Multi-Attach enabled volume ${volumeId} can be attached only to instances built on the Nitro System; ${xen.InstanceId} is a t2.micro (Xen). Use a Nitro-based instance type.`,
    });
    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: first.InstanceId!, Device: "/dev/sdh" })))).toMatchObject({
      name: "VolumeInUse",
    });
    await advanceClock(shared.server.url, 5);
    const both = await describeVolume(volumeId);
    expect(both.State).toBe("in-use");
    expect(both.Attachments!.map((a) => [a.InstanceId, a.Device, a.State])).toEqual([
      [first.InstanceId, "/dev/sdf", "attached"],
      [second.InstanceId, "/dev/sdg", "attached"],
    ]);
    for (const instance of [first, second]) {
      const found = await ec2().send(
        new DescribeVolumesCommand({ VolumeIds: [volumeId], Filters: [{ Name: "attachment.instance-id", Values: [instance.InstanceId!] }] }),
      );
      expect(found.Volumes!.map((v) => v.VolumeId)).toEqual([volumeId]);
    }
    expect(await fail(ec2().send(new ModifyVolumeCommand({ VolumeId: volumeId, MultiAttachEnabled: false })))).toMatchObject({
      name: "IncorrectState",
      message: expect.stringContaining(`while volume ${volumeId} is attached`),
    });

    expect(await fail(ec2().send(new DetachVolumeCommand({ VolumeId: volumeId })))).toMatchObject({
      name: "MissingParameter",
      message: expect.stringContaining("InstanceId"),
    });
    expect(await ec2().send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: first.InstanceId! }))).toMatchObject({
      InstanceId: first.InstanceId,
      State: "detaching",
    });
    await advanceClock(shared.server.url, 5);
    expect(await describeVolume(volumeId)).toMatchObject({
      State: "in-use",
      Attachments: [{ InstanceId: second.InstanceId, Device: "/dev/sdg", State: "attached" }],
    });
    expect((await devicesOf(first.InstanceId!)).map((d) => d.DeviceName)).toEqual(["/dev/xvda"]);
    expect((await devicesOf(second.InstanceId!)).map((d) => d.DeviceName)).toEqual(["/dev/xvda", "/dev/sdg"]);

    // Attached again to the first: the finished attachment of the pair is replaced.
    await ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: first.InstanceId!, Device: "/dev/sdh" }));
    await advanceClock(shared.server.url, 5);
    expect((await describeVolume(volumeId)).Attachments!.map((a) => [a.InstanceId, a.Device])).toEqual([
      [second.InstanceId, "/dev/sdg"],
      [first.InstanceId, "/dev/sdh"],
    ]);
  });

  it("deletes on termination only with the last attached instance, and is refused a 17th instance", async () => {
    const instances = [];
    // 16 instances in one RunInstances: m5.large is Nitro.
    const launched = await ec2().send(
      new RunInstancesCommand({
        ImageId: shared.images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 17,
        MaxCount: 17,
        Placement: { AvailabilityZone: "us-east-1a" },
      }),
    );
    await advanceClock(shared.server.url, 60);
    instances.push(...launched.Instances!.map((i) => i.InstanceId!));
    const volumeId = await multiAttachVolume();
    for (const instanceId of instances.slice(0, 16))
      await ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdf" }));
    expect(await fail(ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instances[16]!, Device: "/dev/sdf" })))).toEqual({
      name: "AttachmentLimitExceeded",
      message: `The Multi-Attach enabled volume ${volumeId} is already attached to 16 instances, the most it can be attached to. Detach it from one first.`,
    });
    await advanceClock(shared.server.url, 5);
    expect((await describeVolume(volumeId)).Attachments).toHaveLength(16);

    // Every attachment says DeleteOnTermination; the volume goes only with the last of them.
    for (const instanceId of instances.slice(0, 16)) {
      await ec2().send(
        new ModifyInstanceAttributeCommand({ InstanceId: instanceId, BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { DeleteOnTermination: true } }] }),
      );
    }
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: instances.slice(0, 15) }));
    await advanceClock(shared.server.url, 60);
    expect(await describeVolume(volumeId)).toMatchObject({ State: "in-use", Attachments: [{ InstanceId: instances[15], DeleteOnTermination: true }] });
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [instances[15]!, instances[16]!] }));
    await advanceClock(shared.server.url, 60);
    expect(await fail(describeVolume(volumeId))).toMatchObject({ name: "InvalidVolume.NotFound" });
  });

  it("turns Multi-Attach on and off with ModifyVolume on an unattached io2 volume only", async () => {
    const io2 = (await ec2().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, VolumeType: "io2", Iops: 100 }))).VolumeId!;
    await advanceClock(shared.server.url, 5);
    const modified = await ec2().send(new ModifyVolumeCommand({ VolumeId: io2, MultiAttachEnabled: true }));
    expect(modified.VolumeModification).toMatchObject({ OriginalMultiAttachEnabled: false, TargetMultiAttachEnabled: true });
    expect((await describeVolume(io2)).MultiAttachEnabled).toBe(true);
    expect(await fail(ec2().send(new ModifyVolumeCommand({ VolumeId: io2, VolumeType: "gp3", Iops: 3000 })))).toMatchObject({
      name: "InvalidParameterCombination",
    });

    const io1 = await multiAttachVolume("io1");
    expect(await fail(ec2().send(new ModifyVolumeCommand({ VolumeId: io1, MultiAttachEnabled: false })))).toEqual({
      name: "InvalidParameterCombination",
      message: `Multi-Attach can be enabled or disabled after creation on io2 volumes only; volume ${io1} would be io1. Modify it to io2 first, or create the volume with MultiAttachEnabled.`,
    });
  });
});
