// Image attributes and sharing through the SDK, with three accounts: the owner shares an image with one account
// or with everyone, the others see it (ExecutableBy, Owner) or stop seeing it, and only the owner changes it.
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  type EC2Client,
  ModifyImageAttributeCommand,
  type ModifyImageAttributeCommandInput,
  RegisterImageCommand,
  ResetImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.js";
import { testServer } from "../support/server.js";

const owner = "000000000000";
const friend = "222233334444";
const stranger = "555566667777";
const server = testServer();
let ec2: EC2Client;
let friends: EC2Client;
let strangers: EC2Client;
let pvSnapshot: string;
let hvmSnapshot: string;
let pvKernel: string;

beforeAll(async () => {
  ec2 = server.ec2();
  friends = server.ec2({ credentials: await createAccount(server, friend) });
  strangers = server.ec2({ credentials: await createAccount(server, stranger) });
  const amazon = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images!;
  const named = (name: string) => amazon.find((image) => image.Name === name)!;
  pvSnapshot = named("amzn-ami-pv-2013.09.2.x86_64-ebs").BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
  pvKernel = named("amzn-ami-pv-2013.09.2.x86_64-ebs").KernelId!;
  hvmSnapshot = named("amzn2-ami-hvm-2.0.20190313-x86_64-gp2").BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
});

async function registerPv(name: string): Promise<string> {
  const input = {
    Name: name,
    Architecture: "x86_64" as const,
    RootDeviceName: "/dev/sda1",
    BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: pvSnapshot } }],
  };
  return (await ec2.send(new RegisterImageCommand(input))).ImageId!;
}
async function registerHvm(name: string): Promise<string> {
  const input = {
    Name: name,
    Architecture: "x86_64" as const,
    VirtualizationType: "hvm",
    RootDeviceName: "/dev/xvda",
    BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: hvmSnapshot } }],
  };
  return (await ec2.send(new RegisterImageCommand(input))).ImageId!;
}
const modify = (imageId: string, input: Partial<ModifyImageAttributeCommandInput>, client = ec2) =>
  client.send(new ModifyImageAttributeCommand({ ImageId: imageId, ...input }));
const attribute = (imageId: string, name: string, client = ec2) =>
  client.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: name as never }));
const ids = async (client: EC2Client, input: DescribeImagesCommandInput) =>
  (await client.send(new DescribeImagesCommand(input))).Images!.map((image) => image.ImageId).sort();
/** Everything a rejected change must leave as it was. */
const stateOf = async (imageId: string) => ({
  image: await server.store.prisma.image.findUnique({ where: { imageId } }),
  permissions: await server.store.prisma.imageLaunchPermission.findMany({ where: { imageId }, orderBy: { accountId: "asc" } }),
});

describe("launch permissions", () => {
  it("shares a private image with one account, which then sees and may use it, until the owner removes it", async () => {
    const imageId = await registerPv("shared-with-friend");
    await expect(friends.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });

    await modify(imageId, { LaunchPermission: { Add: [{ UserId: friend }] } });
    expect(await attribute(imageId, "launchPermission")).toMatchObject({ ImageId: imageId, LaunchPermissions: [{ UserId: friend }] });
    expect(await ids(friends, { ExecutableUsers: ["self"], Filters: [{ Name: "name", Values: ["shared-with-friend"] }] })).toEqual([imageId]);
    expect(await ids(friends, { Owners: [owner] })).toEqual([imageId]);
    expect(await ids(strangers, { Owners: [owner] })).toEqual([]);
    const guest = await friends.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(guest.Images![0]).toMatchObject({ OwnerId: owner, Public: false });

    await modify(imageId, { LaunchPermission: { Remove: [{ UserId: friend }] } });
    expect((await attribute(imageId, "launchPermission")).LaunchPermissions).toEqual([]);
    await expect(friends.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
  });

  it("makes an image public with Group=all and private again, in the legacy OperationType form too", async () => {
    const imageId = await registerPv("public-for-a-while");
    await modify(imageId, { Attribute: "launchPermission", OperationType: "add", UserGroups: ["all"], UserIds: [friend] });
    expect((await attribute(imageId, "launchPermission")).LaunchPermissions).toEqual([{ Group: "all" }, { UserId: friend }]);
    expect((await strangers.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]).toMatchObject({ Public: true, OwnerId: owner });
    expect(await ids(strangers, { ExecutableUsers: ["all"], Owners: [owner] })).toEqual([imageId]);

    await modify(imageId, { Attribute: "launchPermission", OperationType: "remove", UserGroups: ["all"] });
    await expect(strangers.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
    expect(await ids(friends, { ImageIds: [imageId] })).toEqual([imageId]);
  });

  it("ResetImageAttribute makes a shared public image private to its owner; only the owner may, and a dry run keeps the sharing", async () => {
    const imageId = await registerHvm("reset-to-private");
    await modify(imageId, { LaunchPermission: { Add: [{ Group: "all" }, { UserId: friend }] } });
    const reset = (client: EC2Client, DryRun?: boolean) =>
      client.send(new ResetImageAttributeCommand({ ImageId: imageId, Attribute: "launchPermission", DryRun })).catch((e) => e);
    expect((await reset(friends)).name).toBe("AuthFailure");
    expect((await reset(ec2, true)).name).toBe("DryRunOperation");
    expect((await attribute(imageId, "launchPermission")).LaunchPermissions).toEqual([{ Group: "all" }, { UserId: friend }]);

    await reset(ec2);
    expect((await attribute(imageId, "launchPermission")).LaunchPermissions).toEqual([]);
    expect((await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!.Public).toBe(false);
    await expect(friends.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
  });
});

describe("DescribeImages ExecutableBy and Owner, across accounts", () => {
  it("scopes by explicit launch permission: self, all, an account id; and combines with Owner", async () => {
    const own = await registerPv("exec-own-private");
    const sharedToFriend = await registerPv("exec-shared-to-friend");
    const sharedToStranger = await registerPv("exec-shared-to-stranger");
    const everyone = await registerPv("exec-public");
    await modify(sharedToFriend, { LaunchPermission: { Add: [{ UserId: friend }] } });
    await modify(sharedToStranger, { LaunchPermission: { Add: [{ UserId: stranger }] } });
    await modify(everyone, { LaunchPermission: { Add: [{ Group: "all" }] } });
    const mine = { Filters: [{ Name: "name", Values: ["exec-*"] }] };

    // The owner: its own images are not "shared with" it; an account id selects what it shared with that account.
    expect(await ids(ec2, { ...mine, ExecutableUsers: ["self"] })).toEqual([]);
    expect(await ids(ec2, { ...mine, ExecutableUsers: [friend] })).toEqual([sharedToFriend]);
    expect(await ids(ec2, { ...mine, ExecutableUsers: [friend, stranger] })).toEqual([sharedToFriend, sharedToStranger].sort());
    expect(await ids(ec2, { ...mine, ExecutableUsers: ["all"] })).toEqual([everyone]);
    expect(await ids(ec2, { ...mine, Owners: ["self"] })).toEqual([own, sharedToFriend, sharedToStranger, everyone].sort());

    // The friend: self is what was shared with it; all is every public image, Amazon's included unless Owner narrows.
    expect(await ids(friends, { ...mine, ExecutableUsers: ["self"] })).toEqual([sharedToFriend]);
    expect(await ids(friends, { ...mine, ExecutableUsers: [friend] })).toEqual([sharedToFriend]);
    expect(await ids(friends, { ...mine, ExecutableUsers: ["self", "all"] })).toEqual([sharedToFriend, everyone].sort());
    expect(await ids(friends, { ExecutableUsers: ["all"], Owners: [owner] })).toEqual(expect.arrayContaining([everyone]));
    expect(await ids(friends, { ExecutableUsers: ["all"], Owners: ["amazon"] })).not.toContain(everyone);
    expect(await ids(friends, { ...mine, Owners: [owner, "self"] })).toEqual([sharedToFriend, everyone].sort());
    expect(await ids(friends, { ...mine, Owners: ["self"] })).toEqual([]);
    // The stranger does not see the friend's share.
    expect(await ids(strangers, { ...mine, ExecutableUsers: [friend] })).toEqual([]);

    await expect(ec2.send(new DescribeImagesCommand({ ExecutableUsers: ["everyone"] }))).rejects.toMatchObject({
      name: "InvalidUserID.Malformed",
      message: 'Invalid user id: "everyone". ExecutableBy takes self, all or a 12-digit account id.',
    });
  });
});

describe("description and SriovNetSupport", () => {
  it("changes the description in both forms, and shows it in DescribeImages", async () => {
    const imageId = await registerPv("described");
    await modify(imageId, { Description: { Value: "first" } });
    expect((await attribute(imageId, "description")).Description).toEqual({ Value: "first" });
    await modify(imageId, { Attribute: "description", Value: "second" });
    expect((await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!.Description).toBe("second");
  });

  it("sets SriovNetSupport to simple on an HVM image", async () => {
    const imageId = await registerHvm("sriov-later");
    expect((await attribute(imageId, "sriovNetSupport")).SriovNetSupport).toEqual({});
    await modify(imageId, { Attribute: "sriovNetSupport", Value: "simple" });
    expect((await attribute(imageId, "sriovNetSupport")).SriovNetSupport).toEqual({ Value: "simple" });
  });
});

describe("read-only attributes", () => {
  it("answers kernel, ramdisk, bootMode, productCodes and lastLaunchedTime in EC2's shapes", async () => {
    const pv = await registerPv("read-only-pv");
    expect((await attribute(pv, "kernel")).KernelId).toEqual({ Value: pvKernel });
    expect((await attribute(pv, "ramdisk")).RamdiskId).toEqual({});
    expect((await attribute(pv, "productCodes")).ProductCodes).toEqual([]);
    expect((await attribute(pv, "lastLaunchedTime")).LastLaunchedTime).toEqual({});
    const arm = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "architecture", Values: ["arm64"] }] }))).Images![0]!;
    expect(await attribute(arm.ImageId!, "bootMode")).toMatchObject({ ImageId: arm.ImageId, BootMode: { Value: "uefi" } });
    expect((await attribute(arm.ImageId!, "kernel")).KernelId).toEqual({});
  });

  it("refuses blockDeviceMapping (deprecated: EC2 answers AuthFailure) and another owner's launch permissions", async () => {
    const pv = await registerPv("read-only-refusals");
    await expect(attribute(pv, "blockDeviceMapping")).rejects.toMatchObject({
      name: "AuthFailure",
      message: expect.stringMatching(/^Unauthorized attempt to access restricted resource\. .*describe-images/),
      $metadata: { httpStatusCode: 400 },
    });
    await modify(pv, { LaunchPermission: { Add: [{ Group: "all" }] } });
    await expect(attribute(pv, "launchPermission", friends)).rejects.toMatchObject({ name: "AuthFailure", message: `Not authorized for image:${pv}` });
    expect((await attribute(pv, "description", friends)).ImageId).toBe(pv);
  });
});

describe("ModifyImageAttribute refuses", () => {
  let imageId: string;
  let pvForSriov: string;
  beforeAll(async () => {
    imageId = await registerHvm("refusals-target");
    await modify(imageId, { LaunchPermission: { Add: [{ UserId: friend }] } });
    pvForSriov = await registerPv("refusals-pv");
  });

  it.each<[string, () => Promise<unknown>, string, string | RegExp]>([
    [
      "an account id that is not 12 digits",
      () => modify(imageId, { LaunchPermission: { Add: [{ UserId: "12345" }] } }),
      "InvalidAMIAttributeItemValue",
      'Invalid attribute item value "12345" for userId item type.',
    ],
    [
      "a bad id among good ones, changing none",
      () => modify(imageId, { LaunchPermission: { Add: [{ UserId: stranger }, { UserId: "abc" }] } }),
      "InvalidAMIAttributeItemValue",
      'Invalid attribute item value "abc" for userId item type.',
    ],
    [
      "a legacy group other than all",
      () => modify(imageId, { Attribute: "launchPermission", OperationType: "add", UserGroups: ["everyone"] }),
      "InvalidAMIAttributeItemValue",
      'Invalid attribute item value "everyone" for group item type.',
    ],
    [
      "a change by an account the image is shared with",
      () => modify(imageId, { LaunchPermission: { Add: [{ Group: "all" }] } }, friends),
      "AuthFailure",
      /^Not authorized for image:ami-/,
    ],
    [
      "an image the caller cannot see",
      () => modify(imageId, { Description: { Value: "x" } }, strangers),
      "InvalidAMIID.NotFound",
      /^The image id '\[ami-[0-9a-f]{17}\]' does not exist$/,
    ],
    ["a malformed image id", () => modify("image-1", { Description: { Value: "x" } }), "InvalidAMIID.Malformed", 'Invalid id: "image-1" (expecting "ami-...")'],
    ["a request naming no attribute", () => modify(imageId, {}), "InvalidParameterCombination", "No attributes specified."],
    [
      "two attributes at once",
      () => modify(imageId, { Description: { Value: "x" }, LaunchPermission: { Add: [{ Group: "all" }] } }),
      "InvalidParameterCombination",
      "You can modify only one attribute at a time, not description and launchPermission.",
    ],
    [
      "an attribute that cannot be modified",
      () => modify(imageId, { Attribute: "kernel", Value: "aki-5c21674b" }),
      "InvalidParameterValue",
      /^Invalid value 'kernel' for Attribute\./,
    ],
    [
      "OperationType without accounts or groups",
      () => modify(imageId, { Attribute: "launchPermission", OperationType: "add" }),
      "MissingParameter",
      "The request must contain the parameter UserId.N or UserGroup.N",
    ],
    [
      "SriovNetSupport other than simple",
      () => modify(imageId, { Attribute: "sriovNetSupport", Value: "intel" }),
      "InvalidParameterValue",
      "Invalid value 'intel' for SriovNetSupport. The only value is 'simple'.",
    ],
    [
      "SriovNetSupport on a PV image",
      () => modify(pvForSriov, { Attribute: "sriovNetSupport", Value: "simple" }),
      "InvalidParameterCombination",
      /supported only for HVM AMIs/,
    ],
    [
      "a dry run (which changes nothing)",
      () => modify(imageId, { LaunchPermission: { Add: [{ Group: "all" }] }, DryRun: true }),
      "DryRunOperation",
      "Request would have succeeded, but DryRun flag is set.",
    ],
  ])("%s", async (_case, call, code, message) => {
    const before = [await stateOf(imageId), await stateOf(pvForSriov)];
    await expect(call()).rejects.toMatchObject({ name: code, message: typeof message === "string" ? message : expect.stringMatching(message) });
    expect([await stateOf(imageId), await stateOf(pvForSriov)]).toEqual(before);
  });

  it("lets nobody but the owner change Amazon's public images", async () => {
    const [amazonImage] = await ids(ec2, { Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn2-*"] }] });
    await expect(modify(amazonImage!, { LaunchPermission: { Remove: [{ Group: "all" }] } })).rejects.toMatchObject({
      name: "AuthFailure",
      message: `Not authorized for image:${amazonImage}`,
      $metadata: { httpStatusCode: 400 },
    });
    expect((await stateOf(amazonImage!)).image!.public).toBe(true);
  });
});
