// The Xen to Nitro migration as AWS's AWSSupport-MigrateXenToNitroLinux runbook runs it, through the SDK and signed
// extension requests: a Xen HVM guest comes out as a running m5.large clone and a golden AMI that launches on
// m5.large; the preliminary checks end a run with the runbook's reason; a PV guest is converted to HVM first and then
// migrated; another account sees none of it.
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeVolumesCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { migrationTaskTagKey } from "../../src/services/workflows/migrate-xen-to-nitro.js";
import { createStranger } from "../support/fixtures.js";
import { rawRequest } from "../support/signed-request.js";
import { extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();
const url = () => shared.server.url;
const list = <T>(set: { item?: T | T[] } | "" | undefined): T[] => (set && set.item !== undefined ? ([] as T[]).concat(set.item) : []);

async function launch(imageId: string, instanceType: _InstanceType, more: Partial<RunInstancesCommandInput> = {}): Promise<string> {
  const { Instances } = await ec2().send(
    new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" }, ...more }),
  );
  return Instances![0]!.InstanceId!;
}
async function status(instanceId: string): Promise<string | undefined> {
  const { InstanceStatuses } = await ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId] }));
  return InstanceStatuses![0]?.InstanceStatus?.Status;
}
async function startMigration(instanceId: string, operationType: string, extra: Record<string, string> = {}) {
  return extension(url(), "StartNitroMigration", { InstanceId: instanceId, TargetInstanceType: "m5.large", OperationType: operationType, ...extra });
}
async function migration(id: string) {
  return list<any>((await extension(url(), "DescribeNitroMigrations", { "MigrationTaskId.1": id })).nitroMigrationSet)[0];
}
/** Polls DescribeNitroMigrations until the run ends (the server runs with zero delays). */
async function settled(id: string) {
  for (;;) {
    const found = await migration(id);
    if (["succeeded", "failed", "cancelled"].includes(found.state)) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("FullMigration of a Xen HVM guest", () => {
  it("comes out as a running m5.large clone and a golden AMI that launches on m5.large; the original is untouched", async () => {
    // Amazon Linux AMI 2016.03 (kernel 4.4): no ena, no nvme (fstab names LABEL=/). It runs on t2.micro.
    const original = await launch(shared.images.hvmNoEna, "t2.micro");
    const started = await startMigration(original, "FullMigration");
    const id = started.migrationTaskId;
    expect(id).toMatch(/^nitro-mig-[0-9a-f]{17}$/);
    expect(list<any>(started.checkSet).map((check) => check.outcome)).toEqual(list<any>(started.checkSet).map(() => "passed"));
    expect(
      list<any>(started.guestCheckSet)
        .filter((check) => check.outcome === "repair")
        .map((check) => check.name),
    ).toEqual(["ena-driver", "nvme-in-initramfs"]);

    const done = await settled(id);
    expect(done, done.failureReason).toMatchObject({ state: "succeeded", operationType: "FullMigration", targetInstanceType: "m5.large" });
    const steps = list<any>(done.stepSet);
    expect(steps.map((step) => [step.name, step.state])).toEqual(steps.map((step) => [step.name, "succeeded"]));
    expect(steps.map((step) => step.name)).toEqual([
      "preliminary-checks",
      "create-clone-image",
      "launch-clone",
      "install-ena-driver",
      "add-nvme-to-initramfs",
      "fstab-by-uuid",
      "disable-predictable-interface-names",
      "stop-clone",
      "set-nitro-instance-type",
      "enable-ena-support",
      "start-clone",
      "wait-for-status-checks",
      "create-golden-ami",
    ]);
    expect(done.statusMessage).toBe(`Migrated: the clone ${done.cloneInstanceId} runs on m5.large; ${done.goldenImageId} is the golden AMI.`);

    // The clone: running on m5.large with ENA, its status checks ok, found by the task's tag.
    const tagged = [{ Name: `tag:${migrationTaskTagKey}`, Values: [id] }];
    const clones = (await ec2().send(new DescribeInstancesCommand({ Filters: tagged }))).Reservations!.flatMap((r) => r.Instances!);
    expect(clones.map((i) => [i.InstanceId, i.InstanceType, i.State!.Name, i.EnaSupport])).toEqual([[done.cloneInstanceId, "m5.large", "running", true]]);
    expect(await status(done.cloneInstanceId)).toBe("ok");
    const cloneVolumes = (await ec2().send(new DescribeVolumesCommand({ Filters: tagged }))).Volumes!;
    expect(cloneVolumes.map((v) => v.Attachments![0]!.InstanceId)).toEqual([done.cloneInstanceId]);
    const guest = (await extension(url(), "DescribeGuest", { VolumeId: cloneVolumes[0]!.VolumeId! })).guest;
    expect(guest).toMatchObject({ nvmeInInitramfs: true, fstabRoot: "LABEL=/" });

    // The clone AMI and the golden AMI, both tagged; the golden one launches on m5.large and boots.
    const images = (await ec2().send(new DescribeImagesCommand({ Owners: ["self"], Filters: tagged }))).Images!;
    expect(images.map((image) => image.ImageId).sort()).toEqual([done.goldenImageId, list<string>(steps[1].artifactSet)[0]].sort());
    const golden = images.find((image) => image.ImageId === done.goldenImageId)!;
    expect(golden).toMatchObject({ State: "available", EnaSupport: true, VirtualizationType: "hvm" });
    const fromGolden = await launch(done.goldenImageId, "m5.large");
    expect(await status(fromGolden)).toBe("ok");

    // The original still runs on Xen, as it was.
    const originalNow = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [original] }))).Reservations![0]!.Instances![0]!;
    expect([originalNow.InstanceType, originalNow.State!.Name, originalNow.EnaSupport]).toEqual(["t2.micro", "running", false]);
  });
});

describe("FullMigration of a Debian guest whose fstab names /dev/xvda1", () => {
  it("rewrites fstab to the UUID on the clone, which then boots on m5.large", async () => {
    const done = await settled((await startMigration(await launch(shared.images.debianNoNvme, "t2.micro"), "FullMigration")).migrationTaskId);
    expect(done.state, done.failureReason).toBe("succeeded");
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [done.cloneInstanceId] }));
    const rootVolume = Reservations![0]!.Instances![0]!.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    expect((await extension(url(), "DescribeGuest", { VolumeId: rootVolume })).guest).toMatchObject({ fstabRoot: expect.stringMatching(/^UUID=/) });
    expect(await status(done.cloneInstanceId)).toBe("ok");
  });
});

describe("a repair the clone's guest refuses", () => {
  it("fails the run with the repair's reason, terminates the clone and deregisters the clone AMI (DeleteResourcesOnFailure)", async () => {
    // CentOS 5.11's disk (kernel 2.6.18) registered as HVM: it passes the checks, but ENA needs a 3.10 kernel.
    const { Images } = await ec2().send(new DescribeImagesCommand({ ImageIds: [shared.images.pvOldKernel] }));
    const snapshotId = Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const { ImageId } = await ec2().send(
      new RegisterImageCommand({
        Name: "centos-5-as-hvm",
        VirtualizationType: "hvm",
        Architecture: "x86_64",
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
      }),
    );
    const done = await settled((await startMigration(await launch(ImageId!, "t2.micro"), "FullMigration")).migrationTaskId);
    expect(done.state).toBe("failed");
    expect(done.failureReason).toContain("install-ena-driver cannot be applied to the clone");
    expect(done.failureReason).toContain("older than 3.10");
    const steps = list<any>(done.stepSet);
    expect(steps.filter((step) => step.compensation).map((step) => [step.name, step.compensation])).toEqual([
      ["create-clone-image", "done"],
      ["launch-clone", "done"],
    ]);
    const cloneId = list<string>(steps[2].artifactSet)[0]!;
    const clone = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [cloneId] }))).Reservations![0]!.Instances![0]!;
    expect(["shutting-down", "terminated"]).toContain(clone.State!.Name);
    const cloneImage = list<string>(steps[1].artifactSet)[0]!;
    const left = (await ec2().send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "image-id", Values: [cloneImage] }] }))).Images!;
    expect(left.map((image) => image.State)).toEqual(["deregistered"]);
  });
});

describe("the preliminary checks end a run with the runbook's reason", () => {
  it.each([
    ["an LVM root", () => launch(shared.images.pvLvm, "m3.medium"), "checkIfRootVolumeIsLVM", "FullMigration is not supported with LVM root volumes"],
    [
      "instance store volumes",
      () => launch(shared.images.hvmNoEna, "c3.large", { BlockDeviceMappings: [{ DeviceName: "/dev/sdb", VirtualName: "ephemeral0" }] }),
      "checkIfInstanceStoreVolumesAttached",
      "has instance store volumes attached (/dev/sdb (ephemeral0))",
    ],
    [
      "an instance already on Nitro",
      () => launch(shared.images.al2Ena, "c5.large"),
      "checkIfInstanceIsAlreadyNitro",
      "is already running on the Nitro System (c5.large)",
    ],
    [
      "a Spot Instance",
      () => launch(shared.images.hvmNoEna, "m4.large", { InstanceMarketOptions: { MarketType: "spot" } }),
      "checkIfSpotInstance",
      "is a Spot Instance, which this runbook does not support",
    ],
    [
      "a zone that does not offer the type",
      () => launch(shared.images.hvmNoEna, "t2.micro", { Placement: { AvailabilityZone: "us-east-1e" } }),
      "checkIfNitroInstanceTypeIsSupportedInAZ",
      "The instance type m5.large is not supported in the Availability Zone us-east-1e",
    ],
  ] as const)("CheckOnly on %s fails, and the pre-flight already says why", async (_what, make, checkName, reason) => {
    const instanceId = await make();
    const started = await startMigration(instanceId, "CheckOnly");
    const failed = list<any>(started.checkSet).filter((check) => check.outcome === "failed");
    expect(failed[0]).toMatchObject({ name: checkName, detail: expect.stringContaining(reason) });
    const done = await settled(started.migrationTaskId);
    expect(done.state).toBe("failed");
    expect(done.failureReason).toContain(`${checkName}: `);
    expect(done.failureReason).toContain(reason);
    expect(list<any>(done.stepSet).map((step) => [step.name, step.state])).toEqual([["preliminary-checks", "failed"]]);
  });

  it("CheckOnly on a ready Xen instance passes and makes nothing", async () => {
    const instanceId = await launch(shared.images.hvmNoEna, "t2.micro");
    const started = await startMigration(instanceId, "CheckOnly");
    const done = await settled(started.migrationTaskId);
    expect(done).toMatchObject({ state: "succeeded", statusMessage: "Every preliminary check passed." });
    expect(done.goldenImageId).toBeUndefined();
    const tagged = [{ Name: `tag:${migrationTaskTagKey}`, Values: [started.migrationTaskId] }];
    expect((await ec2().send(new DescribeImagesCommand({ Owners: ["self"], Filters: tagged }))).Images).toEqual([]);
    // Filters narrow the list: this run is a succeeded CheckOnly of this instance.
    const filtered = await extension(url(), "DescribeNitroMigrations", {
      "Filter.1.Name": "instance-id",
      "Filter.1.Value.1": instanceId,
      "Filter.2.Name": "operation-type",
      "Filter.2.Value.1": "CheckOnly",
    });
    expect(list<any>(filtered.nitroMigrationSet).map((m) => m.migrationTaskId)).toEqual([started.migrationTaskId]);
  });

  it("refuses a bad request at once: an unknown type, an unknown operation, a reused token", async () => {
    const instanceId = await launch(shared.images.hvmNoEna, "t2.micro");
    await expect(extension(url(), "StartNitroMigration", { InstanceId: instanceId, TargetInstanceType: "m5.huge" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(startMigration(instanceId, "Clone&Migrate")).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("Choose CheckOnly or FullMigration"),
    });
    const first = await startMigration(instanceId, "CheckOnly", { ClientToken: "same-token" });
    expect((await startMigration(instanceId, "CheckOnly", { ClientToken: "same-token" })).migrationTaskId).toBe(first.migrationTaskId);
    await expect(startMigration(instanceId, "FullMigration", { ClientToken: "same-token" })).rejects.toMatchObject({ name: "IdempotentParameterMismatch" });
    await expect(extension(url(), "DescribeNitroMigrations", { "MigrationTaskId.1": "nitro-mig-0123456789abcdef0" })).rejects.toMatchObject({
      name: "InvalidMigrationTaskId.NotFound",
    });
  });
});

describe("a PV guest, converted to HVM and then migrated to Nitro", () => {
  it("is refused as PV, converts with StartImageConversion, and the HVM instance migrates to m5.large", async () => {
    const pv = await launch(shared.images.pvEnaReady, "m3.medium");
    const refused = await startMigration(pv, "CheckOnly");
    expect(list<any>(refused.checkSet).find((check) => check.outcome === "failed")).toMatchObject({
      name: "checkIfInstanceIsHVM",
      detail: expect.stringContaining("Convert its image to HVM first (StartImageConversion"),
    });

    const conversionId = (await extension(url(), "StartImageConversion", { SourceImageId: shared.images.pvEnaReady, Name: "pv-to-nitro-hvm" }))
      .conversionTaskId;
    let converted: any;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      converted = list<any>((await extension(url(), "DescribeImageConversions", { "ConversionTaskId.1": conversionId })).imageConversionSet)[0];
    } while (!["succeeded", "failed", "cancelled"].includes(converted.state));
    expect(converted.state, converted.failureReason).toBe("succeeded");

    const hvm = await launch(converted.imageId, "m4.large");
    const done = await settled((await startMigration(hvm, "FullMigration")).migrationTaskId);
    expect(done.state, done.failureReason).toBe("succeeded");
    expect(await status(done.cloneInstanceId)).toBe("ok");
    expect(await status(await launch(done.goldenImageId, "m5.large"))).toBe("ok");
  });
});

describe("account scope", () => {
  it("another account cannot see, follow or start a migration of this account's instance", async () => {
    const instanceId = await launch(shared.images.hvmNoEna, "t2.micro");
    const id = (await startMigration(instanceId, "CheckOnly")).migrationTaskId;
    const stranger = await createStranger(shared.server);
    const asOther = async (action: string, params: Record<string, string>) => {
      const response = await rawRequest(url(), { params: { Action: action, Version: "2026-11-22", ...params }, credentials: stranger });
      if (response.code) throw Object.assign(new Error(response.message), { name: response.code });
      return response.xml[`${action}Response`];
    };
    await expect(asOther("DescribeNitroMigrations", { "MigrationTaskId.1": id })).rejects.toMatchObject({ name: "InvalidMigrationTaskId.NotFound" });
    expect(list<any>((await asOther("DescribeNitroMigrations", {})).nitroMigrationSet)).toEqual([]);
    await expect(asOther("StartNitroMigration", { InstanceId: instanceId, TargetInstanceType: "m5.large" })).rejects.toMatchObject({
      name: "InvalidInstanceID.NotFound",
    });
  });
});
