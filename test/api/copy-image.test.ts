// CopyImage through the SDK: the copy belongs to the caller in the region the request is signed for, with new
// snapshots that carry the source's guest, its PV-GRUB kernel remapped by name, idempotent by ClientToken.
import {
  CopyImageCommand,
  type CopyImageCommandInput,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeTagsCommand,
  type EC2Client,
  type Image,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.js";
import { testServer, withClockedServer } from "../support/server.js";

const server = testServer();
let east: EC2Client;
let west: EC2Client;
let amazonEast: Image[];
const named = (name: string) => amazonEast.find((image) => image.Name === name)!;
const pvX86 = () => named("amzn-ami-pv-2013.09.2.x86_64-ebs");

beforeAll(async () => {
  east = server.ec2({ region: "us-east-1" });
  west = server.ec2({ region: "eu-west-1" });
  amazonEast = (await east.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images!;
});

const copy = (input: Partial<CopyImageCommandInput>, client = west) =>
  client.send(
    new CopyImageCommand({ SourceRegion: "us-east-1", SourceImageId: pvX86().ImageId, Name: `copy-${Math.random().toString(36).slice(2)}`, ...input }),
  );
const describeIn = async (client: EC2Client, imageId: string) => (await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!;
const amazonIn = async (client: EC2Client, name: string) =>
  (await client.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [name] }] }))).Images![0]!;
const counts = async () => [await server.store.prisma.image.count(), await server.store.prisma.snapshot.count(), await server.store.prisma.tag.count()];

describe("CopyImage between regions", () => {
  it("makes a private image of the caller's in the destination region, with new snapshots carrying the guest and the destination's PV-GRUB", async () => {
    const source = pvX86();
    const { ImageId } = await copy({ Name: "al1-pv-in-ireland", Description: "copied" });
    const copied = await describeIn(west, ImageId!);
    expect(copied).toMatchObject({
      Name: "al1-pv-in-ireland",
      Description: "copied",
      OwnerId: "000000000000",
      Public: false,
      State: "available",
      VirtualizationType: "paravirtual",
      Architecture: "x86_64",
      KernelId: "aki-dc9ed9af", // eu-west-1's pv-grub-hd0_1.05-x86_64.gz, not us-east-1's aki-5c21674b
      RootDeviceName: "/dev/sda1",
      SourceImageId: source.ImageId,
      SourceImageRegion: "us-east-1",
    });
    expect(copied).not.toHaveProperty("ImageOwnerAlias");
    const bySource = (name: string, value: string) =>
      west.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: name, Values: [value] }] })).then((r) => r.Images!.map((i) => i.ImageId));
    expect(await bySource("source-image-id", source.ImageId!)).toContain(ImageId);
    expect(await bySource("source-image-region", "us-east-1")).toContain(ImageId);
    expect(await bySource("source-image-region", "eu-west-2")).toEqual([]);
    await expect(describeIn(east, ImageId!)).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });

    const newSnapshotId = copied.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const sourceSnapshotId = source.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    expect(newSnapshotId).not.toBe(sourceSnapshotId);
    const [newSnapshot, sourceSnapshot] = await Promise.all(
      [newSnapshotId, sourceSnapshotId].map((snapshotId) => server.store.prisma.snapshot.findUnique({ where: { snapshotId } })),
    );
    expect(newSnapshot).toMatchObject({ accountId: "000000000000", region: "eu-west-1", public: false, volumeSize: 8, guest: sourceSnapshot!.guest });
    expect(newSnapshot!.description).toMatch(
      new RegExp(`^Copied for DestinationAmi ${ImageId} from SourceAmi ${source.ImageId} for SourceSnapshot ${sourceSnapshotId}\\.`),
    );
  });

  it("maps a partitioned PV image's hd00 kernel to the destination's hd00 AKI, and keeps the source's description by default", async () => {
    const ubuntu = named("ubuntu/images/ebs/ubuntu-trusty-14.04-amd64-server-20160114.5");
    const { ImageId } = await copy({ SourceImageId: ubuntu.ImageId });
    const copied = await describeIn(west, ImageId!);
    expect(copied.KernelId).toBe((await amazonIn(west, "pv-grub-hd00_1.05-x86_64.gz")).ImageId);
    expect(copied.KernelId).not.toBe(ubuntu.KernelId);
    expect(copied.Description).toBe(ubuntu.Description);
  });

  it("copies within a region and keeps HVM attributes", async () => {
    const al2023 = named("al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64");
    const { ImageId } = await copy({ SourceImageId: al2023.ImageId }, east);
    expect(await describeIn(east, ImageId!)).toMatchObject({
      VirtualizationType: "hvm",
      EnaSupport: true,
      SriovNetSupport: "simple",
      BootMode: "uefi-preferred",
      SourceImageRegion: "us-east-1",
    });
  });

  it("answers a repeated ClientToken with the same image, and refuses the token for a different copy", async () => {
    const first = await copy({ Name: "idempotent-copy", ClientToken: "token-1" });
    const before = await counts();
    const again = await copy({ Name: "idempotent-copy", ClientToken: "token-1" });
    expect(again.ImageId).toBe(first.ImageId);
    expect(await counts()).toEqual(before);
    await expect(copy({ Name: "another-name", ClientToken: "token-1" })).rejects.toMatchObject({
      name: "IdempotentParameterMismatch",
      message: expect.stringContaining("'token-1'"),
    });
    expect(await counts()).toEqual(before);
  });

  it("tags the image and the snapshots, and copies the caller's own tags when CopyImageTags is set", async () => {
    const { ImageId: sourceId } = await east.send(
      new RegisterImageCommand({
        Name: "tagged-source",
        Architecture: "x86_64",
        RootDeviceName: "/dev/sda1",
        BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvX86().BlockDeviceMappings![0]!.Ebs!.SnapshotId } }],
      }),
    );
    await east.send(
      new CreateTagsCommand({
        Resources: [sourceId!],
        Tags: [
          { Key: "team", Value: "platform" },
          { Key: "env", Value: "dev" },
        ],
      }),
    );
    const { ImageId } = await copy({
      SourceImageId: sourceId,
      CopyImageTags: true,
      TagSpecifications: [
        { ResourceType: "image", Tags: [{ Key: "env", Value: "prod" }] },
        { ResourceType: "snapshot", Tags: [{ Key: "copied", Value: "yes" }] },
      ],
    });
    const copied = await describeIn(west, ImageId!);
    expect(copied.Tags).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "team", Value: "platform" },
    ]);
    const snapshotTags = await west.send(
      new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [copied.BlockDeviceMappings![0]!.Ebs!.SnapshotId!] }] }),
    );
    expect(snapshotTags.Tags).toMatchObject([{ ResourceType: "snapshot", Key: "copied", Value: "yes" }]);
  });

  it("lets an account copy an image shared with it, and owns the copy", async () => {
    const friend = await createAccount(server, "222233334444");
    const { ImageId: sourceId } = await east.send(
      new RegisterImageCommand({
        Name: "shared-source",
        Architecture: "x86_64",
        RootDeviceName: "/dev/sda1",
        BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvX86().BlockDeviceMappings![0]!.Ebs!.SnapshotId } }],
      }),
    );
    const friendsWest = server.ec2({ region: "eu-west-1", credentials: friend });
    await expect(copy({ SourceImageId: sourceId }, friendsWest)).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
    await east.send(new ModifyImageAttributeCommand({ ImageId: sourceId, LaunchPermission: { Add: [{ UserId: "222233334444" }] } }));
    const { ImageId } = await copy({ SourceImageId: sourceId }, friendsWest);
    expect(await describeIn(friendsWest, ImageId!)).toMatchObject({ OwnerId: "222233334444", Public: false, SourceImageId: sourceId });
  });

  it.each<[string, () => Promise<unknown>, string, string | RegExp]>([
    [
      "an unknown source image",
      () => copy({ SourceImageId: "ami-0123456789abcdef0" }),
      "InvalidAMIID.NotFound",
      "The image id '[ami-0123456789abcdef0]' does not exist",
    ],
    [
      "an image looked for in the wrong source region",
      () => copy({ SourceRegion: "eu-central-1" }),
      "InvalidAMIID.NotFound",
      /^The image id '\[ami-[0-9a-f]{17}\]' does not exist$/,
    ],
    ["a malformed source image id", () => copy({ SourceImageId: "my-ami" }), "InvalidAMIID.Malformed", 'Invalid id: "my-ami" (expecting "ami-...")'],
    ["an unknown source region", () => copy({ SourceRegion: "us-nowhere-1" }), "InvalidParameterValue", "Invalid region: [us-nowhere-1]"],
    [
      "a name already used in the destination",
      () => copy({ Name: "al1-pv-in-ireland" }),
      "InvalidAMIName.Duplicate",
      /^AMI name al1-pv-in-ireland is already in use by AMI ami-[0-9a-f]{17}$/,
    ],
    ["a malformed name", () => copy({ Name: "a" }), "InvalidAMIName.Malformed", /between 3 and 128 characters/],
    [
      "a kernel image as the source",
      () => copy({ SourceImageId: "aki-5c21674b" }),
      "InvalidParameterValue",
      /is a kernel image: CopyImage copies machine images/,
    ],
    [
      "a tag for another resource type",
      () => copy({ TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "b" }] }] }),
      "InvalidParameterValue",
      "'instance' is not a valid taggable resource type for this operation. This call tags 'image' or 'snapshot'.",
    ],
    ["a KMS key", () => copy({ Encrypted: true, KmsKeyId: "alias/aws/ebs" }), "Unsupported", /KmsKeyId/],
  ])("refuses %s, leaving nothing behind", async (_case, call, code, message) => {
    const before = await counts();
    await expect(call()).rejects.toMatchObject({ name: code, message: typeof message === "string" ? message : expect.stringMatching(message) });
    expect(await counts()).toEqual(before);
  });

  it("refuses a PV image for a region that lacks its PV-GRUB kernel, leaving nothing behind", async () => {
    const i386 = named("amzn-ami-pv-2013.09.2.i386-ebs");
    await server.store.prisma.image.deleteMany({ where: { region: "sa-east-1", name: "pv-grub-hd0_1.05-i386.gz" } });
    const before = await counts();
    await expect(copy({ SourceImageId: i386.ImageId }, server.ec2({ region: "sa-east-1" }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: `The image '${i386.ImageId}' boots the kernel image 'aki-04206613' (pv-grub-hd0_1.05-i386.gz), which has no counterpart in sa-east-1: a paravirtual image can be copied only to a region with PV-GRUB.`,
    });
    expect(await counts()).toEqual(before);
  });
});

describe("a copy on the clock", () => {
  it("is pending until the copy delay has passed, and cannot itself be copied until then", async () => {
    await withClockedServer(async (clocked, advance) => {
      const ec2 = clocked.ec2({ region: "eu-west-1" });
      const source = await amazonIn(clocked.ec2({ region: "us-east-1" }), "amzn2-ami-hvm-2.0.20190313-x86_64-gp2");
      const { ImageId } = await ec2.send(new CopyImageCommand({ SourceRegion: "us-east-1", SourceImageId: source.ImageId, Name: "slow-copy" }));
      expect((await describeIn(ec2, ImageId!)).State).toBe("pending");
      await expect(ec2.send(new CopyImageCommand({ SourceRegion: "eu-west-1", SourceImageId: ImageId, Name: "copy-of-copy" }))).rejects.toMatchObject({
        name: "IncorrectState",
        message: `The image '${ImageId}' is pending; it must be available to be copied.`,
      });
      advance(60_000);
      expect((await describeIn(ec2, ImageId!)).State).toBe("available");
    });
  });
});
