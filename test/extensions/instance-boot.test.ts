// DescribeInstanceBoot through the AWS CLI (`aws mini-ec2 describe-instance-boot`): the boot log with its deciding
// lines marked, and each device's I/O path, from the facts the boot itself reads.
import { ModifyInstanceAttributeCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand, type _InstanceType } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();

interface BootAnswer {
  Booted?: boolean;
  Failure?: string;
  Hypervisor: string;
  ConsoleLines?: Array<{ Text: string; Deciding: boolean }>;
  IoPaths: Array<{ Device: string; DeviceType: string; Path: string; Driver: string; DriverPresent: boolean; Through: string }>;
}

async function launch(imageId: string, instanceType: _InstanceType): Promise<string> {
  const { Instances } = await ec2().send(
    new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }),
  );
  return Instances![0]!.InstanceId!;
}

async function describeBoot(instanceId: string): Promise<BootAnswer> {
  const result = await aws(shared.server.url, ["mini-ec2", "describe-instance-boot", "--instance-id", instanceId]);
  expect(result.code, result.stderr).toBe(0);
  return result.json as BootAnswer;
}

const decidingLines = (answer: BootAnswer) => (answer.ConsoleLines ?? []).filter((line) => line.Deciding).map((line) => line.Text);
const paths = (answer: BootAnswer) => answer.IoPaths.map(({ Device, Path, Through, DriverPresent }) => ({ Device, Path, Through, DriverPresent }));

describe("DescribeInstanceBoot", () => {
  it("marks the split drivers that bound a PV guest's disk and network, both through dom0", async () => {
    const answer = await describeBoot(await launch(shared.images.pvX86, "m1.small"));
    expect(answer).toMatchObject({ Booted: true, Hypervisor: "xen" });
    const deciding = decidingLines(answer);
    expect(deciding).toHaveLength(2);
    expect(deciding[0]).toContain("blkfront: xvda");
    expect(deciding[1]).toContain("xen_netfront");
    expect(paths(answer)).toEqual([
      { Device: "xvda", Path: "pv-split-driver", Through: "dom0", DriverPresent: true },
      { Device: "eth0", Path: "pv-split-driver", Through: "dom0", DriverPresent: true },
    ]);
  });

  it("shows NVMe and ENA on a Nitro card for a current guest", async () => {
    const answer = await describeBoot(await launch(shared.images.al2023X86, "m5.large"));
    expect(answer).toMatchObject({ Booted: true, Hypervisor: "nitro" });
    expect(paths(answer)).toEqual([
      { Device: "nvme0n1", Path: "nvme", Through: "nitro-card", DriverPresent: true },
      { Device: "eth0", Path: "ena", Through: "nitro-card", DriverPresent: true },
    ]);
  });

  it("marks a failed boot's own messages, and the NVMe disk whose driver the guest lacks", async () => {
    const id = await launch(shared.images.windows2012NoNitroDrivers, "m4.large");
    const onXen = await describeBoot(id);
    expect(paths(onXen)[0]).toEqual({ Device: "xvda", Path: "pv-on-hvm", Through: "dom0", DriverPresent: true });

    await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "m5.large" } }));
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, EnaSupport: { Value: true } }));
    await ec2().send(new StartInstancesCommand({ InstanceIds: [id] }));
    const onNitro = await describeBoot(id);
    expect(onNitro.Booted).toBe(false);
    expect(onNitro.Failure).toContain("no AWS NVMe driver");
    expect(decidingLines(onNitro)).toContain("Stop code: INACCESSIBLE_BOOT_DEVICE (0x0000007B)");
    expect(onNitro.ConsoleLines!.at(-1)!.Deciding).toBe(true);
    expect(paths(onNitro)[0]).toEqual({ Device: "nvme0n1", Path: "nvme", Through: "nitro-card", DriverPresent: false });
  });

  it("refuses an unknown or missing instance id with EC2's codes", async () => {
    const unknown = await aws(shared.server.url, ["mini-ec2", "describe-instance-boot", "--instance-id", "i-0123456789abcdef0"]);
    expect(unknown.stderr).toContain("InvalidInstanceID.NotFound");
    const malformed = await aws(shared.server.url, ["mini-ec2", "describe-instance-boot", "--instance-id", "i-nothex"]);
    expect(malformed.stderr).toContain("InvalidInstanceID.Malformed");
  });
});
