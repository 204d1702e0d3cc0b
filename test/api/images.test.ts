// Images through the SDK: the Amazon catalog, RegisterImage with EC2's defaults and rules, DescribeImages'
// owners, ids and filters, DeregisterImage, and what another account sees.
import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateVolumeCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  type Image,
  RegisterImageCommand,
  type RegisterImageCommandInput,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { refusedCopyImageMembers, refusedCopySnapshotMembers, refusedCreateVolumeMembers, refusedRegisterImageMembers } from "../../src/api/refused-members.js";
import { ec2ServiceModel, shapeOf } from "../../src/protocol/service-model.js";
import { createAccount } from "../support/fixtures.js";
import { sample } from "../support/model-samples.js";
import { testServer, withClockedServer } from "../support/server.js";

const server = testServer();
let amazon: Image[];
let stranger: { accessKeyId: string; secretAccessKey: string };
const byName = (name: string) => amazon.find((image) => image.Name === name)!;
const rootSnapshot = (image: Image) => image.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;

beforeAll(async () => {
  amazon = (await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images!;
  stranger = await createAccount(server, "222233334444");
});

const register = (input: Partial<RegisterImageCommandInput>, credentials?: typeof stranger) =>
  server.ec2(credentials ? { credentials } : {}).send(new RegisterImageCommand({ Name: `img-${Math.random().toString(36).slice(2)}`, ...input }));
const describeOne = async (imageId: string) => (await server.ec2().send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!;

describe("the Amazon catalog", () => {
  it("has the PV-GRUB kernels, with the User Guide's ids where it lists them", () => {
    expect(byName("pv-grub-hd0_1.05-x86_64.gz")).toMatchObject({
      ImageId: "aki-5c21674b",
      ImageType: "kernel",
      VirtualizationType: "paravirtual",
      Architecture: "x86_64",
      ImageOwnerAlias: "amazon",
      Public: true,
    });
    expect(byName("pv-grub-hd0_1.05-i386.gz").ImageId).toBe("aki-04206613");
    expect(byName("pv-grub-hd00_1.05-x86_64.gz").ImageId).toMatch(/^aki-[0-9a-f]{17}$/);
  });

  it("spans the eras: PV with PV-GRUB, HVM with and without ENA, arm64 UEFI, Windows", () => {
    expect(byName("amzn-ami-pv-2013.09.2.x86_64-ebs")).toMatchObject({
      VirtualizationType: "paravirtual",
      KernelId: "aki-5c21674b",
      RootDeviceName: "/dev/sda1",
      EnaSupport: false,
    });
    expect(byName("amzn2-ami-hvm-2.0.20190313-x86_64-gp2")).toMatchObject({
      VirtualizationType: "hvm",
      EnaSupport: true,
      SriovNetSupport: "simple",
      RootDeviceName: "/dev/xvda",
    });
    expect(byName("amzn-ami-hvm-2016.03.0.x86_64-gp2").EnaSupport).toBe(false);
    expect(byName("al2023-ami-2023.6.20241212.0-kernel-6.1-arm64")).toMatchObject({ Architecture: "arm64", BootMode: "uefi" });
    expect(byName("Windows_Server-2019-English-Full-Base-2024.12.13")).toMatchObject({ Platform: "windows", PlatformDetails: "Windows" });
  });

  it("answers a Terraform-style lookup: owner amazon, a name pattern, the newest", async () => {
    const { Images } = await server.ec2().send(
      new DescribeImagesCommand({
        Owners: ["amazon"],
        Filters: [
          { Name: "name", Values: ["al2023-ami-2023.*-x86_64"] },
          { Name: "state", Values: ["available"] },
        ],
      }),
    );
    const newest = [...Images!].sort((a, b) => b.CreationDate!.localeCompare(a.CreationDate!))[0]!;
    expect(newest.Name).toBe("al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64");
  });

  it("filters by virtualization type, image type and ENA", async () => {
    const { Images } = await server.ec2().send(
      new DescribeImagesCommand({
        Filters: [
          { Name: "virtualization-type", Values: ["paravirtual"] },
          { Name: "image-type", Values: ["machine"] },
        ],
      }),
    );
    expect(Images!.map((i) => i.Name).sort()).toEqual([
      "amzn-ami-pv-2013.09.2.i386-ebs",
      "amzn-ami-pv-2013.09.2.x86_64-ebs",
      "amzn-ami-pv-2018.03.0.20190611-x86_64-ebs",
      "centos-5.11-x86_64-pv-ebs",
      "rhel-6.5-x86_64-pv-lvm-ebs",
      "ubuntu/images/ebs/ubuntu-trusty-14.04-amd64-server-20160114.5",
    ]);
    const noEna = await server.ec2().send(
      new DescribeImagesCommand({
        Owners: ["amazon"],
        Filters: [
          { Name: "ena-support", Values: ["false"] },
          { Name: "virtualization-type", Values: ["hvm"] },
        ],
      }),
    );
    expect(noEna.Images!.map((i) => i.Name).sort()).toEqual([
      "Windows_Server-2008-SP2-English-64Bit-Base-2016.06.15",
      "Windows_Server-2012-R2_RTM-English-64Bit-Base-2016.06.15",
      "amzn-ami-hvm-2016.03.0.x86_64-gp2",
    ]);
  });
});

describe("RegisterImage", () => {
  it("applies EC2's defaults: paravirtual, i386, and the region's PV-GRUB for the disk (hd0 unpartitioned)", async () => {
    const { ImageId } = await register({
      RootDeviceName: "/dev/sda1",
      BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: rootSnapshot(byName("amzn-ami-pv-2013.09.2.i386-ebs")) } }],
    });
    expect(await describeOne(ImageId!)).toMatchObject({
      VirtualizationType: "paravirtual",
      Architecture: "i386",
      KernelId: "aki-04206613",
      State: "available",
      OwnerId: "000000000000",
      Public: false,
      BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { VolumeSize: 8, DeleteOnTermination: true, VolumeType: "gp2" } }],
    });
  });

  it("picks the hd00 PV-GRUB for a partitioned disk", async () => {
    const ubuntu = byName("ubuntu/images/ebs/ubuntu-trusty-14.04-amd64-server-20160114.5");
    const { ImageId } = await register({
      Architecture: "x86_64",
      RootDeviceName: "/dev/sda1",
      BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: rootSnapshot(ubuntu) } }],
    });
    expect((await describeOne(ImageId!)).KernelId).toBe(byName("pv-grub-hd00_1.05-x86_64.gz").ImageId);
  });

  it("registers an HVM image with ENA and tags, findable by tag", async () => {
    const al2 = byName("amzn2-ami-hvm-2.0.20190313-x86_64-gp2");
    const { ImageId } = await register({
      Name: "golden-al2",
      Architecture: "x86_64",
      VirtualizationType: "hvm",
      EnaSupport: true,
      SriovNetSupport: "simple",
      RootDeviceName: "/dev/xvda",
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: rootSnapshot(al2), VolumeSize: 20 } }],
      TagSpecifications: [{ ResourceType: "image", Tags: [{ Key: "team", Value: "platform" }] }],
    });
    const { Images } = await server.ec2().send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "tag:team", Values: ["plat*"] }] }));
    expect(Images).toMatchObject([{ ImageId, Name: "golden-al2", EnaSupport: true, SriovNetSupport: "simple", Tags: [{ Key: "team", Value: "platform" }] }]);
    expect(Images![0]).not.toHaveProperty("KernelId");
    expect(Images![0]!.BlockDeviceMappings![0]!.Ebs!.VolumeSize).toBe(20);
  });

  const pvSnapshot = () => rootSnapshot(byName("amzn-ami-pv-2013.09.2.x86_64-ebs"));
  it.each([
    [
      "a name already used",
      () =>
        register({ Name: "golden-al2", RootDeviceName: "/dev/sda1", BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot() } }] }),
      "InvalidAMIName.Duplicate",
      /^AMI name golden-al2 is already in use by AMI ami-[0-9a-f]{17}$/,
    ],
    ["a malformed name", () => register({ Name: "x", RootDeviceName: "/dev/sda1" }), "InvalidAMIName.Malformed", /between 3 and 128 characters/],
    [
      "ENA on a PV image",
      () =>
        register({
          EnaSupport: true,
          Architecture: "x86_64",
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot() } }],
        }),
      "InvalidParameterCombination",
      /supported only for HVM AMIs/,
    ],
    [
      "a kernel on an HVM image",
      () => register({ VirtualizationType: "hvm", KernelId: "aki-5c21674b", Architecture: "x86_64", RootDeviceName: "/dev/xvda" }),
      "InvalidParameterCombination",
      /applies only to paravirtual images/,
    ],
    [
      "a PV-GRUB of the other architecture",
      () =>
        register({
          Architecture: "x86_64",
          KernelId: "aki-04206613",
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot() } }],
        }),
      "InvalidParameterCombination",
      /64-bit PV-GRUB cannot start a 32-bit kernel/,
    ],
    [
      "a machine image as the kernel",
      () =>
        register({
          Architecture: "x86_64",
          KernelId: byName("amzn2-ami-hvm-2.0.20190313-x86_64-gp2").ImageId,
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot() } }],
        }),
      "InvalidParameterValue",
      /is not a PV-GRUB kernel image/,
    ],
    [
      "a ramdisk that does not exist",
      () =>
        register({
          Architecture: "x86_64",
          RamdiskId: "ari-0123456789abcdef0",
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot() } }],
        }),
      "InvalidAMIID.NotFound",
      /^The image id '\[ari-0123456789abcdef0\]' does not exist$/,
    ],
    [
      "a malformed ramdisk id",
      () =>
        register({
          Architecture: "x86_64",
          RamdiskId: "ari-xyz",
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot() } }],
        }),
      "InvalidRamDiskId.Malformed",
      /RAM disk ID 'ari-xyz' is not valid/,
    ],
    [
      "an HVM root device name on a PV image",
      () =>
        register({
          Architecture: "x86_64",
          RootDeviceName: "/dev/xvda",
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: pvSnapshot() } }],
        }),
      "InvalidParameterValue",
      /not valid for a paravirtual image\. Use \/dev\/sda1 or \/dev\/sda/,
    ],
    [
      "a root device with no snapshot",
      () => register({ RootDeviceName: "/dev/sda1", BlockDeviceMappings: [{ DeviceName: "/dev/sdb", Ebs: { VolumeSize: 8 } }] }),
      "InvalidBlockDeviceMapping",
      /must be mapped to an EBS snapshot/,
    ],
    [
      "a snapshot that does not exist",
      () => register({ RootDeviceName: "/dev/sda1", BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: "snap-0123456789abcdef0" } }] }),
      "InvalidSnapshot.NotFound",
      /^The snapshot 'snap-0123456789abcdef0' does not exist\.$/,
    ],
    [
      "a volume smaller than its snapshot",
      () =>
        register({
          Architecture: "x86_64",
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot(), VolumeSize: 4 } }],
        }),
      "InvalidBlockDeviceMapping",
      /Volume of size 4GB is smaller than snapshot 'snap-[0-9a-f]+', expect size >= 8GB/,
    ],
    ["an instance-store manifest", () => register({ ImageLocation: "my-bucket/image.manifest.xml" }), "Unsupported", /EBS-backed/],
  ])("refuses %s", async (_case, call, code, message) => {
    const before = await server.store.prisma.image.count();
    await expect(call()).rejects.toMatchObject({ name: code, message: expect.stringMatching(message) });
    expect(await server.store.prisma.image.count()).toBe(before);
  });
});

describe("DescribeImages and DeregisterImage", () => {
  it("names unknown and malformed ids as EC2 does, brackets included", async () => {
    await expect(server.ec2().send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] }))).rejects.toMatchObject({
      name: "InvalidAMIID.NotFound",
      message: "The image id '[ami-0123456789abcdef0]' does not exist",
    });
    await expect(server.ec2().send(new DescribeImagesCommand({ ImageIds: ["my-image"] }))).rejects.toMatchObject({
      name: "InvalidAMIID.Malformed",
      message: 'Invalid id: "my-image" (expecting "ami-...")',
    });
    await expect(server.ec2().send(new DescribeImagesCommand({ Owners: ["someone"] }))).rejects.toMatchObject({ name: "InvalidUserID.Malformed" });
  });

  it("keeps a private image and its snapshot from another account", async () => {
    const { ImageId } = await register({
      Name: "private-one",
      Architecture: "x86_64",
      RootDeviceName: "/dev/sda1",
      BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: rootSnapshot(byName("amzn-ami-pv-2013.09.2.x86_64-ebs")) } }],
    });
    const theirs = server.ec2({ credentials: stranger });
    await expect(theirs.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
    expect((await theirs.send(new DescribeImagesCommand({ Owners: ["000000000000"] }))).Images).toEqual([]);
    await expect(theirs.send(new DeregisterImageCommand({ ImageId }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
    // The other account may use the same name: names are unique per account.
    await register(
      {
        Name: "private-one",
        Architecture: "x86_64",
        RootDeviceName: "/dev/sda1",
        BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: rootSnapshot(byName("amzn-ami-pv-2013.09.2.x86_64-ebs")) } }],
      },
      stranger,
    );
  });

  it("deregisters the caller's own image only", async () => {
    const { ImageId } = await register({
      Name: "short-lived",
      Architecture: "x86_64",
      RootDeviceName: "/dev/sda1",
      BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: rootSnapshot(byName("amzn-ami-pv-2013.09.2.x86_64-ebs")) } }],
    });
    expect(await server.ec2().send(new DeregisterImageCommand({ ImageId }))).toMatchObject({ Return: true });
    const amazonImageId = byName("amzn2-ami-hvm-2.0.20190313-x86_64-gp2").ImageId!;
    await expect(server.ec2().send(new DeregisterImageCommand({ ImageId: amazonImageId }))).rejects.toMatchObject({
      name: "AuthFailure",
      message: `Not authorized for image:${amazonImageId}`,
      $metadata: { httpStatusCode: 400 },
    });
    expect((await describeOne(amazonImageId)).State).toBe("available");
  });
});

describe("DeregisterImage DeleteAssociatedSnapshots", () => {
  it("deletes the caller's snapshots no other image uses, and reports each as EC2 does", async () => {
    const ec2 = server.ec2();
    const amazonSnapshot = rootSnapshot(byName("amzn-ami-pv-2013.09.2.x86_64-ebs"));
    const copy = async () => (await ec2.send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: amazonSnapshot }))).SnapshotId!;
    const [root, shared] = [await copy(), await copy()];
    const pv = (mappings: Array<[string, string]>) =>
      register({
        Architecture: "x86_64",
        RootDeviceName: "/dev/sda1",
        BlockDeviceMappings: mappings.map(([DeviceName, SnapshotId]) => ({ DeviceName, Ebs: { SnapshotId } })),
      });
    const { ImageId } = await pv([
      ["/dev/sda1", root],
      ["/dev/sdf", shared],
    ]);
    await pv([["/dev/sda1", shared]]);

    const dryRun = await ec2.send(new DeregisterImageCommand({ ImageId, DeleteAssociatedSnapshots: true, DryRun: true })).catch((e) => e);
    expect(dryRun.name).toBe("DryRunOperation");
    const result = await ec2.send(new DeregisterImageCommand({ ImageId, DeleteAssociatedSnapshots: true }));
    expect(result.DeleteSnapshotResults).toEqual([
      { SnapshotId: root, ReturnCode: "success" },
      { SnapshotId: shared, ReturnCode: "skipped" },
    ]);
    await expect(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [root] }))).rejects.toMatchObject({ name: "InvalidSnapshot.NotFound" });
    expect((await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [shared] }))).Snapshots).toHaveLength(1);

    // Amazon's snapshot is not the caller's to delete.
    const onAmazons = (await pv([["/dev/sda1", amazonSnapshot]])).ImageId;
    const theirs = await ec2.send(new DeregisterImageCommand({ ImageId: onAmazons, DeleteAssociatedSnapshots: true }));
    expect(theirs.DeleteSnapshotResults).toEqual([{ SnapshotId: amazonSnapshot, ReturnCode: "missing-permissions" }]);
    expect((await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [amazonSnapshot] }))).Snapshots).toHaveLength(1);
  });
});

describe("members mini-ec2 does not model", () => {
  it("refuses each by name in RegisterImage, CopyImage, CreateVolume and CopySnapshot, rather than dropping it", async () => {
    const model = ec2ServiceModel();
    const source = byName("amzn-ami-pv-2013.09.2.x86_64-ebs");
    const requests: Array<[string, Readonly<Record<string, string>>, (extra: object) => Promise<unknown>]> = [
      ["RegisterImage", refusedRegisterImageMembers, (extra) => register({ RootDeviceName: "/dev/sda1", ...extra })],
      [
        "CopyImage",
        refusedCopyImageMembers,
        (extra) => server.ec2().send(new CopyImageCommand({ Name: "refused-copy", SourceImageId: source.ImageId, SourceRegion: "us-east-1", ...extra })),
      ],
      [
        "CreateVolume",
        refusedCreateVolumeMembers,
        (extra) => server.ec2().send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1, ...extra })),
      ],
      [
        "CopySnapshot",
        refusedCopySnapshotMembers,
        (extra) => server.ec2().send(new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: rootSnapshot(source), ...extra })),
      ],
    ];
    for (const [operation, refused, send] of requests) {
      const input = shapeOf(model, model.operations[operation]!.input!);
      for (const name of Object.keys(refused)) {
        const error = (await send({ [name]: sample(model, input.members![name]!) }).catch((e) => e)) as Error;
        expect(error.name, `${operation} ${name}`).toBe("Unsupported");
        expect(error.message).toContain(`The parameter ${name} of ${operation}`);
      }
    }
  });
});

describe("image state on the clock", () => {
  it("is pending until the registration delay has passed, then available", async () => {
    await withClockedServer(async (clocked, advance) => {
      const ec2 = clocked.ec2();
      const pv = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn-ami-pv-2013.09.2.x86_64-ebs"] }] })))
        .Images![0]!;
      const { ImageId } = await ec2.send(
        new RegisterImageCommand({
          Name: "slow",
          Architecture: "x86_64",
          RootDeviceName: "/dev/sda1",
          BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: rootSnapshot(pv) } }],
        }),
      );
      const state = async () => (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.State;
      expect(await state()).toBe("pending");
      advance(60_000);
      expect(await state()).toBe("available");
    });
  });

  it("shows a deregistered image, state deregistered, for ten minutes, then answers NotFound", async () => {
    await withClockedServer(async (clocked, advance) => {
      const ec2 = clocked.ec2();
      const pv = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn-ami-pv-2013.09.2.x86_64-ebs"] }] })))
        .Images![0]!;
      const register = () =>
        ec2.send(
          new RegisterImageCommand({
            Name: "again",
            Architecture: "x86_64",
            RootDeviceName: "/dev/sda1",
            BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: rootSnapshot(pv) } }],
          }),
        );
      const { ImageId } = await register();
      await ec2.send(new DeregisterImageCommand({ ImageId }));
      const [shown] = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images!;
      expect(shown).toMatchObject({ ImageId, State: "deregistered", Name: "again" });
      const self = await ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "state", Values: ["deregistered"] }] }));
      expect(self.Images!.map((image) => image.ImageId)).toEqual([ImageId]);
      // The name is free at once, as in EC2, and launching the old id fails.
      expect((await register()).ImageId).not.toBe(ImageId);
      advance(10 * 60_000);
      await expect(ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
    });
  });
});
