// Images through the AWS CLI (botocore's serializer, its shorthand syntax and its parser): register, find by
// owner and filters, tag, share, copy between regions, deregister; and Terraform's `data "aws_ami"` lookup.
import { beforeAll, describe, expect, it } from "vitest";
import { aws as awsCli } from "../support/aws-cli.js";
import { createAccount } from "../support/fixtures.js";
import { testServer } from "../support/server.js";

const server = testServer();
let pvSnapshot: string;
beforeAll(async () => {
  const found = await aws("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=amzn-ami-pv-2013.09.2.x86_64-ebs");
  pvSnapshot = found.json.Images[0].BlockDeviceMappings[0].Ebs.SnapshotId;
});

const aws = (...args: string[]) => awsCli(server.url, args);
const register = (name: string) =>
  aws(
    "ec2",
    "register-image",
    "--name",
    name,
    "--architecture",
    "x86_64",
    "--root-device-name",
    "/dev/sda1",
    "--block-device-mappings",
    `DeviceName=/dev/sda1,Ebs={SnapshotId=${pvSnapshot}}`,
  );

describe("images with the AWS CLI", () => {
  it("registers, finds by owner and filters, tags and deregisters an image", async () => {
    const registered = await register("cli-golden");
    expect(registered.code, registered.stderr).toBe(0);
    const imageId: string = registered.json.ImageId;
    expect(imageId).toMatch(/^ami-[0-9a-f]{17}$/);

    expect((await aws("ec2", "create-tags", "--resources", imageId, "--tags", "Key=stage,Value=gold")).code).toBe(0);
    const found = await aws(
      "ec2",
      "describe-images",
      "--owners",
      "self",
      "--filters",
      "Name=tag:stage,Values=gold",
      "Name=virtualization-type,Values=paravirtual",
    );
    expect(found.json.Images).toMatchObject([{ ImageId: imageId, Name: "cli-golden", State: "available", Tags: [{ Key: "stage", Value: "gold" }] }]);
    const query = await aws("ec2", "describe-images", "--owners", "self", "--filters", "Name=name,Values=cli-*", "--query", "Images[].ImageId");
    expect(query.json).toEqual([imageId]);

    expect((await aws("ec2", "deregister-image", "--image-id", imageId)).code).toBe(0);
    // EC2 shows a deregistered image for a short while (test/api/images.test.ts: then NotFound).
    const gone = await aws("ec2", "describe-images", "--image-ids", imageId, "--query", "Images[].State");
    expect(gone.json).toEqual(["deregistered"]);
  });

  it("shares an image with the shorthand --launch-permission, and refuses a bad account id", async () => {
    const friend = await createAccount(server, "222233334444");
    const imageId: string = (await register("cli-shared")).json.ImageId;
    const shared = await aws("ec2", "modify-image-attribute", "--image-id", imageId, "--launch-permission", "Add=[{UserId=222233334444}]");
    expect(shared.code, shared.stderr).toBe(0);
    const permissions = await aws("ec2", "describe-image-attribute", "--image-id", imageId, "--attribute", "launchPermission");
    expect(permissions.json).toEqual({ ImageId: imageId, LaunchPermissions: [{ UserId: "222233334444" }] });
    const seen = await awsCli(server.url, ["ec2", "describe-images", "--executable-users", "self"], {
      AWS_ACCESS_KEY_ID: friend.accessKeyId,
      AWS_SECRET_ACCESS_KEY: friend.secretAccessKey,
    });
    expect(seen.json.Images.map((image: { ImageId: string }) => image.ImageId)).toEqual([imageId]);

    const bad = await aws("ec2", "modify-image-attribute", "--image-id", imageId, "--launch-permission", "Add=[{UserId=12345}]");
    expect([254, 255]).toContain(bad.code);
    expect(bad.stderr).toContain(
      'An error occurred (InvalidAMIAttributeItemValue) when calling the ModifyImageAttribute operation: Invalid attribute item value "12345" for userId item type.',
    );
    const after = await aws("ec2", "describe-image-attribute", "--image-id", imageId, "--attribute", "launchPermission");
    expect(after.json.LaunchPermissions).toEqual([{ UserId: "222233334444" }]);
  });

  it("copies an image to another region with copy-image", async () => {
    const imageId: string = (await register("cli-to-copy")).json.ImageId;
    const copied = await aws(
      "ec2",
      "copy-image",
      "--region",
      "eu-west-1",
      "--source-region",
      "us-east-1",
      "--source-image-id",
      imageId,
      "--name",
      "cli-copied",
      "--client-token",
      "cli-token",
    );
    expect(copied.code, copied.stderr).toBe(0);
    const found = await aws("ec2", "describe-images", "--region", "eu-west-1", "--image-ids", copied.json.ImageId);
    expect(found.json.Images).toMatchObject([{ Name: "cli-copied", SourceImageId: imageId, SourceImageRegion: "us-east-1", KernelId: "aki-dc9ed9af" }]);
  });
});

describe('Terraform\'s data "aws_ami" lookup: owners, a name filter, most_recent', () => {
  it("picks the image with the latest CreationDate among several of one name pattern made at different virtual times", async () => {
    const made: Record<string, string> = {};
    for (const version of ["1.0", "1.2", "1.1"]) {
      made[version] = (await register(`app-server-${version}`)).json.ImageId;
      // Each image is registered a day later on the server's virtual clock.
      expect((await aws("mini-ec2", "advance-clock", "--seconds", "86400")).code).toBe(0);
    }
    await register("other-app-9.9");
    // What the provider sends: DescribeImages with Owners and Filters; it then sorts by CreationDate itself.
    const found = await aws("ec2", "describe-images", "--owners", "self", "--filters", "Name=name,Values=app-server-*", "Name=state,Values=available");
    const images: Array<{ ImageId: string; CreationDate: string }> = found.json.Images;
    expect(images.map((image) => image.ImageId).sort()).toEqual(Object.values(made).sort());
    const mostRecent = [...images].sort((a, b) => Date.parse(b.CreationDate) - Date.parse(a.CreationDate))[0]!;
    expect(mostRecent.ImageId).toBe(made["1.1"]);
    expect(new Set(images.map((image) => image.CreationDate)).size).toBe(3);
  });
});
