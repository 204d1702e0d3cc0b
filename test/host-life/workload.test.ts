// SetInstanceWorkload (extension) through a signed Query request: omitted members keep their values, the idle
// default until then, ranges checked, and another account's instance does not exist for the caller.
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";
import { admin } from "../support/processes.js";

const shared = serverWithAmazonImages();
let other: { accessKeyId: string; secretAccessKey: string };
let instanceId: string;

beforeAll(async () => {
  other = await admin(shared.server.databaseUrl, "create-account", "--account-id", "111122223333");
  const { Instances } = await shared.server
    .ec2()
    .send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1 }));
  instanceId = Instances![0]!.InstanceId!;
});

const numbers = (workload: Record<string, string>) => Object.fromEntries(Object.entries(workload).map(([key, value]) => [key, Number(value)]));

describe("SetInstanceWorkload", () => {
  it("starts from the idle default and changes only the members named", async () => {
    const first = await extension(shared.server.url, "SetInstanceWorkload", { InstanceId: instanceId, CpuPercent: "55" });
    expect(first.instanceId).toBe(instanceId);
    expect(numbers(first.workload)).toEqual({ cpuPercent: 55, dirtyPagesPerSecond: 256, writableWorkingSetMiB: 64, diskIops: 10, networkMbps: 1 });

    const second = await extension(shared.server.url, "SetInstanceWorkload", {
      InstanceId: instanceId,
      DirtyPagesPerSecond: "40000",
      WritableWorkingSetMiB: "12",
    });
    expect(numbers(second.workload)).toEqual({ cpuPercent: 55, dirtyPagesPerSecond: 40000, writableWorkingSetMiB: 12, diskIops: 10, networkMbps: 1 });
  });

  it("refuses values out of range with InvalidParameterValue and changes nothing", async () => {
    await expect(extension(shared.server.url, "SetInstanceWorkload", { InstanceId: instanceId, CpuPercent: "101" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("CpuPercent"),
    });
    await expect(extension(shared.server.url, "SetInstanceWorkload", { InstanceId: instanceId, DiskIops: "-1" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("DiskIops"),
    });
    const unchanged = await extension(shared.server.url, "SetInstanceWorkload", { InstanceId: instanceId });
    expect(Number(unchanged.workload.cpuPercent)).toBe(55);
  });

  it("does not find another account's instance, nor a malformed id", async () => {
    await expect(extension(shared.server.url, "SetInstanceWorkload", { InstanceId: instanceId, CpuPercent: "1" }, "us-east-1", other)).rejects.toMatchObject({
      name: "InvalidInstanceID.NotFound",
    });
    await expect(extension(shared.server.url, "SetInstanceWorkload", { InstanceId: "i-nothex" })).rejects.toMatchObject({
      name: "InvalidInstanceID.Malformed",
    });
  });
});
