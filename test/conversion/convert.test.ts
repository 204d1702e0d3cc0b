// The PV → HVM conversion end to end, through the SDK, the extension API and the AWS CLI: the converted AMI boots
// GRUB from its MBR on t2 and m4 (and, with ENA, on m5); sources that cannot convert fail at the step that finds
// out, with the reason, and leave nothing behind (or everything, with KeepArtifacts); a run can be cancelled.
import {
  DescribeConversionTasksCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeVolumesCommand,
  GetConsoleOutputCommand,
  RunInstancesCommand,
  waitUntilConversionTaskCompleted,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { taskTagKey } from "../../src/services/workflows/convert-pv-to-hvm.js";
import { aws } from "../support/aws-cli.js";
import { extension } from "../support/extensions.js";
import { amazonImageIds, serverWithAmazonImages } from "../support/images.js";
import { withClockedServer } from "../support/server.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();
const items = <T>(set: { item?: T | T[] } | "" | undefined): T[] => (set && set.item !== undefined ? ([] as T[]).concat(set.item) : []);

async function start(params: Record<string, string>, url = shared.server.url): Promise<string> {
  return (await extension(url, "StartImageConversion", params)).conversionTaskId;
}
async function conversion(id: string, url = shared.server.url) {
  return items<any>((await extension(url, "DescribeImageConversions", { "ConversionTaskId.1": id })).imageConversionSet)[0];
}
/** Waits with the SDK's own waiter; resolves with the conversion as the extension describes it, whatever the outcome. */
async function settled(id: string) {
  await waitUntilConversionTaskCompleted({ client: ec2(), maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { ConversionTaskIds: [id] }).catch(() => undefined);
  return conversion(id);
}
async function launch(imageId: string, instanceType: _InstanceType) {
  return (await ec2().send(new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
}
async function console(instanceId: string) {
  return Buffer.from((await ec2().send(new GetConsoleOutputCommand({ InstanceId: instanceId }))).Output ?? "", "base64").toString();
}
async function status(instanceId: string) {
  return (await ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId] }))).InstanceStatuses![0]!.InstanceStatus!.Status;
}
/** What a conversion left, by its tag: instances not terminated, volumes not deleted. */
async function leftovers(id: string) {
  const tagged = [{ Name: `tag:${taskTagKey}`, Values: [id] }];
  const reservations = (await ec2().send(new DescribeInstancesCommand({ Filters: tagged }))).Reservations ?? [];
  const instances = reservations.flatMap((r) => r.Instances!).filter((i) => i.State!.Name !== "terminated" && i.State!.Name !== "shutting-down");
  const volumes = (await ec2().send(new DescribeVolumesCommand({ Filters: tagged }))).Volumes ?? [];
  return { instances: instances.map((i) => i.InstanceId), volumes: volumes.map((v) => v.VolumeId) };
}

describe("converting the Amazon Linux PV AMI", () => {
  it("makes an HVM AMI that boots GRUB from the MBR on t2 and m4, tags what it made, and leaves no helper behind", async () => {
    const id = await start({ SourceImageId: shared.images.pvX86, Name: "amzn-pv-converted" });
    expect(id).toMatch(/^import-ami-[0-9a-f]{17}$/);
    const done = await settled(id);
    expect(done).toMatchObject({ state: "succeeded", conversionTaskState: "completed", statusMessage: `Converted: ${done.imageId} is available.` });
    const steps = items<any>(done.stepSet);
    expect(steps.map((s) => [s.name, s.state, s.attempts])).toEqual(steps.map((s) => [s.name, "succeeded", 1]));
    expect(items<string>(steps.find((s) => s.name === "register-image").artifactSet)).toEqual([done.imageId]);
    const { ConversionTasks } = await ec2().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] }));
    expect(ConversionTasks).toMatchObject([{ ConversionTaskId: id, State: "completed" }]);

    const image = (await ec2().send(new DescribeImagesCommand({ ImageIds: [done.imageId] }))).Images![0]!;
    expect(image).toMatchObject({
      Name: "amzn-pv-converted",
      State: "available",
      VirtualizationType: "hvm",
      RootDeviceName: "/dev/xvda",
      Architecture: "x86_64",
      EnaSupport: false,
      BootMode: "legacy-bios",
    });
    expect(image.KernelId).toBeUndefined();
    expect(image.BlockDeviceMappings![0]!.Ebs!.VolumeSize).toBe(9); // a GiB more for the partition table
    expect(image.Tags).toEqual(expect.arrayContaining([{ Key: taskTagKey, Value: id }]));
    const guest = (await extension(shared.server.url, "DescribeGuest", { ImageId: done.imageId })).guest;
    expect(guest).toMatchObject({ bootloader: "grub-mbr", console: "ttyS0", partitionTable: "msdos", filesystemLabel: "/", fstabRoot: "LABEL=/" });
    expect(guest.menuLst).toContain("root (hd0,0)");
    expect(guest.menuLst).toContain("console=ttyS0");

    for (const type of ["t2.micro", "m4.large"] as const) {
      const instance = await launch(done.imageId, type);
      expect(await console(instance)).toContain("GRUB loading.");
      expect(await status(instance)).toBe("ok");
    }
    expect(await leftovers(id)).toEqual({ instances: [], volumes: [] });
    // The source is untouched and still PV: Nitro refuses it.
    await expect(launch(shared.images.pvX86, "m5.large")).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message: expect.stringContaining("Virtualization type 'hvm' is required for instances of type 'm5.large'"),
    });
  });

  it("with EnaSupport, makes an AMI that runs on m5 from a PV kernel with ena and nvme", async () => {
    const done = await settled(await start({ SourceImageId: shared.images.pvEnaReady, EnaSupport: "true" }));
    expect(done).toMatchObject({ state: "succeeded", testInstanceType: "m5.large", name: "amzn-ami-pv-2018.03.0.20190611-x86_64-ebs-hvm" });
    expect((await ec2().send(new DescribeImagesCommand({ ImageIds: [done.imageId] }))).Images![0]).toMatchObject({
      EnaSupport: true,
      SriovNetSupport: "simple",
    });
    const instance = await launch(done.imageId, "m5.large");
    expect(await console(instance)).toContain("Elastic Network Adapter");
    expect(await status(instance)).toBe("ok");
  });
});

describe("a source that cannot convert", () => {
  it.each([
    ["an old kernel without PV-on-HVM drivers", "pvOldKernel", {}, "check-source", "without PV-on-HVM drivers"],
    ["ENA asked of a guest without the ena driver", "pvX86", { EnaSupport: "true" }, "check-source", "has no ena driver"],
    ["a Windows image", "windows", {}, "check-source", "is a Windows image"],
    ["an HVM image", "al2Ena", {}, "check-source", "is already HVM"],
    ["an LVM root", "pvLvm", {}, "copy-filesystem", "copies one filesystem into one partition, so it cannot copy an LVM root"],
  ] as const)("fails with %s at the step that finds out, and removes what it made", async (_what, source, extra, failedStep, reason) => {
    const id = await start({ SourceImageId: shared.images[source], ...extra });
    const done = await settled(id);
    expect(done).toMatchObject({ state: "failed", conversionTaskState: "cancelled" });
    expect(done.failureReason).toContain(`step '${failedStep}' failed after 1 attempt`);
    expect(done.failureReason).toContain(reason);
    const steps = items<any>(done.stepSet);
    expect(steps.find((s) => s.state === "failed")?.name).toBe(failedStep);
    for (const step of steps.filter((s) => s.state === "succeeded" && items(s.artifactSet).length > 0)) expect(step.compensation).toBe("done");
    expect((await ec2().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] }))).ConversionTasks![0]!.StatusMessage).toContain(reason);
    expect(await leftovers(id)).toEqual({ instances: [], volumes: [] });
  });

  it("keeps what it made, tagged, when asked to keep the artifacts", async () => {
    const id = await start({ SourceImageId: shared.images.pvLvm, KeepArtifacts: "true" });
    expect(await settled(id)).toMatchObject({ state: "failed", keepArtifacts: true });
    const left = await leftovers(id);
    expect(left.instances).toHaveLength(1);
    expect(left.volumes).toHaveLength(3); // the helper's root, the destination and the source copy
    const { Volumes } = await ec2().send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: `tag:${taskTagKey}`, Values: [id] },
          { Name: "attachment.device", Values: ["/dev/sdo"] },
        ],
      }),
    );
    expect(Volumes![0]!.Attachments![0]).toMatchObject({ InstanceId: left.instances[0], State: "attached" });
  });
});

describe("StartImageConversion", () => {
  it("refuses at once what the request alone shows is wrong", async () => {
    const refused = (params: Record<string, string>) =>
      start(params).then(
        () => expect.unreachable(),
        (error: Error) => ({ name: error.name, message: error.message }),
      );
    expect(await refused({ SourceImageId: "ami-0123456789abcdef0" })).toMatchObject({ name: "InvalidAMIID.NotFound" });
    expect(await refused({ SourceImageId: shared.images.pvX86, TestInstanceType: "m5.large" })).toMatchObject({
      name: "InvalidParameterCombination",
      message: expect.stringContaining("requires ENA"),
    });
    expect(await refused({ SourceImageId: shared.images.pvX86, TestInstanceType: "m1.small" })).toMatchObject({ name: "InvalidParameterCombination" });
    expect(await refused({ SourceImageId: shared.images.pvX86, TestInstanceType: "x9.huge" })).toMatchObject({ name: "InvalidParameterValue" });
    expect(await refused({ SourceImageId: shared.images.pvX86, KeepSourceImage: "false" })).toMatchObject({
      name: "InvalidParameterCombination",
      message: expect.stringContaining("only its owner"),
    });
    expect(await refused({ SourceImageId: shared.images.pvX86, Name: "amzn-pv-converted" })).toMatchObject({ name: "InvalidAMIName.Duplicate" });
    await expect(ec2().send(new DescribeConversionTasksCommand({ ConversionTaskIds: ["import-ami-0123456789abcdef0"] }))).rejects.toMatchObject({
      name: "InvalidConversionTaskId.NotFound",
    });
  });

  it("returns the same conversion for the same ClientToken, and refuses the token for another request", async () => {
    const params = { SourceImageId: shared.images.pvUbuntuPartitioned, ClientToken: "once" };
    const first = await start(params);
    expect(await start(params)).toBe(first);
    await expect(start({ ...params, EnaSupport: "true" })).rejects.toMatchObject({ name: "IdempotentParameterMismatch" });
    // A partitioned source keeps its size and its msdos table.
    const done = await settled(first);
    expect(done.state).toBe("succeeded");
    expect((await ec2().send(new DescribeImagesCommand({ ImageIds: [done.imageId] }))).Images![0]!.BlockDeviceMappings![0]!.Ebs!.VolumeSize).toBe(8);
  });

  it("works from the AWS CLI: aws mini-ec2 start and describe, aws ec2 wait conversion-task-completed", async () => {
    const started = await aws(shared.server.url, ["mini-ec2", "start-image-conversion", "--source-image-id", shared.images.pvI386, "--name", "from-the-cli"]);
    expect(started.code, started.stderr).toBe(0);
    const id = started.json.ConversionTaskId;
    expect(started.json.ImageConversion).toMatchObject({ ConversionTaskId: id, SourceImageId: shared.images.pvI386, Name: "from-the-cli" });
    await expect.poll(async () => (await conversion(id)).state, { timeout: 20_000 }).toBe("succeeded");
    const waited = await aws(shared.server.url, ["ec2", "wait", "conversion-task-completed", "--conversion-task-ids", id]);
    expect(waited.code, waited.stderr).toBe(0);
    const described = await aws(shared.server.url, ["mini-ec2", "describe-image-conversions", "--conversion-task-ids", id]);
    expect(described.json.ImageConversions[0]).toMatchObject({ State: "succeeded", ConversionTaskState: "completed" });
    expect(described.json.ImageConversions[0].Steps.map((s: { Name: string }) => s.Name)).toContain("install-grub");
  });
});

describe("cancelling a conversion", () => {
  it("shows its artifacts while it runs, then stops at the next step and removes them", async () => {
    await withClockedServer(async (clocked, advance) => {
      const sdk = clocked.ec2();
      const ids = await amazonImageIds(sdk);
      const id = await start({ SourceImageId: ids.pvX86 }, clocked.url);
      // The helper is pending until the clock moves: the run waits in launch-helper, its instance already visible.
      await expect.poll(async () => items<any>((await conversion(id, clocked.url)).stepSet)[1].state, { timeout: 10_000 }).toBe("running");
      const helper = (await sdk.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${taskTagKey}`, Values: [id] }] }))).Reservations![0]!
        .Instances![0]!;
      expect(helper).toMatchObject({ State: { Name: "pending" }, VirtualizationType: "paravirtual", InstanceType: "m3.medium" });
      await extension(clocked.url, "CancelImageConversion", { ConversionTaskId: id });
      advance(60_000);
      await expect.poll(async () => (await conversion(id, clocked.url)).state, { timeout: 20_000 }).toBe("cancelled");
      const ended = await conversion(id, clocked.url);
      expect(ended).toMatchObject({ conversionTaskState: "cancelled", failureReason: "cancelled on request", cancelRequested: true });
      expect(items<any>(ended.stepSet)[1]).toMatchObject({ name: "launch-helper", state: "succeeded", compensation: "done" });
      const after = (await sdk.send(new DescribeInstancesCommand({ InstanceIds: [helper.InstanceId!] }))).Reservations![0]!.Instances![0]!;
      expect(["shutting-down", "terminated"]).toContain(after.State!.Name);
      await expect(sdk.send(new DescribeConversionTasksCommand({}))).resolves.toMatchObject({
        ConversionTasks: [{ ConversionTaskId: id, State: "cancelled" }],
      });
      await expect(extension(clocked.url, "CancelImageConversion", { ConversionTaskId: id })).rejects.toMatchObject({ name: "IncorrectState" });
    });
  });
});
