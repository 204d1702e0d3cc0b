// Volumes through the SDK: CreateVolume's defaults and EC2's size, IOPS and zone rules, DescribeVolumes' ids,
// filters and pages, DeleteVolume, ModifyVolume and its modifications, tags, and what another account sees.
import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateTagsCommand,
  DescribeSnapshotsCommand,
  DescribeImagesCommand,
  DisableEbsEncryptionByDefaultCommand,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  RunInstancesCommand,
  CreateVolumeCommand,
  type CreateVolumeCommandInput,
  DeleteVolumeCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DescribeVolumeStatusCommand,
  type DescribeVolumeStatusCommandInput,
  ModifyVolumeCommand,
  type ModifyVolumeCommandInput,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { type Credentials, createAccount, ebsFixtures } from "../support/fixtures.js";
import { testServer, withClockedServer } from "../support/server.js";

const server = testServer();
let stranger: Credentials, al2Snapshot: string;
beforeAll(async () => ({ stranger, al2Snapshot } = await ebsFixtures(server)));

const create = (input: Partial<CreateVolumeCommandInput>) => server.ec2().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", ...input }));
const describeOne = async (volumeId: string) => (await server.ec2().send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]!;

describe("CreateVolume", () => {
  it("takes KmsKeyId only with Encrypted, and keeps it as an ARN (no KMS: any well-formed key)", async () => {
    const key = "1234abcd-12ab-34cd-56ef-1234567890ab";
    await expect(create({ Size: 1, KmsKeyId: key })).rejects.toMatchObject({
      name: "InvalidParameterDependency",
      message: "The parameter KmsKeyId requires the parameter Encrypted to be set.",
    });
    await expect(create({ Size: 1, Encrypted: true, KmsKeyId: "not a key" })).rejects.toMatchObject({ name: "InvalidParameterValue" });
    const byId = await create({ Size: 1, Encrypted: true, KmsKeyId: key });
    expect(byId.KmsKeyId).toBe(`arn:aws:kms:us-east-1:000000000000:key/${key}`);
    expect((await describeOne(byId.VolumeId!)).KmsKeyId).toBe(`arn:aws:kms:us-east-1:000000000000:key/${key}`);
    expect((await create({ Size: 1, Encrypted: true, KmsKeyId: "alias/ebs-keys" })).KmsKeyId).toBe("arn:aws:kms:us-east-1:000000000000:alias/ebs-keys");
    const arn = `arn:aws:kms:us-east-1:111122223333:key/${key}`;
    expect((await create({ Size: 1, Encrypted: true, KmsKeyId: arn })).KmsKeyId).toBe(arn);
  });

  it("makes a blank gp2 volume with EC2's defaults, available once created", async () => {
    const created = await create({ Size: 10 });
    expect(created).toMatchObject({
      Size: 10,
      VolumeType: "gp2",
      Iops: 100,
      AvailabilityZone: "us-east-1a",
      Encrypted: false,
      SnapshotId: "",
      MultiAttachEnabled: false,
    });
    expect(created.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(await describeOne(created.VolumeId!)).toMatchObject({ State: "available", Attachments: [], Size: 10 });
    const row = await server.store.prisma.volume.findUnique({ where: { volumeId: created.VolumeId! } });
    expect(row!.guest).toBeNull();
  });

  it("takes the snapshot's size and guest by default, and gp3's baseline", async () => {
    const created = await create({
      SnapshotId: al2Snapshot,
      VolumeType: "gp3",
      TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "Name", Value: "root-copy" }] }],
    });
    expect(created).toMatchObject({
      Size: 8,
      SnapshotId: al2Snapshot,
      VolumeType: "gp3",
      Iops: 3000,
      Throughput: 125,
      Tags: [{ Key: "Name", Value: "root-copy" }],
    });
    const row = await server.store.prisma.volume.findUnique({ where: { volumeId: created.VolumeId! } });
    expect(JSON.parse(row!.guest!)).toMatchObject({ os: { distribution: "Amazon Linux" }, bootloader: { kind: "grub-mbr" } });
  });

  it("takes the zone by id too", async () => {
    const { AvailabilityZone } = await create({ AvailabilityZone: undefined, AvailabilityZoneId: "use1-az1", Size: 1 });
    expect(AvailabilityZone).toMatch(/^us-east-1[a-f]$/);
  });

  it.each([
    ["no size and no snapshot", { VolumeType: "gp2" }, "MissingParameter", /size or snapshotId/],
    ["no zone", { AvailabilityZone: undefined, Size: 1 }, "MissingParameter", /AvailabilityZone/],
    ["a zone of another region", { AvailabilityZone: "us-west-2a", Size: 1 }, "InvalidZone.NotFound", /^The zone 'us-west-2a' does not exist\.$/],
    [
      "a size below the snapshot's",
      { SnapshotId: "SNAP", Size: 4 },
      "InvalidParameterValue",
      /^Volume of size 4GB is smaller than snapshot 'snap-[0-9a-f]+', expect size >= 8GB$/,
    ],
    ["an io1 volume below 4 GiB", { VolumeType: "io1", Size: 2, Iops: 100 }, "InvalidParameterValue", /too small for a io1 volume; minimum is 4GiB/],
    ["a gp2 volume over 16 TiB", { Size: 16_385 }, "InvalidParameterValue", /too large for a gp2 volume; maximum is 16384GiB/],
    ["an st1 volume below 125 GiB", { VolumeType: "st1", Size: 100 }, "InvalidParameterValue", /minimum is 125GiB/],
    ["iops on gp2", { Size: 10, Iops: 300 }, "InvalidParameterCombination", /^The parameter iops is not supported for gp2 volumes\.$/],
    ["io2 without iops", { VolumeType: "io2", Size: 10 }, "InvalidParameterCombination", /^The parameter iops must be specified for io2 volumes\.$/],
    [
      "too many iops for the size",
      { VolumeType: "gp3", Size: 20, Iops: 15_000 },
      "InvalidParameterValue",
      /^Iops to volume size ratio of 750\.000000 is too high; maximum is 500$/,
    ],
    ["io1 iops under 100", { VolumeType: "io1", Size: 10, Iops: 50 }, "InvalidParameterValue", /too low; minimum is 100/],
    ["throughput on io1", { VolumeType: "io1", Size: 10, Iops: 100, Throughput: 200 }, "InvalidParameterCombination", /throughput is not supported for io1/],
    [
      "too much throughput for the iops",
      { VolumeType: "gp3", Size: 100, Throughput: 1000 },
      "InvalidParameterValue",
      /Throughput \(MiBps\) to iops ratio of 0\.333333 is too high/,
    ],
    [
      "a snapshot that does not exist",
      { SnapshotId: "snap-0123456789abcdef0" },
      "InvalidSnapshot.NotFound",
      /^The snapshot 'snap-0123456789abcdef0' does not exist\.$/,
    ],
    ["a malformed snapshot id", { SnapshotId: "snapshot-1" }, "InvalidSnapshot.Malformed", /expecting "snap-\.\.\."/],
    [
      "a tag specification for another type",
      { Size: 1, TagSpecifications: [{ ResourceType: "image", Tags: [{ Key: "a", Value: "b" }] }] },
      "InvalidParameterValue",
      /not a valid taggable resource type/,
    ],
  ])("refuses %s, leaving nothing behind", async (_case, input, code, message) => {
    const before = await server.store.prisma.volume.count();
    const withSnapshot = (input as { SnapshotId?: string }).SnapshotId === "SNAP" ? { ...input, SnapshotId: al2Snapshot } : input;
    await expect(create(withSnapshot as Partial<CreateVolumeCommandInput>)).rejects.toMatchObject({
      name: code,
      message: expect.stringMatching(message),
      $metadata: { httpStatusCode: 400 },
    });
    expect(await server.store.prisma.volume.count()).toBe(before);
  });
});

describe("DescribeVolumes", () => {
  it("filters by type, size, zone, status, snapshot and tags", async () => {
    const io1 = await create({
      AvailabilityZone: "us-east-1b",
      VolumeType: "io1",
      Size: 40,
      Iops: 2000,
      TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "team", Value: "db" }] }],
    });
    const filtered = async (Filters: { Name: string; Values: string[] }[]) =>
      (await server.ec2().send(new DescribeVolumesCommand({ Filters }))).Volumes!.map((v) => v.VolumeId);
    expect(
      await filtered([
        { Name: "volume-type", Values: ["io1"] },
        { Name: "size", Values: ["40"] },
      ]),
    ).toEqual([io1.VolumeId]);
    expect(
      await filtered([
        { Name: "availability-zone", Values: ["us-east-1b"] },
        { Name: "status", Values: ["available"] },
      ]),
    ).toEqual([io1.VolumeId]);
    expect(await filtered([{ Name: "tag:team", Values: ["d*"] }])).toEqual([io1.VolumeId]);
    expect(
      await filtered([
        { Name: "tag-key", Values: ["team"] },
        { Name: "encrypted", Values: ["false"] },
      ]),
    ).toEqual([io1.VolumeId]);
    expect(await filtered([{ Name: "snapshot-id", Values: [al2Snapshot] }])).not.toContain(io1.VolumeId);
    expect(await filtered([{ Name: "attachment.instance-id", Values: ["i-*"] }])).toEqual([]);
    await expect(filtered([{ Name: "colour", Values: ["blue"] }])).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "The filter 'colour' is invalid",
    });
  });

  it("pages with MaxResults and NextToken, and not together with ids", async () => {
    for (let i = 0; i < 6; i++) await create({ Size: 1 });
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await server.ec2().send(new DescribeVolumesCommand({ MaxResults: 5, NextToken }));
      expect(page.Volumes!.length).toBeLessThanOrEqual(5);
      ids.push(...page.Volumes!.map((v) => v.VolumeId!));
      NextToken = page.NextToken;
    } while (NextToken);
    const all = (await server.ec2().send(new DescribeVolumesCommand({}))).Volumes!.map((v) => v.VolumeId!);
    expect(ids).toEqual(all);
    expect(all.length).toBeGreaterThan(6);
    await expect(server.ec2().send(new DescribeVolumesCommand({ MaxResults: 4 }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
    });
    // EC2 answers at most 500 above 500 (test/protocol/input-limits.test.ts): here that is every volume.
    expect((await server.ec2().send(new DescribeVolumesCommand({ MaxResults: 501 }))).Volumes!.map((v) => v.VolumeId!)).toEqual(all);
    await expect(server.ec2().send(new DescribeVolumesCommand({ VolumeIds: [all[0]!], MaxResults: 5 }))).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message: "The parameter volumeSet cannot be used with the parameter maxResults",
    });
  });

  it("names unknown and malformed ids, and hides other accounts' volumes", async () => {
    await expect(describeOne("vol-0123456789abcdef0")).rejects.toMatchObject({
      name: "InvalidVolume.NotFound",
      message: "The volume 'vol-0123456789abcdef0' does not exist.",
    });
    await expect(describeOne("volume-1")).rejects.toMatchObject({ name: "InvalidVolume.Malformed", message: 'Invalid id: "volume-1" (expecting "vol-...")' });
    const mine = await create({ Size: 1 });
    const theirs = server.ec2({ credentials: stranger });
    await expect(theirs.send(new DescribeVolumesCommand({ VolumeIds: [mine.VolumeId!] }))).rejects.toMatchObject({ name: "InvalidVolume.NotFound" });
    expect((await theirs.send(new DescribeVolumesCommand({}))).Volumes).toEqual([]);
    await expect(theirs.send(new DeleteVolumeCommand({ VolumeId: mine.VolumeId! }))).rejects.toMatchObject({ name: "InvalidVolume.NotFound" });
    expect((await server.ec2({ region: "eu-west-1" }).send(new DescribeVolumesCommand({}))).Volumes).toEqual([]);
  });
});

describe("DescribeVolumeStatus", () => {
  const statuses = (input: DescribeVolumeStatusCommandInput, client = server.ec2()) => client.send(new DescribeVolumeStatusCommand(input));

  it("reports a created volume ok, I/O performance only for Provisioned IOPS, with filters and pages", async () => {
    const gp3 = (await create({ Size: 1, VolumeType: "gp3" })).VolumeId!;
    const io1 = (await create({ Size: 4, VolumeType: "io1", Iops: 100 })).VolumeId!;
    const { VolumeStatuses } = await statuses({ VolumeIds: [gp3, io1] });
    const byId = Object.fromEntries(VolumeStatuses!.map((s) => [s.VolumeId, s]));
    expect(byId[gp3]).toEqual({
      VolumeId: gp3,
      AvailabilityZone: "us-east-1a",
      VolumeStatus: {
        Status: "ok",
        Details: [
          { Name: "io-enabled", Status: "passed" },
          { Name: "io-performance", Status: "not-applicable" },
        ],
      },
      Events: [],
      Actions: [],
    });
    expect(byId[io1]!.VolumeStatus!.Details![1]).toEqual({ Name: "io-performance", Status: "normal" });

    const matching = async (name: string, value: string) =>
      (await statuses({ VolumeIds: [gp3, io1], Filters: [{ Name: name, Values: [value] }] })).VolumeStatuses!.map((s) => s.VolumeId);
    expect(await matching("volume-status.details-status", "normal")).toEqual([io1]);
    expect((await matching("volume-status.status", "ok")).sort()).toEqual([gp3, io1].sort());
    expect(await matching("event.event-type", "*")).toEqual([]);
    await expect(matching("volume-status.colour", "ok")).rejects.toMatchObject({ name: "InvalidParameterValue" });

    const first = await statuses({ MaxResults: 5 });
    expect(first.VolumeStatuses).toHaveLength(5);
    const rest = await statuses({ MaxResults: 1000, NextToken: first.NextToken });
    const all = await statuses({});
    expect([...first.VolumeStatuses!, ...rest.VolumeStatuses!].map((s) => s.VolumeId)).toEqual(all.VolumeStatuses!.map((s) => s.VolumeId));
    await expect(statuses({ VolumeIds: [gp3], MaxResults: 5 })).rejects.toMatchObject({ name: "InvalidParameterCombination" });
    await expect(statuses({ VolumeIds: ["vol-0123456789abcdef0"] })).rejects.toMatchObject({ name: "InvalidVolume.NotFound" });
    await expect(statuses({ VolumeIds: [gp3] }, server.ec2({ credentials: stranger }))).rejects.toMatchObject({ name: "InvalidVolume.NotFound" });
  });
});

describe("EBS encryption by default", () => {
  it("encrypts every new volume of the account and region while on, CreateVolume's and RunInstances' alike", async () => {
    // Another account, so the setting touches no other test's volumes.
    const credentials = await createAccount(server, "777788889999");
    const ec2 = server.ec2({ credentials });
    const enabled = async () => (await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault;
    expect(await enabled()).toBe(false);
    expect((await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe("alias/aws/ebs");
    await expect(ec2.send(new EnableEbsEncryptionByDefaultCommand({ DryRun: true }))).rejects.toMatchObject({ name: "DryRunOperation" });
    expect(await enabled()).toBe(false);

    expect((await ec2.send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect(await enabled()).toBe(true);
    expect((await server.ec2({ region: "eu-west-1", credentials }).send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1, Encrypted: false }));
    expect(volume.Encrypted).toBe(true);
    // Encrypted without a key of its own: the account's AWS managed key (aws/ebs), the same for every such volume.
    expect(volume.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:777788889999:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn2-ami-hvm-*"] }] }));
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: "m5.large", MinCount: 1, MaxCount: 1 }));
    const rootId = Instances![0]!.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    expect((await ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootId] }))).Volumes![0]).toMatchObject({ Encrypted: true, KmsKeyId: volume.KmsKeyId });
    // Copies of unencrypted snapshots and images are encrypted too.
    const copied = await ec2.send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: al2Snapshot }));
    expect((await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [copied.SnapshotId!] }))).Snapshots![0]!.Encrypted).toBe(true);
    const { ImageId } = await ec2.send(new CopyImageCommand({ Name: "encrypted-copy", SourceImageId: Images![0]!.ImageId, SourceRegion: "us-east-1" }));
    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
    expect(image.BlockDeviceMappings![0]!.Ebs!.Encrypted).toBe(true);

    expect((await ec2.send(new DisableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    const plain = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }));
    expect(plain.Encrypted).toBe(false);
    expect(plain).not.toHaveProperty("KmsKeyId");
  });
});

describe("DeleteVolume", () => {
  it("deletes an available volume and its tags", async () => {
    const { VolumeId } = await create({ Size: 1, TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "k", Value: "v" }] }] });
    await server.ec2().send(new CreateTagsCommand({ Resources: [VolumeId!], Tags: [{ Key: "more", Value: "x" }] }));
    await server.ec2().send(new DeleteVolumeCommand({ VolumeId }));
    await expect(describeOne(VolumeId!)).rejects.toMatchObject({ name: "InvalidVolume.NotFound" });
    const { Tags } = await server.ec2().send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [VolumeId!] }] }));
    expect(Tags).toEqual([]);
    await expect(server.ec2().send(new DeleteVolumeCommand({ VolumeId }))).rejects.toMatchObject({ name: "InvalidVolume.NotFound" });
  });

  it("refuses an attached volume with VolumeInUse and keeps it", async () => {
    const { VolumeId } = await create({ Size: 1 });
    await server.store.prisma.volumeAttachment.create({
      data: { volumeId: VolumeId!, instanceId: "i-0123456789abcdef0", device: "/dev/sdf", attachTime: new Date(), attachedAt: new Date() },
    });
    await expect(server.ec2().send(new DeleteVolumeCommand({ VolumeId }))).rejects.toMatchObject({
      name: "VolumeInUse",
      message: expect.stringMatching(new RegExp(`^Volume ${VolumeId} is currently attached to i-0123456789abcdef0`)),
    });
    expect(await describeOne(VolumeId!)).toMatchObject({
      State: "in-use",
      Attachments: [{ InstanceId: "i-0123456789abcdef0", Device: "/dev/sdf", State: "attached", DeleteOnTermination: false }],
    });
    const { Volumes } = await server.ec2().send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: "attachment.device", Values: ["/dev/sdf"] },
          { Name: "attachment.status", Values: ["attached"] },
        ],
      }),
    );
    expect(Volumes!.map((v) => v.VolumeId)).toEqual([VolumeId]);
  });
});

describe("ModifyVolume", () => {
  it("grows a volume and changes its type, reporting the modification", async () => {
    const { VolumeId } = await create({ Size: 10 });
    const { VolumeModification } = await server.ec2().send(new ModifyVolumeCommand({ VolumeId, Size: 20, VolumeType: "gp3", Iops: 4000 }));
    expect(VolumeModification).toMatchObject({
      VolumeId,
      OriginalSize: 10,
      OriginalVolumeType: "gp2",
      OriginalIops: 100,
      TargetSize: 20,
      TargetVolumeType: "gp3",
      TargetIops: 4000,
      TargetThroughput: 125,
      ModificationState: "completed",
      Progress: 100,
    });
    expect(await describeOne(VolumeId!)).toMatchObject({ Size: 20, VolumeType: "gp3", Iops: 4000 });
    const { VolumesModifications } = await server.ec2().send(new DescribeVolumesModificationsCommand({ VolumeIds: [VolumeId!] }));
    expect(VolumesModifications).toMatchObject([{ VolumeId, TargetSize: 20, ModificationState: "completed" }]);
    const filtered = await server.ec2().send(new DescribeVolumesModificationsCommand({ Filters: [{ Name: "target-volume-type", Values: ["gp3"] }] }));
    expect(filtered.VolumesModifications!.map((m) => m.VolumeId)).toContain(VolumeId);
  });

  it.each([
    ["a smaller size", { Size: 5 }, "InvalidParameterValue", /^New size cannot be smaller than existing size$/],
    ["no change", { Size: 10 }, "InvalidParameterCombination", /changes nothing/],
    ["io1 without iops", { VolumeType: "io1" }, "InvalidParameterCombination", /must be specified for io1/],
    ["st1 at 10 GiB", { VolumeType: "st1" }, "InvalidParameterValue", /minimum is 125GiB/],
  ])("refuses %s and leaves the volume as it was", async (_case, input, code, message) => {
    const { VolumeId } = await create({ Size: 10 });
    await expect(server.ec2().send(new ModifyVolumeCommand({ VolumeId, ...(input as Partial<ModifyVolumeCommandInput>) }))).rejects.toMatchObject({
      name: code,
      message: expect.stringMatching(message),
    });
    expect(await describeOne(VolumeId!)).toMatchObject({ Size: 10, VolumeType: "gp2" });
    await expect(server.ec2().send(new DescribeVolumesModificationsCommand({ VolumeIds: [VolumeId!] }))).rejects.toMatchObject({
      name: "InvalidVolumeModification.NotFound",
      message: `Modification for volume '${VolumeId}' does not exist.`,
    });
  });
});

describe("volume states on the clock", () => {
  it("goes creating -> available, and a modification modifying -> optimizing -> completed; one at a time", async () => {
    await withClockedServer(async (clocked, advance) => {
      const ec2 = clocked.ec2();
      const { VolumeId, State } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10 }));
      expect(State).toBe("creating");
      await expect(ec2.send(new DeleteVolumeCommand({ VolumeId }))).rejects.toMatchObject({
        name: "IncorrectState",
        message: expect.stringContaining("'creating'"),
      });
      await expect(ec2.send(new ModifyVolumeCommand({ VolumeId, Size: 11 }))).rejects.toMatchObject({ name: "IncorrectState" });
      const status = await ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [VolumeId!] }));
      expect(status.VolumeStatuses![0]!.VolumeStatus!.Status).toBe("insufficient-data");
      advance(60_000);
      const state = async () => (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [VolumeId!] }))).Volumes![0]!.State;
      expect(await state()).toBe("available");

      const { VolumeModification } = await ec2.send(new ModifyVolumeCommand({ VolumeId, Size: 12 }));
      expect(VolumeModification).toMatchObject({ ModificationState: "modifying", Progress: 0 });
      await expect(ec2.send(new ModifyVolumeCommand({ VolumeId, Size: 13 }))).rejects.toMatchObject({ name: "IncorrectModificationState" });
      const modification = async () => (await ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [VolumeId!] }))).VolumesModifications![0]!;
      advance(10_000);
      expect(await modification()).toMatchObject({ ModificationState: "optimizing" });
      advance(60_000);
      expect(await modification()).toMatchObject({ ModificationState: "completed", Progress: 100 });
      await ec2.send(new ModifyVolumeCommand({ VolumeId, Size: 13 }));
    });
  });
});
