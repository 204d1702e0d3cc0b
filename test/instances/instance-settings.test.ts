// RunInstances keeps every setting it accepts and shows it back, or refuses the member by name; the settings that
// change later (metadata options, monitoring, attributes) change and show the same way. Through the SDK and the CLI.
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeImagesCommand,
  DisassociateIamInstanceProfileCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Instance,
  ModifyInstanceAttributeCommand,
  ModifyInstanceMetadataOptionsCommand,
  MonitorInstancesCommand,
  ResetInstanceAttributeCommand,
  RunInstancesCommand,
  type RunInstancesRequest,
  StopInstancesCommand,
  UnmonitorInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { honouredNestedMembers, honouredRunInstancesMembers, refusedRunInstancesMembers } from "../../src/api/run-instances-members.js";
import { ec2ServiceModel, shapeOf } from "../../src/protocol/service-model.js";
import { aws } from "../support/aws-cli.js";
import { serverWithAmazonImages } from "../support/images.js";
import { sample } from "../support/model-samples.js";

const shared = serverWithAmazonImages();
const { server } = shared;

async function launch(ec2: EC2Client, extra: Partial<RunInstancesRequest> = {}): Promise<Instance> {
  const { Instances } = await ec2.send(
    new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, ...extra }),
  );
  return Instances![0]!;
}

async function described(ec2: EC2Client, instanceId: string): Promise<Instance> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return Reservations![0]!.Instances![0]!;
}

async function attribute(ec2: EC2Client, instanceId: string, name: string) {
  return ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: name as never }));
}

describe("RunInstances' members", () => {
  const model = ec2ServiceModel();
  const input = shapeOf(model, model.operations.RunInstances!.input!);
  const members = Object.keys(input.members!);

  it("are each honoured or refused, and nothing else", () => {
    const listed = [...honouredRunInstancesMembers, ...Object.keys(refusedRunInstancesMembers)];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...members].sort());
  });

  it("refuses each member it does not model, naming it", async () => {
    const ec2 = server.ec2();
    for (const name of Object.keys(refusedRunInstancesMembers)) {
      const value = sample(model, input.members![name]!);
      const error = await ec2.send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, MinCount: 1, MaxCount: 1, [name]: value })).catch((e) => e);
      expect(error.name, name).toBe("Unsupported");
      expect(error.message, name).toContain(`The parameter ${name} of RunInstances`);
    }
  });

  it("refuses each member of an honoured structure that it does not model, naming it (CpuOptions.AmdSevSnp)", async () => {
    const ec2 = server.ec2();
    let refusedCount = 0;
    for (const [structure, honoured] of Object.entries(honouredNestedMembers)) {
      const shape = shapeOf(model, input.members![structure]!);
      for (const [member, memberRef] of Object.entries(shape.members!)) {
        if (honoured.includes(member)) continue;
        refusedCount++;
        const value = { [member]: sample(model, memberRef) };
        const error = await ec2.send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, MinCount: 1, MaxCount: 1, [structure]: value })).catch((e) => e);
        expect(error.name, `${structure}.${member}`).toBe("Unsupported");
        expect(error.message).toContain(`The parameter ${structure}.${member} of RunInstances`);
      }
    }
    // CpuOptions.AmdSevSnp and NestedVirtualization, Placement's SpreadDomain, GroupId, ... at least.
    expect(refusedCount).toBeGreaterThanOrEqual(4);
  });

  it("shows back every honoured setting in DescribeInstances and DescribeInstanceAttribute", async () => {
    const ec2 = server.ec2();
    const userData = Buffer.from("#!/bin/sh\necho hi\n").toString("base64");
    const launched = await launch(ec2, {
      MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled", HttpPutResponseHopLimit: 3, InstanceMetadataTags: "enabled" },
      InstanceInitiatedShutdownBehavior: "terminate",
      EbsOptimized: true,
      Monitoring: { Enabled: true },
      HibernationOptions: { Configured: true },
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { Encrypted: true, KmsKeyId: "alias/root" } }],
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 1 },
      DisableApiStop: true,
      DisableApiTermination: true,
      IamInstanceProfile: { Name: "web-role" },
      UserData: userData,
    });
    const instance = await described(ec2, launched.InstanceId!);
    expect(instance).toMatchObject({
      MetadataOptions: {
        State: "applied",
        HttpTokens: "required",
        HttpEndpoint: "enabled",
        HttpPutResponseHopLimit: 3,
        HttpProtocolIpv6: "disabled",
        InstanceMetadataTags: "enabled",
      },
      EbsOptimized: true,
      Monitoring: { State: "enabled" },
      HibernationOptions: { Configured: true },
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 1 },
      IamInstanceProfile: { Arn: "arn:aws:iam::000000000000:instance-profile/web-role" },
    });
    expect(instance.IamInstanceProfile!.Id).toMatch(/^AIPA[A-Z0-9]{17}$/);
    const rootVolumeId = instance.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootVolumeId] }));
    expect(Volumes![0]).toMatchObject({ Encrypted: true, KmsKeyId: "arn:aws:kms:us-east-1:000000000000:alias/root" });
    const id = launched.InstanceId!;
    expect((await attribute(ec2, id, "instanceInitiatedShutdownBehavior")).InstanceInitiatedShutdownBehavior).toEqual({ Value: "terminate" });
    expect((await attribute(ec2, id, "disableApiStop")).DisableApiStop).toEqual({ Value: true });
    expect((await attribute(ec2, id, "disableApiTermination")).DisableApiTermination).toEqual({ Value: true });
    expect((await attribute(ec2, id, "ebsOptimized")).EbsOptimized).toEqual({ Value: true });
    expect((await attribute(ec2, id, "userData")).UserData).toEqual({ Value: userData });

    const stop = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] })).catch((e) => e);
    expect(stop.name).toBe("OperationNotPermitted");
    expect(stop.message).toContain("disableApiStop");
  });

  it("defaults as EC2 does when the settings are not given", async () => {
    const ec2 = server.ec2();
    const instance = await described(ec2, (await launch(ec2, { InstanceType: "m1.small", ImageId: shared.images.pvX86 })).InstanceId!);
    expect(instance).toMatchObject({
      MetadataOptions: { HttpTokens: "optional", HttpEndpoint: "enabled", HttpPutResponseHopLimit: 1 },
      EbsOptimized: false,
      Monitoring: { State: "disabled" },
      HibernationOptions: { Configured: false },
    });
    expect(instance.IamInstanceProfile).toBeUndefined();
    expect((await attribute(ec2, instance.InstanceId!, "instanceInitiatedShutdownBehavior")).InstanceInitiatedShutdownBehavior).toEqual({ Value: "stop" });
  });

  it("checks the settings as EC2 does", async () => {
    const ec2 = server.ec2();
    const refusal = (extra: Partial<RunInstancesRequest>) =>
      launch(ec2, extra).then(
        (): Error => new Error("accepted"),
        (e: Error) => e,
      );
    expect((await refusal({ CpuOptions: { CoreCount: 4 } })).message).toContain("CoreCount 4 is not valid for m5.large. Valid core counts: 1");
    expect((await refusal({ CpuOptions: { ThreadsPerCore: 3 } })).message).toContain("Valid threads per core: 1, 2");
    expect((await refusal({ HibernationOptions: { Configured: true } })).name).toBe("UnsupportedHibernationConfiguration");
    expect((await refusal({ InstanceType: "m1.small", ImageId: shared.images.pvX86, EbsOptimized: true })).name).toBe("InvalidParameterCombination");
    expect((await refusal({ MetadataOptions: { HttpPutResponseHopLimit: 65 } })).name).toBe("InvalidParameterValue");
    expect((await refusal({ IamInstanceProfile: { Arn: "arn:aws:iam::12:role/x" } })).message).toContain("Invalid IAM Instance Profile ARN");
    const kmsWithoutEncryption = await refusal({ BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { KmsKeyId: "alias/root" } }] });
    expect(kmsWithoutEncryption.name).toBe("InvalidParameterDependency");
    const big = Buffer.alloc(16 * 1024 + 1, "a").toString("base64");
    expect((await refusal({ UserData: big })).message).toContain("User data is limited to 16384 bytes");
    expect(await launch(ec2, { UserData: Buffer.alloc(16 * 1024, "a").toString("base64") })).toHaveProperty("InstanceId");
  });
});

describe("settings changed after the launch", () => {
  it("ModifyInstanceMetadataOptions, MonitorInstances and UnmonitorInstances change what DescribeInstances shows", async () => {
    const ec2 = server.ec2();
    const id = (await launch(ec2)).InstanceId!;
    const modified = await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: "required", HttpPutResponseHopLimit: 2 }));
    expect(modified.InstanceMetadataOptions).toMatchObject({ State: "pending", HttpTokens: "required", HttpPutResponseHopLimit: 2, HttpEndpoint: "enabled" });
    expect((await described(ec2, id)).MetadataOptions).toMatchObject({ State: "applied", HttpTokens: "required", HttpPutResponseHopLimit: 2 });

    expect((await ec2.send(new MonitorInstancesCommand({ InstanceIds: [id] }))).InstanceMonitorings).toEqual([
      { InstanceId: id, Monitoring: { State: "pending" } },
    ]);
    expect((await described(ec2, id)).Monitoring).toEqual({ State: "enabled" });
    expect((await ec2.send(new UnmonitorInstancesCommand({ InstanceIds: [id] }))).InstanceMonitorings![0]!.Monitoring).toEqual({ State: "disabling" });
    expect((await described(ec2, id)).Monitoring).toEqual({ State: "disabled" });
  });

  it("DescribeInstances filters on the settings: metadata options, monitoring, instance profile, EBS optimization", async () => {
    const ec2 = server.ec2();
    const set = (await launch(ec2, { IamInstanceProfile: { Name: "app" }, Monitoring: { Enabled: true }, EbsOptimized: false })).InstanceId!;
    const plain = (await launch(ec2)).InstanceId!;
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: set, HttpTokens: "required", HttpPutResponseHopLimit: 2 }));
    const matching = async (name: string, value: string) => {
      const filters = [
        { Name: "instance-id", Values: [set, plain] },
        { Name: name, Values: [value] },
      ];
      const { Reservations } = await ec2.send(new DescribeInstancesCommand({ Filters: filters }));
      return Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)).sort();
    };
    expect(await matching("metadata-options.http-tokens", "required")).toEqual([set]);
    expect(await matching("metadata-options.http-tokens", "optional")).toEqual([plain]);
    expect(await matching("metadata-options.http-put-response-hop-limit", "2")).toEqual([set]);
    expect(await matching("metadata-options.state", "applied")).toEqual([set, plain].sort());
    expect(await matching("monitoring-state", "enabled")).toEqual([set]);
    expect(await matching("iam-instance-profile.arn", "*:instance-profile/app")).toEqual([set]);
    expect(await matching("ebs-optimized", "false")).toEqual([set]);
    expect(await matching("hibernation-options.configured", "false")).toEqual([set, plain].sort());
    expect(await matching("maintenance-options.auto-recovery", "default")).toEqual([set, plain].sort());
    expect(await matching("usage-operation", "RunInstances")).toEqual([set, plain].sort());
  });

  it("StopInstances Hibernate stops an instance launched for hibernation and refuses one that was not, changing neither", async () => {
    const ec2 = server.ec2();
    const hibernating = (
      await launch(ec2, { HibernationOptions: { Configured: true }, BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { Encrypted: true } }] })
    ).InstanceId!;
    const plain = (await launch(ec2)).InstanceId!;
    const refused = await ec2.send(new StopInstancesCommand({ InstanceIds: [hibernating, plain], Hibernate: true })).catch((e) => e);
    expect(refused.name).toBe("UnsupportedHibernationConfiguration");
    expect(refused.message).toBe(`The instance can't be hibernated because it was not configured at launch for hibernation: ${plain}`);
    expect((await described(ec2, hibernating)).State!.Name).toBe("running");
    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [hibernating], Hibernate: true }));
    expect(stopped.StoppingInstances![0]).toMatchObject({ InstanceId: hibernating, CurrentState: { Name: "stopping" }, PreviousState: { Name: "running" } });
  });

  it("associates, replaces and disassociates an instance profile, as Terraform does when iam_instance_profile changes", async () => {
    const ec2 = server.ec2();
    const id = (await launch(ec2)).InstanceId!;
    const associations = async () =>
      (await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: "instance-id", Values: [id] }] }))).IamInstanceProfileAssociations!;
    expect(await associations()).toEqual([]);
    const associated = (await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: "app" } })))
      .IamInstanceProfileAssociation!;
    expect(associated).toMatchObject({ InstanceId: id, State: "associating", IamInstanceProfile: { Arn: "arn:aws:iam::000000000000:instance-profile/app" } });
    expect(associated.AssociationId).toMatch(/^iip-assoc-[0-9a-f]{17}$/);
    expect(await associations()).toMatchObject([{ AssociationId: associated.AssociationId, State: "associated" }]);
    expect((await described(ec2, id)).IamInstanceProfile!.Arn).toBe("arn:aws:iam::000000000000:instance-profile/app");
    const again = await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: "app" } })).catch((e) => e);
    expect(again).toMatchObject({ name: "IncorrectState", message: `There is an existing association for instance ${id}` });

    const replaced = (
      await ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: associated.AssociationId, IamInstanceProfile: { Name: "worker" } }))
    ).IamInstanceProfileAssociation!;
    expect(replaced.AssociationId).not.toBe(associated.AssociationId);
    expect((await described(ec2, id)).IamInstanceProfile!.Arn).toBe("arn:aws:iam::000000000000:instance-profile/worker");
    const gone = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ AssociationIds: [associated.AssociationId!] })).catch((e) => e);
    expect(gone.name).toBe("InvalidAssociationID.NotFound");

    const disassociated = await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced.AssociationId }));
    expect(disassociated.IamInstanceProfileAssociation).toMatchObject({ AssociationId: replaced.AssociationId, State: "disassociating" });
    expect((await described(ec2, id)).IamInstanceProfile).toBeUndefined();
    expect(await associations()).toEqual([]);
  });

  it("the AWS CLI's run-instances keeps metadata options and the instance profile", async () => {
    const run = await aws(server.url, [
      "ec2",
      "run-instances",
      "--image-id",
      shared.images.al2Ena,
      "--instance-type",
      "m5.large",
      "--metadata-options",
      "HttpTokens=required,HttpPutResponseHopLimit=2",
      "--iam-instance-profile",
      "Name=app",
      "--instance-initiated-shutdown-behavior",
      "terminate",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.Instances[0].MetadataOptions).toMatchObject({ HttpTokens: "required", HttpPutResponseHopLimit: 2 });
    const refused = await aws(server.url, ["ec2", "run-instances", "--image-id", shared.images.al2Ena, "--ipv6-address-count", "1"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("(Unsupported)");
    expect(refused.stderr).toContain("Ipv6AddressCount");
  });
});

describe("ModifyInstanceAttribute", () => {
  async function stopped(ec2: EC2Client): Promise<string> {
    const id = (await launch(ec2)).InstanceId!;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    return id;
  }

  it("changes every documented attribute and DescribeInstanceAttribute shows it", async () => {
    const ec2 = server.ec2();
    const id = await stopped(ec2);
    const modify = (input: Omit<ConstructorParameters<typeof ModifyInstanceAttributeCommand>[0], "InstanceId">) =>
      ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, ...input }));
    await modify({ UserData: { Value: Buffer.from("#!/bin/sh\n") } });
    expect((await attribute(ec2, id, "userData")).UserData).toEqual({ Value: Buffer.from("#!/bin/sh\n").toString("base64") });
    await modify({ InstanceInitiatedShutdownBehavior: { Value: "terminate" } });
    expect((await attribute(ec2, id, "instanceInitiatedShutdownBehavior")).InstanceInitiatedShutdownBehavior).toEqual({ Value: "terminate" });
    await modify({ EbsOptimized: { Value: false } });
    expect((await attribute(ec2, id, "ebsOptimized")).EbsOptimized).toEqual({ Value: false });
    await modify({ SourceDestCheck: { Value: false } });
    expect((await attribute(ec2, id, "sourceDestCheck")).SourceDestCheck).toEqual({ Value: false });
    expect((await described(ec2, id)).SourceDestCheck).toBe(false);
    await modify({ DisableApiStop: { Value: true } });
    expect((await attribute(ec2, id, "disableApiStop")).DisableApiStop).toEqual({ Value: true });
    await modify({ BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { DeleteOnTermination: false } }] });
    expect((await attribute(ec2, id, "blockDeviceMapping")).BlockDeviceMappings![0]!.Ebs!.DeleteOnTermination).toBe(false);
    // Groups are the primary interface's (test/network/instance-network.test.ts): an unknown one is EC2's NotFound.
    const groups = await modify({ Groups: ["sg-12345678"] }).catch((e) => e);
    expect(groups.name).toBe("InvalidGroup.NotFound");
    expect(groups.message).toContain("sg-12345678");
    const noDevice = await modify({ BlockDeviceMappings: [{ DeviceName: "/dev/sdz", Ebs: { DeleteOnTermination: false } }] }).catch((e) => e);
    expect(noDevice.message).toContain("/dev/sdz");
  });

  it("ResetInstanceAttribute turns sourceDestCheck back on while running, needs a stopped instance for the kernel, and resets nothing else", async () => {
    const ec2 = server.ec2();
    const id = (await launch(ec2)).InstanceId!;
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }));
    await ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: "sourceDestCheck" }));
    expect((await attribute(ec2, id, "sourceDestCheck")).SourceDestCheck).toEqual({ Value: true });
    expect((await described(ec2, id)).SourceDestCheck).toBe(true);

    const running = await ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: "kernel" })).catch((e) => e);
    expect(running.name).toBe("IncorrectInstanceState");
    const other = await ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: "userData" })).catch((e) => e);
    expect(other.name).toBe("InvalidParameterValue");
    expect(other.message).toContain("only kernel, ramdisk and sourceDestCheck");

    // A PV instance given another PV-GRUB kernel gets its image's back.
    const pv = (await launch(ec2, { ImageId: shared.images.pvX86, InstanceType: "m3.medium" })).InstanceId!;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [pv] }));
    const imageKernel = (await attribute(ec2, pv, "kernel")).KernelId!.Value!;
    const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["pv-grub-hd00_1.05-x86_64.gz"] }] }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: pv, Kernel: { Value: Images![0]!.ImageId! } }));
    expect((await attribute(ec2, pv, "kernel")).KernelId).toEqual({ Value: Images![0]!.ImageId! });
    await ec2.send(new ResetInstanceAttributeCommand({ InstanceId: pv, Attribute: "kernel" }));
    expect((await attribute(ec2, pv, "kernel")).KernelId).toEqual({ Value: imageKernel });
  });

  it("needs the instance stopped for what changes the boot, not for the rest", async () => {
    const ec2 = server.ec2();
    const id = (await launch(ec2)).InstanceId!;
    for (const input of [{ UserData: { Value: Buffer.from("x") } }, { EbsOptimized: { Value: true } }]) {
      const error = await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, ...input })).catch((e) => e);
      expect(error.name).toBe("IncorrectInstanceState");
    }
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: "terminate" } }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }));
    expect((await attribute(ec2, id, "instanceInitiatedShutdownBehavior")).InstanceInitiatedShutdownBehavior).toEqual({ Value: "terminate" });
  });

  it("the AWS CLI's --attribute/--value form works for userData and the shutdown behaviour", async () => {
    const ec2 = server.ec2();
    const id = await stopped(ec2);
    const value = Buffer.from("#!/bin/sh\necho cli\n").toString("base64");
    const userData = await aws(server.url, ["ec2", "modify-instance-attribute", "--instance-id", id, "--attribute", "userData", "--value", value]);
    expect(userData.code, userData.stderr).toBe(0);
    expect((await attribute(ec2, id, "userData")).UserData).toEqual({ Value: value });
    const behaviour = await aws(server.url, [
      "ec2",
      "modify-instance-attribute",
      "--instance-id",
      id,
      "--instance-initiated-shutdown-behavior",
      "Value=terminate",
    ]);
    expect(behaviour.code, behaviour.stderr).toBe(0);
    const shown = await aws(server.url, ["ec2", "describe-instance-attribute", "--instance-id", id, "--attribute", "instanceInitiatedShutdownBehavior"]);
    expect(shown.json.InstanceInitiatedShutdownBehavior).toEqual({ Value: "terminate" });
  });
});
