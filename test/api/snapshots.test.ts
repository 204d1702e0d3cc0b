// Snapshots through the SDK: CreateSnapshot freezes a volume's guest, DescribeSnapshots' owners, restorable-by,
// filters and pages, DeleteSnapshot while an image maps it, CopySnapshot into the signing region, and tags.
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeSnapshotsCommand,
  type DescribeSnapshotsCommandInput,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { type Credentials, ebsFixtures } from "../support/fixtures.js";
import { testServer, withClockedServer } from "../support/server.js";

const server = testServer();
let stranger: Credentials, al2Snapshot: string;
beforeAll(async () => ({ stranger, al2Snapshot } = await ebsFixtures(server)));

const volumeFrom = async (SnapshotId?: string) =>
  (await server.ec2().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", ...(SnapshotId ? { SnapshotId } : { Size: 3 }) }))).VolumeId!;
const snapshotOf = (VolumeId: string, Description?: string) => server.ec2().send(new CreateSnapshotCommand({ VolumeId, Description }));
const guestOf = async (snapshotId: string) => JSON.parse((await server.store.prisma.snapshot.findUnique({ where: { snapshotId } }))!.guest);

describe("CreateSnapshot", () => {
  it("freezes the volume's size and guest; a blank volume's snapshot has no guest", async () => {
    const volumeId = await volumeFrom(al2Snapshot);
    const snapshot = await snapshotOf(volumeId, "nightly");
    expect(snapshot).toMatchObject({
      VolumeId: volumeId,
      VolumeSize: 8,
      State: "completed",
      Progress: "100%",
      OwnerId: "000000000000",
      Description: "nightly",
      Encrypted: false,
    });
    expect(snapshot.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    expect(await guestOf(snapshot.SnapshotId!)).toEqual(await guestOf(al2Snapshot));

    const blank = await snapshotOf(await volumeFrom());
    expect(await guestOf(blank.SnapshotId!)).toBeNull();
    // The guest travels on: a volume from the blank snapshot is blank too.
    const again = await volumeFrom(blank.SnapshotId!);
    expect((await server.store.prisma.volume.findUnique({ where: { volumeId: again } }))!.guest).toBeNull();
  });

  it("refuses an unknown volume and tags of another type, leaving nothing behind", async () => {
    const before = await server.store.prisma.snapshot.count();
    await expect(snapshotOf("vol-0123456789abcdef0")).rejects.toMatchObject({
      name: "InvalidVolume.NotFound",
      message: "The volume 'vol-0123456789abcdef0' does not exist.",
    });
    await expect(snapshotOf("nope")).rejects.toMatchObject({ name: "InvalidVolume.Malformed" });
    const volumeId = await volumeFrom();
    await expect(
      server.ec2().send(new CreateSnapshotCommand({ VolumeId: volumeId, TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "a", Value: "b" }] }] })),
    ).rejects.toMatchObject({ name: "InvalidParameterValue" });
    expect(await server.store.prisma.snapshot.count()).toBe(before);
  });

  it("is pending with progress on the clock, then completed", async () => {
    await withClockedServer(async (clocked, advance) => {
      const ec2 = clocked.ec2();
      const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }));
      await expect(ec2.send(new CreateSnapshotCommand({ VolumeId }))).rejects.toMatchObject({ name: "IncorrectState" });
      advance(10_000);
      const { SnapshotId, State, Progress } = await ec2.send(new CreateSnapshotCommand({ VolumeId }));
      expect([State, Progress]).toEqual(["pending", "0%"]);
      await expect(ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId }))).rejects.toMatchObject({ name: "IncorrectState" });
      await expect(ec2.send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: SnapshotId }))).rejects.toMatchObject({
        name: "IncorrectState",
      });
      advance(7_500);
      const midway = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }))).Snapshots![0]!;
      expect([midway.State, midway.Progress]).toEqual(["pending", "50%"]);
      advance(60_000);
      const done = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!], Filters: [{ Name: "status", Values: ["completed"] }] })))
        .Snapshots!;
      expect(done).toMatchObject([{ State: "completed", Progress: "100%" }]);
    });
  });
});

describe("DescribeSnapshots", () => {
  it("selects by owner: self, amazon, an account id; and by restorable-by", async () => {
    const mine = (await snapshotOf(await volumeFrom(), "owner-test")).SnapshotId!;
    const ids = async (input: DescribeSnapshotsCommandInput) =>
      (await server.ec2().send(new DescribeSnapshotsCommand(input))).Snapshots!.map((s) => s.SnapshotId);
    expect(await ids({ OwnerIds: ["self"] })).toContain(mine);
    expect(await ids({ OwnerIds: ["self"] })).not.toContain(al2Snapshot);
    expect(await ids({ OwnerIds: ["amazon"] })).toContain(al2Snapshot);
    expect(await ids({ OwnerIds: ["amazon"] })).not.toContain(mine);
    expect(await ids({ OwnerIds: ["000000000000"] })).toContain(mine);
    expect(await ids({ RestorableByUserIds: ["all"] })).not.toContain(mine);
    // EC2: `self` selects the snapshots the caller owns or is named in; a public one of Amazon's only under `all`.
    expect(await ids({ RestorableByUserIds: ["self"] })).toContain(mine);
    expect(await ids({ RestorableByUserIds: ["self"] })).not.toContain(al2Snapshot);
    expect(await ids({ RestorableByUserIds: ["all"] })).toContain(al2Snapshot);
    const amazonSnapshots = (await server.ec2().send(new DescribeSnapshotsCommand({ Filters: [{ Name: "owner-alias", Values: ["amazon"] }] }))).Snapshots!;
    expect(amazonSnapshots.every((s) => s.OwnerId === "137112412989" && s.OwnerAlias === "amazon")).toBe(true);
    await expect(ids({ OwnerIds: ["someone"] })).rejects.toMatchObject({ name: "InvalidUserID.Malformed" });
  });

  it("filters by volume, size, description, start time and tags, and pages", async () => {
    const volumeId = await volumeFrom();
    const first = (await snapshotOf(volumeId, "filter-me")).SnapshotId!;
    const second = (await snapshotOf(volumeId, "and-me")).SnapshotId!;
    await server.ec2().send(new CreateTagsCommand({ Resources: [second], Tags: [{ Key: "keep", Value: "yes" }] }));
    const filtered = async (Filters: { Name: string; Values: string[] }[]) =>
      (await server.ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters }))).Snapshots!.map((s) => s.SnapshotId).sort();
    expect(await filtered([{ Name: "volume-id", Values: [volumeId] }])).toEqual([first, second].sort());
    expect(
      await filtered([
        { Name: "description", Values: ["filter-*"] },
        { Name: "volume-size", Values: ["3"] },
      ]),
    ).toEqual([first]);
    expect(await filtered([{ Name: "tag:keep", Values: ["yes"] }])).toEqual([second]);
    expect(
      await filtered([
        { Name: "start-time", Values: ["20*"] },
        { Name: "volume-id", Values: [volumeId] },
      ]),
    ).toHaveLength(2);

    const paged: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await server.ec2().send(new DescribeSnapshotsCommand({ MaxResults: 5, NextToken }));
      paged.push(...page.Snapshots!.map((s) => s.SnapshotId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(paged).toEqual((await server.ec2().send(new DescribeSnapshotsCommand({}))).Snapshots!.map((s) => s.SnapshotId));
    expect(paged.length).toBeGreaterThan(5);
  });

  it("names unknown and malformed ids, and hides other accounts' private snapshots", async () => {
    await expect(server.ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: ["snap-0123456789abcdef0"] }))).rejects.toMatchObject({
      name: "InvalidSnapshot.NotFound",
      message: "The snapshot 'snap-0123456789abcdef0' does not exist.",
    });
    await expect(server.ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: ["snap-x"] }))).rejects.toMatchObject({ name: "InvalidSnapshot.Malformed" });
    const mine = (await snapshotOf(await volumeFrom())).SnapshotId!;
    await expect(server.ec2({ credentials: stranger }).send(new DescribeSnapshotsCommand({ SnapshotIds: [mine] }))).rejects.toMatchObject({
      name: "InvalidSnapshot.NotFound",
    });
  });
});

describe("DeleteSnapshot", () => {
  it("refuses while a registered image maps the snapshot, then deletes once it is deregistered", async () => {
    const snapshotId = (await snapshotOf(await volumeFrom(al2Snapshot))).SnapshotId!;
    const { ImageId } = await server.ec2().send(
      new RegisterImageCommand({
        Name: "uses-my-snapshot",
        Architecture: "x86_64",
        VirtualizationType: "hvm",
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
      }),
    );
    await expect(server.ec2().send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }))).rejects.toMatchObject({
      name: "InvalidSnapshot.InUse",
      message: `The snapshot ${snapshotId} is currently in use by ${ImageId}`,
    });
    expect(await server.store.prisma.snapshot.count({ where: { snapshotId } })).toBe(1);
    await server.ec2().send(new DeregisterImageCommand({ ImageId }));
    await server.ec2().send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    await expect(server.ec2().send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).rejects.toMatchObject({ name: "InvalidSnapshot.NotFound" });
  });

  it("refuses Amazon's snapshots and other accounts' ones", async () => {
    await expect(server.ec2().send(new DeleteSnapshotCommand({ SnapshotId: al2Snapshot }))).rejects.toMatchObject({
      name: "UnauthorizedOperation",
      $metadata: { httpStatusCode: 403 },
    });
    const mine = (await snapshotOf(await volumeFrom())).SnapshotId!;
    await expect(server.ec2({ credentials: stranger }).send(new DeleteSnapshotCommand({ SnapshotId: mine }))).rejects.toMatchObject({
      name: "InvalidSnapshot.NotFound",
    });
    expect(await server.store.prisma.snapshot.count({ where: { snapshotId: mine } })).toBe(1);
  });
});

describe("CopySnapshot", () => {
  it("copies into the signing region for the caller, guest included", async () => {
    const source = (await snapshotOf(await volumeFrom(al2Snapshot), "to-copy")).SnapshotId!;
    const frankfurt = server.ec2({ region: "eu-central-1" });
    const { SnapshotId } = await frankfurt.send(
      new CopySnapshotCommand({
        SourceRegion: "us-east-1",
        SourceSnapshotId: source,
        TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "copy", Value: "1" }] }],
      }),
    );
    const copy = (await frankfurt.send(new DescribeSnapshotsCommand({ SnapshotIds: [SnapshotId!] }))).Snapshots![0]!;
    expect(copy).toMatchObject({
      OwnerId: "000000000000",
      VolumeId: "vol-ffffffff",
      VolumeSize: 8,
      Description: `[Copied ${source} from us-east-1]`,
      Tags: [{ Key: "copy", Value: "1" }],
    });
    expect((await server.store.prisma.snapshot.findUnique({ where: { snapshotId: SnapshotId! } }))!.region).toBe("eu-central-1");
    expect(await guestOf(SnapshotId!)).toEqual(await guestOf(al2Snapshot));
    // A public Amazon snapshot may be copied too, and the copy is the caller's.
    const { SnapshotId: ofAmazon } = await server
      .ec2({ credentials: stranger })
      .send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: al2Snapshot, Description: "mine now" }));
    expect((await server.store.prisma.snapshot.findUnique({ where: { snapshotId: ofAmazon! } }))!.accountId).toBe("222233334444");
  });

  it.each([
    ["an unknown region", { SourceRegion: "mars-east-1", SourceSnapshotId: "snap-0123456789abcdef0" }, "InvalidParameterValue", /SourceRegion/],
    [
      "a snapshot missing in the source region",
      { SourceRegion: "us-west-2", SourceSnapshotId: "snap-0123456789abcdef0" },
      "InvalidSnapshot.NotFound",
      /does not exist/,
    ],
    [
      "a destination other than the signing region",
      { SourceRegion: "us-east-1", SourceSnapshotId: "snap-0123456789abcdef0", DestinationRegion: "us-west-2" },
      "InvalidParameterValue",
      /signed for/,
    ],
  ])("refuses %s", async (_case, input, code, message) => {
    const before = await server.store.prisma.snapshot.count();
    await expect(server.ec2().send(new CopySnapshotCommand(input))).rejects.toMatchObject({ name: code, message: expect.stringMatching(message) });
    expect(await server.store.prisma.snapshot.count()).toBe(before);
  });

  it("does not copy another account's private snapshot", async () => {
    const mine = (await snapshotOf(await volumeFrom())).SnapshotId!;
    await expect(
      server.ec2({ credentials: stranger }).send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: mine })),
    ).rejects.toMatchObject({ name: "InvalidSnapshot.NotFound" });
  });
});
