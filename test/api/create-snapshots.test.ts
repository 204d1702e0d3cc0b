// CreateSnapshots through the SDK: one crash-consistent set of an instance's volumes (one start time, one
// transaction), with ExcludeBootVolume, ExcludeDataVolumeIds, CopyTagsFromSource and TagSpecifications.
import {
  CreateSnapshotsCommand,
  type CreateSnapshotsCommandInput,
  CreateTagsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createStranger } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();
let instanceId: string;
/** The instance's volumes by device: /dev/xvda (root), /dev/sdf and /dev/sdg (data). */
let volumes: Record<string, string>;

beforeAll(async () => {
  const { Instances } = await ec2().send(
    new RunInstancesCommand({
      ImageId: shared.images.al2Ena,
      InstanceType: "m5.large",
      MinCount: 1,
      MaxCount: 1,
      BlockDeviceMappings: [
        { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 5 } },
        { DeviceName: "/dev/sdg", Ebs: { VolumeSize: 6 } },
      ],
    }),
  );
  instanceId = Instances![0]!.InstanceId!;
  const { Volumes } = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] }));
  volumes = Object.fromEntries(Volumes!.map((v) => [v.Attachments![0]!.Device!, v.VolumeId!]));
  await ec2().send(
    new CreateTagsCommand({
      Resources: [volumes["/dev/sdf"]!],
      Tags: [
        { Key: "Name", Value: "data" },
        { Key: "team", Value: "ops" },
      ],
    }),
  );
});

type Request = Omit<CreateSnapshotsCommandInput, "InstanceSpecification"> & {
  InstanceSpecification?: Partial<CreateSnapshotsCommandInput["InstanceSpecification"]>;
};
const createSnapshots = (input: Request = {}) =>
  ec2().send(new CreateSnapshotsCommand({ ...input, InstanceSpecification: { InstanceId: instanceId, ...input.InstanceSpecification } }));
const snapshotCount = () => shared.server.store.prisma.snapshot.count();

describe("CreateSnapshots", () => {
  it("snapshots every attached volume at one start time, with the description and tags asked for", async () => {
    const { Snapshots } = await createSnapshots({
      Description: "nightly set",
      CopyTagsFromSource: "volume",
      TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "Name", Value: "set" }] }],
    });
    expect(Snapshots!.map((s) => s.VolumeId).sort()).toEqual(Object.values(volumes).sort());
    expect(new Set(Snapshots!.map((s) => s.StartTime!.getTime())).size).toBe(1);
    for (const snapshot of Snapshots!)
      expect(snapshot).toMatchObject({ Description: "nightly set", OwnerId: "000000000000", State: "completed", Encrypted: false });
    expect(Snapshots!.find((s) => s.VolumeId === volumes["/dev/sdg"])).toMatchObject({ VolumeSize: 6, Tags: [{ Key: "Name", Value: "set" }] });
    // The request's Name wins over the volume's; the volume's other tags are copied.
    const fromData = Snapshots!.find((s) => s.VolumeId === volumes["/dev/sdf"])!;
    expect(fromData.Tags).toEqual(
      expect.arrayContaining([
        { Key: "Name", Value: "set" },
        { Key: "team", Value: "ops" },
      ]),
    );
    expect(fromData.Tags).toHaveLength(2);

    const described = await ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: Snapshots!.map((s) => s.SnapshotId!) }));
    expect(described.Snapshots).toHaveLength(3);
  });

  it("leaves out the boot volume and the data volumes excluded", async () => {
    const { Snapshots } = await createSnapshots({ InstanceSpecification: { ExcludeBootVolume: true, ExcludeDataVolumeIds: [volumes["/dev/sdg"]!] } });
    expect(Snapshots!.map((s) => [s.VolumeId, s.VolumeSize, s.Tags])).toEqual([[volumes["/dev/sdf"], 5, undefined]]);
  });

  it("refuses the root volume among the data volumes, an empty set, and instances it cannot snapshot, storing nothing", async () => {
    const before = await snapshotCount();
    await expect(createSnapshots({ InstanceSpecification: { ExcludeDataVolumeIds: [volumes["/dev/xvda"]!] } })).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(createSnapshots({ InstanceSpecification: { ExcludeDataVolumeIds: ["vol-0123456789abcdef0"] } })).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(createSnapshots({ InstanceSpecification: { ExcludeDataVolumeIds: ["nope"] } })).rejects.toMatchObject({ name: "InvalidVolume.Malformed" });
    await expect(
      createSnapshots({ InstanceSpecification: { ExcludeBootVolume: true, ExcludeDataVolumeIds: [volumes["/dev/sdf"]!, volumes["/dev/sdg"]!] } }),
    ).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await expect(createSnapshots({ TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "a", Value: "b" }] }] })).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(createSnapshots({ InstanceSpecification: { InstanceId: "i-0123456789abcdef0" } })).rejects.toMatchObject({
      name: "InvalidInstanceID.NotFound",
    });
    const stranger = shared.server.ec2({ credentials: await createStranger(shared.server) });
    await expect(stranger.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: instanceId } }))).rejects.toMatchObject({
      name: "InvalidInstanceID.NotFound",
    });
    expect(await snapshotCount()).toBe(before);
  });

  it("refuses a terminated instance", async () => {
    const { Instances } = await ec2().send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1 }));
    const gone = Instances![0]!.InstanceId!;
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [gone] }));
    await expect(createSnapshots({ InstanceSpecification: { InstanceId: gone } })).rejects.toMatchObject({ name: "IncorrectInstanceState" });
  });
});
