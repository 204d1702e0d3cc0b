// Launch templates through the SDK: versions, $Latest/$Default, per-version deletes, EC2's errors, members mini-ec2
// cannot honour refused by name, and RunInstances and ExplainLaunch from a template (the rules judge the merge).
import {
  CreateSecurityGroupCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeVolumesCommand,
  GetLaunchTemplateDataCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { honouredRunInstancesMembers } from "../../src/api/run-instances-members.js";
import { ec2ServiceModel, shapeOf } from "../../src/protocol/service-model.js";
import { aws } from "../support/aws-cli.js";
import { extension } from "../support/extensions.js";
import { createStranger } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";
import { sample } from "../support/model-samples.js";

const fixture = serverWithAmazonImages();
const { server } = fixture;
const ec2 = () => server.ec2();
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call succeeded"),
    (error: Error & { $metadata?: unknown }) => error,
  );

let counter = 0;
const uniqueName = (base: string) => `${base}-${++counter}`;

async function createTemplate(data: Record<string, unknown>, name = uniqueName("lt")) {
  const { LaunchTemplate } = await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: data }));
  return LaunchTemplate!;
}

describe("CreateLaunchTemplate and DescribeLaunchTemplates", () => {
  it("creates version 1 as the default, tagged, and finds it by id, name, filter and tag", async () => {
    const { LaunchTemplate } = await ec2().send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "web-(prod)/v1.0_a",
        VersionDescription: "first",
        LaunchTemplateData: { ImageId: fixture.images.al2Ena, InstanceType: "m5.large" },
        TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "team", Value: "web" }] }],
      }),
    );
    expect(LaunchTemplate).toMatchObject({
      LaunchTemplateName: "web-(prod)/v1.0_a",
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      CreatedBy: "arn:aws:iam::000000000000:root",
    });
    expect(LaunchTemplate!.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
    const id = LaunchTemplate!.LaunchTemplateId!;

    const byId = await ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }));
    expect(byId.LaunchTemplates!.map((t) => t.LaunchTemplateName)).toEqual(["web-(prod)/v1.0_a"]);
    expect(byId.LaunchTemplates![0]!.Tags).toEqual([{ Key: "team", Value: "web" }]);
    const byName = await ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["web-(prod)/v1.0_a"] }));
    expect(byName.LaunchTemplates![0]!.LaunchTemplateId).toBe(id);
    const byFilter = await ec2().send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "launch-template-name", Values: ["web-*"] }] }));
    expect(byFilter.LaunchTemplates!.map((t) => t.LaunchTemplateId)).toEqual([id]);
    const byTag = await ec2().send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "tag:team", Values: ["web"] }] }));
    expect(byTag.LaunchTemplates!.map((t) => t.LaunchTemplateId)).toEqual([id]);

    // CreateTags finds a template by its lt- prefix.
    await ec2().send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "tier", Value: "1" }] }));
    const tagged = await ec2().send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "tag:tier", Values: ["1"] }] }));
    expect(tagged.LaunchTemplates!.map((t) => t.LaunchTemplateId)).toEqual([id]);
  });

  it("refuses a taken name, a malformed name, and unknown or malformed ids, with EC2's codes", async () => {
    const name = uniqueName("taken");
    await createTemplate({ ImageId: fixture.images.al2Ena }, name);
    const duplicate = await failure(createTemplate({ ImageId: fixture.images.al2Ena }, name));
    expect(duplicate.name).toBe("InvalidLaunchTemplateName.AlreadyExistsException");
    expect(duplicate.message).toBe("Launch template name already in use.");
    expect((await failure(createTemplate({ InstanceType: "m5.large" }, "a b"))).name).toBe("InvalidLaunchTemplateName.MalformedException");

    const unknownId = await failure(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-0123456789abcdef0"] })));
    expect(unknownId.name).toBe("InvalidLaunchTemplateId.NotFound");
    expect(unknownId.message).toBe("The specified launch template, with template ID lt-0123456789abcdef0, does not exist.");
    const unknownName = await failure(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["nope-nope"] })));
    expect(unknownName.name).toBe("InvalidLaunchTemplateName.NotFoundException");
    expect((await failure(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-zz"] })))).name).toBe("InvalidLaunchTemplateId.Malformed");
  });

  it("pages with MaxResults 1 to 200", async () => {
    await createTemplate({ ImageId: fixture.images.al2Ena });
    await createTemplate({ ImageId: fixture.images.al2Ena });
    const first = await ec2().send(new DescribeLaunchTemplatesCommand({ MaxResults: 1 }));
    expect(first.LaunchTemplates).toHaveLength(1);
    const second = await ec2().send(new DescribeLaunchTemplatesCommand({ MaxResults: 1, NextToken: first.NextToken! }));
    expect(second.LaunchTemplates![0]!.LaunchTemplateId! > first.LaunchTemplates![0]!.LaunchTemplateId!).toBe(true);
    expect((await failure(ec2().send(new DescribeLaunchTemplatesCommand({ MaxResults: 201 })))).name).toBe("InvalidParameterValue");
  });

  it("refuses template data that RunInstances does not honour, naming the member, and stores nothing", async () => {
    // RunInstances refuses CapacityReservationSpecification (no Capacity Reservations here), so a template cannot keep it either.
    const name = uniqueName("reservation");
    const refused = await failure(
      createTemplate({ ImageId: fixture.images.al2Ena, CapacityReservationSpecification: { CapacityReservationPreference: "open" } }, name),
    );
    expect(refused.name).toBe("Unsupported");
    expect(refused.message).toContain("LaunchTemplateData.CapacityReservationSpecification");
    expect((await failure(ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] })))).name).toBe(
      "InvalidLaunchTemplateName.NotFoundException",
    );
    const nested = await failure(createTemplate({ Placement: { AvailabilityZoneId: "use1-az1" } }));
    expect(nested.message).toContain("LaunchTemplateData.Placement.AvailabilityZoneId");
    const sev = await failure(createTemplate({ CpuOptions: { CoreCount: 1, AmdSevSnp: "enabled" } }));
    expect(sev.message).toContain("LaunchTemplateData.CpuOptions.AmdSevSnp");
    // Interfaces are modelled, their IPv6 addresses are not.
    const ipv6 = await failure(createTemplate({ NetworkInterfaces: [{ DeviceIndex: 0, Ipv6AddressCount: 1 }] }));
    expect(ipv6.message).toContain("LaunchTemplateData.NetworkInterface.Ipv6AddressCount");
  });

  it("keeps security groups and interfaces, shows them back, and launches into them unless the request names its own", async () => {
    const { GroupId } = await ec2().send(new CreateSecurityGroupCommand({ GroupName: uniqueName("lt-web"), Description: "from a template" }));
    const template = await createTemplate({ ImageId: fixture.images.al2Ena, InstanceType: "m5.large", SecurityGroupIds: [GroupId!] });
    const { LaunchTemplateVersions } = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId! }));
    expect(LaunchTemplateVersions![0]!.LaunchTemplateData!.SecurityGroupIds).toEqual([GroupId]);
    const launch = async (extra: Record<string, unknown> = {}) =>
      (await ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! }, ...extra })))
        .Instances![0]!;
    expect((await launch()).SecurityGroups!.map((g) => g.GroupId)).toEqual([GroupId]);
    expect((await launch({ SecurityGroups: ["default"] })).SecurityGroups!.map((g) => g.GroupName)).toEqual(["default"]);
  });

  it("accepts each member of template data whose RunInstances member is honoured, and refuses every other by name", async () => {
    const model = ec2ServiceModel();
    const data = shapeOf(model, model.operations.CreateLaunchTemplate!.input!).members!.LaunchTemplateData!;
    const members = shapeOf(model, data).members!;
    // Template data spells two members differently from RunInstances.
    const runInstancesName = (member: string) => ({ RamDiskId: "RamdiskId", ElasticGpuSpecifications: "ElasticGpuSpecification" })[member] ?? member;
    const honoured = new Set<string>(honouredRunInstancesMembers);
    for (const [member, ref] of Object.entries(members)) {
      // Members with closed values get a valid one (the model types CpuCredits as a plain string).
      const valid: Record<string, unknown> = {
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "k", Value: "v" }] }],
        CreditSpecification: { CpuCredits: "standard" },
        NetworkInterfaces: [{ DeviceIndex: 0, DeleteOnTermination: true, Description: "primary" }],
      };
      const value = valid[member] ?? sample(model, ref);
      const created = createTemplate({ [member]: value });
      if (honoured.has(runInstancesName(member))) {
        expect((await created).LaunchTemplateId, member).toMatch(/^lt-/);
      } else {
        const refused = await failure(created);
        expect(refused.name, member).toBe("Unsupported");
        expect(refused.message, member).toContain(`LaunchTemplateData.${member}`);
      }
    }
  });

  it("keeps another account's templates out of sight", async () => {
    const template = await createTemplate({ ImageId: fixture.images.al2Ena });
    const stranger = server.ec2({ credentials: await createStranger(server) });
    const error = await failure(stranger.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [template.LaunchTemplateId!] })));
    expect(error.name).toBe("InvalidLaunchTemplateId.NotFound");
    const run = await failure(
      stranger.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! } })),
    );
    expect(run.name).toBe("InvalidLaunchTemplateId.NotFound");
  });
});

describe("versions", () => {
  it("adds versions from a source, resolves $Latest and $Default, ranges and filters, and moves the default", async () => {
    const template = await createTemplate({ ImageId: fixture.images.al2Ena, InstanceType: "m5.large", KeyName: "none" });
    const ref = { LaunchTemplateId: template.LaunchTemplateId! };
    const v2 = await ec2().send(
      new CreateLaunchTemplateVersionCommand({ ...ref, SourceVersion: "1", VersionDescription: "bigger", LaunchTemplateData: { InstanceType: "m5.xlarge" } }),
    );
    expect(v2.LaunchTemplateVersion).toMatchObject({ VersionNumber: 2, DefaultVersion: false, VersionDescription: "bigger" });
    expect(v2.LaunchTemplateVersion!.LaunchTemplateData).toMatchObject({ ImageId: fixture.images.al2Ena, InstanceType: "m5.xlarge", KeyName: "none" });
    const v3 = await ec2().send(
      new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: template.LaunchTemplateName!, LaunchTemplateData: { InstanceType: "c5.large" } }),
    );
    // Without SourceVersion a version holds only what it is given.
    expect(v3.LaunchTemplateVersion!.LaunchTemplateData).toEqual({ InstanceType: "c5.large" });

    const numbers = async (input: Record<string, unknown>) =>
      (await ec2().send(new DescribeLaunchTemplateVersionsCommand({ ...ref, ...input }))).LaunchTemplateVersions!.map((v) => v.VersionNumber);
    expect(await numbers({})).toEqual([1, 2, 3]);
    expect(await numbers({ Versions: ["$Latest", "$Default"] })).toEqual([1, 3]);
    expect(await numbers({ MinVersion: "2", MaxVersion: "3" })).toEqual([2, 3]);
    expect(await numbers({ Filters: [{ Name: "instance-type", Values: ["m5.*"] }] })).toEqual([1, 2]);
    expect(await numbers({ Filters: [{ Name: "is-default-version", Values: ["true"] }] })).toEqual([1]);
    const missing = await failure(ec2().send(new DescribeLaunchTemplateVersionsCommand({ ...ref, Versions: ["9"] })));
    expect(missing.name).toBe("InvalidLaunchTemplateId.VersionNotFound");
    expect(missing.message).toBe(`Could not find the specified version 9 for the launch template with ID ${ref.LaunchTemplateId}.`);

    const modified = await ec2().send(new ModifyLaunchTemplateCommand({ ...ref, DefaultVersion: "2" }));
    expect(modified.LaunchTemplate).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 3 });
    expect(await numbers({ Versions: ["$Default"] })).toEqual([2]);
    // Without a template, the $Default (or $Latest) version of every template of the account.
    const everyDefault = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ Versions: ["$Default"] }));
    expect(everyDefault.LaunchTemplateVersions!.find((v) => v.LaunchTemplateId === ref.LaunchTemplateId)?.VersionNumber).toBe(2);
    expect(everyDefault.LaunchTemplateVersions!.every((v) => v.DefaultVersion)).toBe(true);
    expect((await failure(ec2().send(new ModifyLaunchTemplateCommand({ ...ref, DefaultVersion: "7" })))).name).toBe("InvalidLaunchTemplateId.VersionNotFound");
  });

  it("deletes versions one by one, never the default, and never reuses a number", async () => {
    const template = await createTemplate({ ImageId: fixture.images.al2Ena });
    const ref = { LaunchTemplateId: template.LaunchTemplateId! };
    for (const type of ["m5.large", "m5.xlarge"] as const)
      await ec2().send(new CreateLaunchTemplateVersionCommand({ ...ref, LaunchTemplateData: { InstanceType: type } }));
    const result = await ec2().send(new DeleteLaunchTemplateVersionsCommand({ ...ref, Versions: ["1", "3", "8"] }));
    expect(result.SuccessfullyDeletedLaunchTemplateVersions).toEqual([{ ...ref, LaunchTemplateName: template.LaunchTemplateName, VersionNumber: 3 }]);
    const failed = result.UnsuccessfullyDeletedLaunchTemplateVersions!;
    expect(failed.map((f) => [f.VersionNumber, f.ResponseError!.Code])).toEqual([
      [1, "unexpectedError"],
      [8, "launchTemplateVersionDoesNotExist"],
    ]);
    expect(failed[0]!.ResponseError!.Message).toContain("default version");
    const next = await ec2().send(new CreateLaunchTemplateVersionCommand({ ...ref, LaunchTemplateData: { InstanceType: "m5.2xlarge" } }));
    expect(next.LaunchTemplateVersion!.VersionNumber).toBe(4);

    const deleted = await ec2().send(new DeleteLaunchTemplateCommand(ref));
    expect(deleted.LaunchTemplate!.LaunchTemplateId).toBe(ref.LaunchTemplateId);
    expect((await failure(ec2().send(new DescribeLaunchTemplateVersionsCommand(ref)))).name).toBe("InvalidLaunchTemplateId.NotFound");
    // The name is free again.
    await createTemplate({ InstanceType: "m5.large" }, template.LaunchTemplateName!);
  });
});

describe("RunInstances from a launch template", () => {
  let keyName: string;
  beforeAll(async () => {
    keyName = (await ec2().send(new CreateKeyPairCommand({ KeyName: uniqueName("lt-key") }))).KeyName!;
  });

  it("launches the default version, explicit parameters overriding, with the template's tags and EC2's aws: tags", async () => {
    const template = await createTemplate({
      ImageId: fixture.images.al2Ena,
      InstanceType: "m5.large",
      KeyName: keyName,
      DisableApiTermination: true,
      Placement: { AvailabilityZone: "us-east-1b" },
      BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { VolumeSize: 3, VolumeType: "gp3" } }],
      TagSpecifications: [
        {
          ResourceType: "instance",
          Tags: [
            { Key: "Name", Value: "from-template" },
            { Key: "env", Value: "test" },
          ],
        },
        { ResourceType: "volume", Tags: [{ Key: "disk", Value: "lt" }] },
      ],
    });
    await ec2().send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: template.LaunchTemplateId!,
        SourceVersion: "1",
        LaunchTemplateData: { ImageId: fixture.images.al2023X86 },
      }),
    );
    const { Instances } = await ec2().send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        InstanceType: "m5.xlarge",
        LaunchTemplate: { LaunchTemplateName: template.LaunchTemplateName! },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "explicit" }] }],
      }),
    );
    const instance = Instances![0]!;
    expect(instance).toMatchObject({
      ImageId: fixture.images.al2Ena,
      InstanceType: "m5.xlarge",
      KeyName: keyName,
      Placement: { AvailabilityZone: "us-east-1b" },
    });
    expect(instance.Tags).toEqual(
      expect.arrayContaining([
        { Key: "Name", Value: "explicit" },
        { Key: "env", Value: "test" },
        { Key: "aws:ec2launchtemplate:id", Value: template.LaunchTemplateId },
        { Key: "aws:ec2launchtemplate:version", Value: "1" },
      ]),
    );
    expect(instance.Tags).toHaveLength(4);
    const { Volumes } = await ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instance.InstanceId!] }] }));
    expect(Volumes!.map((v) => v.Size).sort()).toEqual([3, 8]);
    expect(Volumes!.every((v) => v.Tags?.some((t) => t.Key === "disk" && t.Value === "lt"))).toBe(true);

    // $Latest launches version 2; GetLaunchTemplateData reads the instance back as template data.
    const latest = await ec2().send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId!, Version: "$Latest" } }),
    );
    expect(latest.Instances![0]!.ImageId).toBe(fixture.images.al2023X86);
    expect(latest.Instances![0]!.Tags).toContainEqual({ Key: "aws:ec2launchtemplate:version", Value: "2" });
    const { LaunchTemplateData } = await ec2().send(new GetLaunchTemplateDataCommand({ InstanceId: instance.InstanceId! }));
    expect(LaunchTemplateData).toMatchObject({
      ImageId: fixture.images.al2Ena,
      InstanceType: "m5.xlarge",
      KeyName: keyName,
      DisableApiTermination: true,
      Placement: { AvailabilityZone: "us-east-1b" },
    });
    expect(LaunchTemplateData!.TagSpecifications![0]!.Tags!.some((t) => t.Key!.startsWith("aws:"))).toBe(false);
    expect(LaunchTemplateData!.BlockDeviceMappings!.find((m) => m.DeviceName === "/dev/sdf")?.Ebs).toMatchObject({ VolumeSize: 3, VolumeType: "gp3" });
  });

  it("tags the primary interface and a Spot launch's request from the template's tag specifications, and refuses what a launch cannot tag", async () => {
    const tagsOf = (key: string) => [{ Key: "made-by", Value: key }];
    const template = await createTemplate({
      ImageId: fixture.images.al2Ena,
      InstanceType: "m5.large",
      TagSpecifications: [
        { ResourceType: "instance", Tags: tagsOf("instance") },
        { ResourceType: "network-interface", Tags: tagsOf("interface") },
        { ResourceType: "spot-instances-request", Tags: tagsOf("spot") },
      ],
    });
    const { LaunchTemplateVersions } = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId! }));
    expect(LaunchTemplateVersions![0]!.LaunchTemplateData!.TagSpecifications).toEqual([
      { ResourceType: "instance", Tags: tagsOf("instance") },
      { ResourceType: "network-interface", Tags: tagsOf("interface") },
      { ResourceType: "spot-instances-request", Tags: tagsOf("spot") },
    ]);
    const launch = async (extra: Record<string, unknown> = {}) =>
      (await ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! }, ...extra })))
        .Instances![0]!;

    // On-Demand: no Spot request is made, so the template's Spot request tags wait for a Spot launch.
    const onDemand = await launch();
    const { NetworkInterfaces } = await ec2().send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [onDemand.InstanceId!] }] }),
    );
    expect(NetworkInterfaces!.map((eni) => eni.TagSet)).toEqual([tagsOf("interface")]);
    const spot = await launch({ InstanceMarketOptions: { MarketType: "spot" } });
    const { SpotInstanceRequests } = await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [spot.SpotInstanceRequestId!] }));
    expect(SpotInstanceRequests![0]!.Tags).toEqual(tagsOf("spot"));
    expect(spot.Tags).toContainEqual(tagsOf("instance")[0]);
    // RunInstances' own Spot request tags, without a template: the request takes them, the instance does not.
    const direct = (
      await ec2().send(
        new RunInstancesCommand({
          ImageId: fixture.images.al2Ena,
          InstanceType: "m5.large",
          MinCount: 1,
          MaxCount: 1,
          InstanceMarketOptions: { MarketType: "spot" },
          TagSpecifications: [{ ResourceType: "spot-instances-request", Tags: tagsOf("direct") }],
        }),
      )
    ).Instances![0]!;
    const directRequest = await ec2().send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [direct.SpotInstanceRequestId!] }));
    expect([directRequest.SpotInstanceRequests![0]!.Tags, direct.Tags]).toEqual([tagsOf("direct"), undefined]);

    // A type outside the four is refused at creation; a launch refuses tags for what it does not create.
    const vpcTags = await failure(createTemplate({ TagSpecifications: [{ ResourceType: "vpc", Tags: tagsOf("vpc") }] }));
    expect([vpcTags.name, vpcTags.message]).toEqual(["InvalidParameterValue", expect.stringContaining("'vpc' is not a valid taggable resource type")]);
    const run = (type: string) =>
      failure(
        ec2().send(
          new RunInstancesCommand({
            ImageId: fixture.images.al2Ena,
            MinCount: 1,
            MaxCount: 1,
            TagSpecifications: [{ ResourceType: type as "instance", Tags: tagsOf(type) }],
          }),
        ),
      );
    const spotTags = await run("spot-instances-request");
    expect([spotTags.name, spotTags.message]).toEqual(["InvalidParameterValue", expect.stringContaining("no Spot instances requests being created")]);
    const gpuTags = await run("elastic-gpu");
    expect([gpuTags.name, gpuTags.message]).toEqual(["InvalidParameterValue", expect.stringContaining("no elastic GPUs being created")]);
  });

  it("keeps the instance settings RunInstances honours, shows them back, launches with them, and lets explicit ones win", async () => {
    const settings = {
      InstanceInitiatedShutdownBehavior: "terminate",
      MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 2 },
      EbsOptimized: true,
      Monitoring: { Enabled: true },
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 1 },
      DisableApiStop: true,
      IamInstanceProfile: { Name: "web-role" },
    } as const;
    const template = await createTemplate({ ImageId: fixture.images.al2Ena, InstanceType: "m5.large", ...settings });
    const { LaunchTemplateVersions } = await ec2().send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId!, Versions: ["$Latest"] }),
    );
    expect(LaunchTemplateVersions![0]!.LaunchTemplateData).toMatchObject(settings);

    const launched = await ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! } }));
    const instanceId = launched.Instances![0]!.InstanceId!;
    const [instance] = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances!;
    expect(instance).toMatchObject({
      MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 2, HttpEndpoint: "enabled" },
      EbsOptimized: true,
      Monitoring: { State: "enabled" },
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 1 },
      IamInstanceProfile: { Arn: "arn:aws:iam::000000000000:instance-profile/web-role" },
    });
    const attribute = (Attribute: "instanceInitiatedShutdownBehavior" | "disableApiStop") =>
      ec2().send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute }));
    expect((await attribute("instanceInitiatedShutdownBehavior")).InstanceInitiatedShutdownBehavior?.Value).toBe("terminate");
    expect((await attribute("disableApiStop")).DisableApiStop?.Value).toBe(true);

    // GetLaunchTemplateData answers the same settings for the instance.
    const { LaunchTemplateData } = await ec2().send(new GetLaunchTemplateDataCommand({ InstanceId: instanceId }));
    expect(LaunchTemplateData).toMatchObject({
      ...settings,
      IamInstanceProfile: { Arn: "arn:aws:iam::000000000000:instance-profile/web-role" },
      HibernationOptions: { Configured: false },
    });

    // Explicit parameters win: MetadataOptions member by member (the template's hop limit stays), the rest whole.
    const overridden = await ec2().send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! },
        InstanceInitiatedShutdownBehavior: "stop",
        MetadataOptions: { HttpTokens: "optional" },
        Monitoring: { Enabled: false },
        CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
      }),
    );
    const explicit = overridden.Instances![0]!;
    expect(explicit).toMatchObject({
      MetadataOptions: { HttpTokens: "optional", HttpPutResponseHopLimit: 2 },
      Monitoring: { State: "disabled" },
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
      EbsOptimized: true,
    });
    const behaviour = await ec2().send(
      new DescribeInstanceAttributeCommand({ InstanceId: explicit.InstanceId!, Attribute: "instanceInitiatedShutdownBehavior" }),
    );
    expect(behaviour.InstanceInitiatedShutdownBehavior?.Value).toBe("stop");
  });

  it("judges a template's settings at launch as RunInstances judges them", async () => {
    const template = await createTemplate({ ImageId: fixture.images.al2Ena, InstanceType: "m5.large", CpuOptions: { CoreCount: 4 } });
    const refused = await failure(
      ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! } })),
    );
    expect(refused.name).toBe("InvalidParameterValue");
    expect(refused.message).toContain("CoreCount 4 is not valid for m5.large");
  });

  it("refuses a PV image on c5.large from a template exactly as a direct launch, and ExplainLaunch names the rule", async () => {
    const template = await createTemplate({ ImageId: fixture.images.pvX86, InstanceType: "c5.large" });
    const direct = await failure(ec2().send(new RunInstancesCommand({ ImageId: fixture.images.pvX86, InstanceType: "c5.large", MinCount: 1, MaxCount: 1 })));
    const before = (await ec2().send(new DescribeInstancesCommand({}))).Reservations!.length;
    const fromTemplate = await failure(
      ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! } })),
    );
    expect(fromTemplate.name).toBe("InvalidParameterCombination");
    expect(fromTemplate.message).toBe(direct.message);
    expect((await ec2().send(new DescribeInstancesCommand({}))).Reservations!.length).toBe(before);
    // An explicit type overrides the template's and makes the same template launchable.
    const { Instances } = await ec2().send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, InstanceType: "m3.medium", LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId! } }),
    );
    expect(Instances![0]).toMatchObject({ InstanceType: "m3.medium", VirtualizationType: "paravirtual" });

    const explained = await extension(server.url, "ExplainLaunch", { LaunchTemplateName: template.LaunchTemplateName!, LaunchTemplateVersion: "1" });
    expect(explained).toMatchObject({ imageId: fixture.images.pvX86, instanceType: "c5.large", launchable: false });
    const rule = (explained.checkSet.item as Array<{ ruleId: string; outcome: string }>).find((c) => c.ruleId === "virtualization-pv-needs-pv-type");
    expect(rule?.outcome).toBe("failed");
    const overridden = await extension(server.url, "ExplainLaunch", { LaunchTemplateId: template.LaunchTemplateId!, InstanceType: "m3.medium" });
    expect(overridden.launchable).toBe(true);
  });

  it("answers EC2's errors for an unknown template or version", async () => {
    const run = (LaunchTemplate: Record<string, string>) => failure(ec2().send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate })));
    expect((await run({ LaunchTemplateName: "no-such-template" })).name).toBe("InvalidLaunchTemplateName.NotFoundException");
    expect((await run({ LaunchTemplateId: "lt-0123456789abcdef0" })).name).toBe("InvalidLaunchTemplateId.NotFound");
    expect((await run({ LaunchTemplateId: "launch-1" })).name).toBe("InvalidLaunchTemplateId.Malformed");
    const template = await createTemplate({ ImageId: fixture.images.al2Ena });
    expect((await run({ LaunchTemplateId: template.LaunchTemplateId!, Version: "5" })).name).toBe("InvalidLaunchTemplateId.VersionNotFound");
  });

  it("works from the AWS CLI: run-instances --launch-template with a version", async () => {
    const template = await createTemplate({ ImageId: fixture.images.al2Ena, InstanceType: "t3.micro" });
    const run = await aws(server.url, [
      "ec2",
      "run-instances",
      "--count",
      "1",
      "--launch-template",
      `LaunchTemplateName=${template.LaunchTemplateName},Version=$Latest`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.Instances[0]).toMatchObject({ ImageId: fixture.images.al2Ena, InstanceType: "t3.micro" });
  });
});
