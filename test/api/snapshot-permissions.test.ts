// Snapshot sharing through the SDK: ModifySnapshotAttribute, DescribeSnapshotAttribute and ResetSnapshotAttribute
// (createVolumePermission by account id and Group=all; productCodes read-only), and what a permission lets another
// account do: see the snapshot, make a volume from it, copy it, map it in RunInstances. Others get NotFound.
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  ModifySnapshotAttributeCommand,
  ResetSnapshotAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { amazonRootSnapshot, createAccount } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const owner = () => shared.server.ec2();
let friend: EC2Client, outsider: EC2Client;
beforeAll(async () => {
  friend = shared.server.ec2({ credentials: await createAccount(shared.server, "222233334444") });
  outsider = shared.server.ec2({ credentials: await createAccount(shared.server, "555566667777") });
});

const newSnapshot = async (Encrypted = false) => {
  const { VolumeId } = await owner().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 2, Encrypted }));
  return (await owner().send(new CreateSnapshotCommand({ VolumeId }))).SnapshotId!;
};
const share = (SnapshotId: string, change: { Add?: object[]; Remove?: object[] }, client = owner()) =>
  client.send(new ModifySnapshotAttributeCommand({ SnapshotId, Attribute: "createVolumePermission", CreateVolumePermission: change }));
const permissionsOf = async (SnapshotId: string, client = owner()) =>
  (await client.send(new DescribeSnapshotAttributeCommand({ SnapshotId, Attribute: "createVolumePermission" }))).CreateVolumePermissions;
const idsSeenBy = async (client: EC2Client, input: object = {}) => (await client.send(new DescribeSnapshotsCommand(input))).Snapshots!.map((s) => s.SnapshotId);

/** Every use another account can make of a snapshot, to run one at a time: each resolves, or rejects with EC2's error. */
const usesBy = (client: EC2Client, SnapshotId: string) => [
  () => client.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId] })),
  () => client.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId })),
  () => client.send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: SnapshotId })),
  () =>
    client.send(
      new RunInstancesCommand({
        ImageId: shared.images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { SnapshotId } }],
      }),
    ),
];

describe("createVolumePermission", () => {
  it("lets a named account see, restore, copy and launch with the snapshot; others get NotFound until it is shared", async () => {
    const snapshotId = await newSnapshot();
    const notFound = { name: "InvalidSnapshot.NotFound", message: `The snapshot '${snapshotId}' does not exist.` };
    for (const use of usesBy(friend, snapshotId)) await expect(use()).rejects.toMatchObject(notFound);
    expect(await permissionsOf(snapshotId)).toEqual([]);

    await share(snapshotId, { Add: [{ UserId: "222233334444" }] });
    expect(await permissionsOf(snapshotId)).toEqual([{ UserId: "222233334444" }]);
    for (const use of usesBy(friend, snapshotId)) await expect(use()).resolves.toBeDefined();
    for (const use of usesBy(outsider, snapshotId)) await expect(use()).rejects.toMatchObject(notFound);

    // What DescribeSnapshots shows each: the friend without parameters, by owner and by restorable-by self.
    expect(await idsSeenBy(friend)).toContain(snapshotId);
    expect(await idsSeenBy(friend, { OwnerIds: ["000000000000"] })).toContain(snapshotId);
    expect(await idsSeenBy(friend, { RestorableByUserIds: ["self"] })).toContain(snapshotId);
    expect(await idsSeenBy(owner(), { RestorableByUserIds: ["222233334444"] })).toEqual([snapshotId]);
    expect(await idsSeenBy(owner(), { RestorableByUserIds: ["all"] })).not.toContain(snapshotId);
    expect(await idsSeenBy(outsider)).not.toContain(snapshotId);

    await share(snapshotId, { Remove: [{ UserId: "222233334444" }] });
    for (const use of usesBy(friend, snapshotId)) await expect(use()).rejects.toMatchObject(notFound);
  });

  it("makes a snapshot public with Group=all, and ResetSnapshotAttribute makes it private again", async () => {
    const snapshotId = await newSnapshot();
    await share(snapshotId, { Add: [{ Group: "all" }, { UserId: "222233334444" }] });
    expect(await permissionsOf(snapshotId)).toEqual([{ Group: "all" }, { UserId: "222233334444" }]);
    expect(await idsSeenBy(outsider, { RestorableByUserIds: ["all"] })).toContain(snapshotId);
    await expect(outsider.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: snapshotId }))).resolves.toBeDefined();

    await owner().send(new ResetSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "createVolumePermission" }));
    expect(await permissionsOf(snapshotId)).toEqual([]);
    expect(await idsSeenBy(outsider)).not.toContain(snapshotId);
    expect(await idsSeenBy(friend)).not.toContain(snapshotId);
  });

  it("takes the legacy form (OperationType with UserId.N and UserGroup.N)", async () => {
    const snapshotId = await newSnapshot();
    await owner().send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snapshotId,
        Attribute: "createVolumePermission",
        OperationType: "add",
        UserIds: ["222233334444"],
        GroupNames: ["all"],
      }),
    );
    expect(await permissionsOf(snapshotId)).toEqual([{ Group: "all" }, { UserId: "222233334444" }]);
    await owner().send(
      new ModifySnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "createVolumePermission", OperationType: "remove", GroupNames: ["all"] }),
    );
    expect(await permissionsOf(snapshotId)).toEqual([{ UserId: "222233334444" }]);
  });

  it("is the owner's alone to read and change; an encrypted snapshot is shared with accounts but never made public", async () => {
    const snapshotId = await newSnapshot();
    await share(snapshotId, { Add: [{ UserId: "222233334444" }] });
    const unauthorized = { name: "UnauthorizedOperation" };
    await expect(permissionsOf(snapshotId, friend)).rejects.toMatchObject(unauthorized);
    await expect(share(snapshotId, { Add: [{ UserId: "555566667777" }] }, friend)).rejects.toMatchObject(unauthorized);
    await expect(share(snapshotId, { Add: [{ UserId: "222233334444" }] }, outsider)).rejects.toMatchObject({ name: "InvalidSnapshot.NotFound" });
    const amazons = await amazonRootSnapshot(shared.server, "amzn2-ami-hvm-2.0.20190313-x86_64-gp2");
    await expect(share(amazons, { Remove: [{ Group: "all" }] })).rejects.toMatchObject(unauthorized);

    const encrypted = await newSnapshot(true);
    await expect(share(encrypted, { Add: [{ Group: "all" }] })).rejects.toMatchObject({
      name: "UnsupportedOperation",
      message: "Encrypted snapshots can’t be shared publicly. Specify another snapshot.",
    });
    await share(encrypted, { Add: [{ UserId: "222233334444" }] });
    expect(await permissionsOf(encrypted)).toEqual([{ UserId: "222233334444" }]);
  });

  it("checks the request: productCodes are read-only, ids are 12 digits, the only group is all", async () => {
    const snapshotId = await newSnapshot();
    const productCodes = await owner().send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "productCodes" }));
    expect(productCodes).toMatchObject({ SnapshotId: snapshotId, ProductCodes: [] });
    await expect(owner().send(new ModifySnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "productCodes" }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(owner().send(new ResetSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: "productCodes" }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(share(snapshotId, { Add: [{ UserId: "bob" }] })).rejects.toMatchObject({ name: "InvalidUserID.Malformed" });
    await expect(share(snapshotId, { Add: [{ Group: "friends" }] })).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await expect(share(snapshotId, {})).rejects.toMatchObject({ name: "MissingParameter" });
    await expect(share("snap-nope", { Add: [{ Group: "all" }] })).rejects.toMatchObject({ name: "InvalidSnapshot.Malformed" });
    expect(await permissionsOf(snapshotId)).toEqual([]);
  });
});
