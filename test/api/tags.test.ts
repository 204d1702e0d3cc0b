// CreateTags, DeleteTags and DescribeTags across resource types, with EC2's per-account view of tags.
import {
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeKeyPairsCommand,
  DescribeTagsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.js";
import { testServer } from "../support/server.js";

const server = testServer();
let publicImageId: string;
let other: { accessKeyId: string; secretAccessKey: string };
beforeAll(async () => {
  publicImageId = (await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn2-ami-hvm-*"] }] })))
    .Images![0]!.ImageId!;
  other = await createAccount(server, "333344445555");
});

describe("tags", () => {
  it("tags a key pair and a public image at once, overwriting a key's value, and lists them", async () => {
    const ec2 = server.ec2();
    const { KeyPairId } = await ec2.send(new CreateKeyPairCommand({ KeyName: "tagged", KeyType: "ed25519" }));
    await ec2.send(
      new CreateTagsCommand({
        Resources: [KeyPairId!, publicImageId],
        Tags: [
          { Key: "env", Value: "dev" },
          { Key: "owner", Value: "me" },
        ],
      }),
    );
    await ec2.send(new CreateTagsCommand({ Resources: [KeyPairId!], Tags: [{ Key: "env", Value: "prod" }] }));

    const { Tags } = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["env"] }] }));
    expect(Tags!.map((t) => [t.ResourceType, t.Value]).sort()).toEqual([
      ["image", "dev"],
      ["key-pair", "prod"],
    ]);
    expect((await ec2.send(new DescribeKeyPairsCommand({ KeyPairIds: [KeyPairId!] }))).KeyPairs![0]!.Tags).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "owner", Value: "me" },
    ]);
  });

  it("keeps one account's tags on a public image out of another's view", async () => {
    const theirs = server.ec2({ credentials: other });
    const image = (await theirs.send(new DescribeImagesCommand({ ImageIds: [publicImageId] }))).Images![0]!;
    expect(image.Tags).toEqual([]);
    expect((await theirs.send(new DescribeTagsCommand({}))).Tags).toEqual([]);
  });

  it("deletes by key, or only where the value matches", async () => {
    const ec2 = server.ec2();
    await ec2.send(new DeleteTagsCommand({ Resources: [publicImageId], Tags: [{ Key: "env", Value: "not-this" }] }));
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [publicImageId] }] }))).Tags).toHaveLength(2);
    await ec2.send(new DeleteTagsCommand({ Resources: [publicImageId], Tags: [{ Key: "env" }] }));
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [publicImageId] }] }))).Tags!.map((t) => t.Key)).toEqual([
      "owner",
    ]);
  });

  it("keeps AWS's own aws: tags: DeleteTags without keys deletes only the user's, and refuses an aws: key", async () => {
    const ec2 = server.ec2();
    const { LaunchTemplate } = await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: "tags-stay", LaunchTemplateData: { ImageId: publicImageId, InstanceType: "t3.micro" } }),
    );
    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        LaunchTemplate: { LaunchTemplateId: LaunchTemplate!.LaunchTemplateId },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
      }),
    );
    const instanceId = Instances![0]!.InstanceId!;
    const keys = async () =>
      (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [instanceId] }] }))).Tags!.map((t) => t.Key).sort();
    const refused = await ec2.send(new DeleteTagsCommand({ Resources: [instanceId], Tags: [{ Key: "aws:ec2launchtemplate:id" }] })).catch((e) => e);
    expect(refused).toMatchObject({ name: "InvalidParameterValue", message: "Tag keys starting with 'aws:' are reserved for internal use" });
    expect(await keys()).toEqual(["Name", "aws:ec2launchtemplate:id", "aws:ec2launchtemplate:version"]);
    await ec2.send(new DeleteTagsCommand({ Resources: [instanceId] }));
    expect(await keys()).toEqual(["aws:ec2launchtemplate:id", "aws:ec2launchtemplate:version"]);
  });

  it("refuses unknown ids, ids of no known kind, and more than 50 tags, changing nothing", async () => {
    const ec2 = server.ec2();
    await expect(
      ec2.send(new CreateTagsCommand({ Resources: [publicImageId, "ami-0123456789abcdef0"], Tags: [{ Key: "k", Value: "v" }] })),
    ).rejects.toMatchObject({ name: "InvalidAMIID.NotFound" });
    await expect(ec2.send(new CreateTagsCommand({ Resources: ["spam-12345678"], Tags: [{ Key: "k", Value: "v" }] }))).rejects.toMatchObject({
      name: "InvalidID",
    });
    // Networking resources are taggable now: an unknown VPC is that kind's NotFound.
    await expect(ec2.send(new CreateTagsCommand({ Resources: ["vpc-12345678"], Tags: [{ Key: "k", Value: "v" }] }))).rejects.toMatchObject({
      name: "InvalidVpcID.NotFound",
    });
    // A known prefix with a malformed rest is InvalidID too, as in EC2.
    for (const id of ["ami-blah", "i-xyz", "vol-12"]) {
      await expect(ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "k", Value: "v" }] }))).rejects.toMatchObject({
        name: "InvalidID",
        message: `The ID '${id}' is not valid`,
      });
    }
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await expect(ec2.send(new CreateTagsCommand({ Resources: [publicImageId], Tags: tooMany }))).rejects.toMatchObject({ name: "TagLimitExceeded" });
    expect((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [publicImageId] }] }))).Tags!.map((t) => t.Key)).toEqual([
      "owner",
    ]);
  });
});
