// What really decides a boot, through the SDK: the guest's boot paths against the firmware (uefi-preferred on Xen),
// its kernel's architecture against PV-GRUB's, the VF driver SR-IOV needs, and the bootloader configuration the
// installed GRUB reads (its root=), apart from /etc/fstab.
import {
  DescribeImagesCommand,
  DescribeInstanceStatusCommand,
  GetConsoleOutputCommand,
  ModifyInstanceAttributeCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { advanceClock, extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

const server = testServer({ MINI_EC2_DELAYS: "real" });
const ec2 = () => server.ec2();
let images: Awaited<ReturnType<typeof amazonImageIds>>;
beforeAll(async () => {
  images = await amazonImageIds(ec2());
  await advanceClock(server.url, 10);
});

async function launch(imageId: string, instanceType: _InstanceType): Promise<string> {
  const { Instances } = await ec2().send(
    new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }),
  );
  return Instances![0]!.InstanceId!;
}
async function consoleOf(id: string): Promise<string> {
  const { Output } = await ec2().send(new GetConsoleOutputCommand({ InstanceId: id }));
  return Buffer.from(Output ?? "", "base64").toString("utf8");
}
async function reachability(id: string): Promise<string | undefined> {
  const { InstanceStatuses } = await ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
  return InstanceStatuses![0]?.InstanceStatus?.Status;
}
async function bootedAfterAWhile(imageId: string, type: _InstanceType): Promise<{ id: string; log: string; status: string | undefined }> {
  const id = await launch(imageId, type);
  await advanceClock(server.url, 60);
  return { id, log: await consoleOf(id), status: await reachability(id) };
}
/** A CentOS 7 HVM image with a custom kernel (no ixgbevf) whose grub.cfg names root=/dev/xvda1 and fstab the UUID. */
async function customCentos(): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["centos-7-*-custom-kernel-*"] }] }));
  return Images![0]!.ImageId!;
}
async function rootSnapshotOf(imageId: string): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ ImageIds: [imageId] }));
  return Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
}

describe("uefi-preferred", () => {
  it("boots Amazon Linux 2023 with legacy BIOS on Xen and with UEFI on Nitro, as explain says", async () => {
    const xen = await bootedAfterAWhile(images.al2023X86, "m4.large");
    expect(xen.log).toContain("SeaBIOS (version 1.10.2-xen)");
    expect(xen.log).toContain("GRUB loading.");
    expect(xen.log).not.toContain("No bootable device");
    expect(xen.status).toBe("ok");
    const explained = await extension(server.url, "ExplainLaunch", { ImageId: images.al2023X86, InstanceType: "m4.large" });
    const bootMode = (explained.checkSet.item as Array<{ ruleId: string; outcome: string; reason: string }>).find((c) => c.ruleId === "boot-mode-uefi");
    expect(bootMode).toMatchObject({ outcome: "passed", reason: expect.stringContaining("legacy-bios") });

    const nitro = await bootedAfterAWhile(images.al2023X86, "m5.large");
    expect(nitro.log).toContain("UEFI firmware (Nitro)");
    expect(nitro.status).toBe("ok");
  });
});

describe("the guest's architecture decides PV-GRUB", () => {
  it("an x86_64 disk registered as i386 gets the 32-bit PV-GRUB, which cannot start its 64-bit kernel", async () => {
    const snapshotId = await rootSnapshotOf(images.pvX86);
    const { ImageId } = await ec2().send(
      new RegisterImageCommand({
        Name: "x86_64-disk-as-i386",
        Architecture: "i386",
        VirtualizationType: "paravirtual",
        RootDeviceName: "/dev/sda1",
        BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: snapshotId } }],
      }),
    );
    await advanceClock(server.url, 60);
    const { log, status } = await bootedAfterAWhile(ImageId!, "m1.small");
    expect(log).toContain("pv-grub-hd0_1.05-i386");
    expect(log).toContain("Error 13: Invalid or unsupported executable format");
    expect(log).not.toContain("Linux version");
    expect(status).toBe("impaired");
  });

  it("and the reverse: an i386 disk registered as x86_64 does not start under the 64-bit PV-GRUB", async () => {
    const snapshotId = await rootSnapshotOf(images.pvI386);
    const { ImageId } = await ec2().send(
      new RegisterImageCommand({
        Name: "i386-disk-as-x86_64",
        Architecture: "x86_64",
        VirtualizationType: "paravirtual",
        RootDeviceName: "/dev/sda1",
        BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { SnapshotId: snapshotId } }],
      }),
    );
    await advanceClock(server.url, 60);
    const { log, status } = await bootedAfterAWhile(ImageId!, "m3.medium");
    expect(log).toContain("Error 13: Invalid or unsupported executable format");
    expect(status).toBe("impaired");
  });
});

describe("SR-IOV needs the guest's VF driver", () => {
  it("SriovNetSupport=simple on a guest without ixgbevf leaves an m4 instance without network", async () => {
    const healthy = await bootedAfterAWhile(await customCentos(), "m4.large");
    expect(healthy.log).toContain("xen_netfront");
    expect(healthy.status).toBe("ok");
    await ec2().send(new StopInstancesCommand({ InstanceIds: [healthy.id] }));
    await advanceClock(server.url, 60);
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: healthy.id, SriovNetSupport: { Value: "simple" } }));
    await ec2().send(new StartInstancesCommand({ InstanceIds: [healthy.id] }));
    await advanceClock(server.url, 60);
    const log = await consoleOf(healthy.id);
    expect(log).toContain("no network interfaces found");
    expect(log).not.toContain("login:");
    expect(await reachability(healthy.id)).toBe("impaired");
  });
});

describe("HVM reads the bootloader configuration its GRUB reads", () => {
  it("a grub.cfg with root=/dev/xvda1 boots on Xen and fails on Nitro at root=, though fstab names the root by UUID", async () => {
    const imageId = await customCentos();
    const xen = await bootedAfterAWhile(imageId, "m4.large");
    expect(xen.log).toContain("Command line: BOOT_IMAGE=/boot/vmlinuz-4.19.152-custom root=/dev/xvda1");
    expect(xen.status).toBe("ok");
    const nitro = await bootedAfterAWhile(imageId, "m5.large");
    expect(nitro.log).toContain("root=/dev/xvda1");
    expect(nitro.log).toContain("Warning: /dev/xvda1 does not exist");
    expect(nitro.log).not.toContain("Dependency failed for /.");
    expect(nitro.status).toBe("impaired");
  });
});

describe("bare metal", () => {
  it("launches i3.metal and m5.metal on bare-metal servers: no hypervisor in the console, and the fleet says so", async () => {
    for (const type of ["i3.metal", "m5.metal"] as const) {
      const { id, log, status } = await bootedAfterAWhile(images.al2Ena, type);
      expect(log).not.toMatch(/KVM|Xen/);
      expect(log).toContain("no hypervisor");
      expect(status).toBe("ok");
      const fleet = await extension(server.url, "DescribeFleet", {});
      const servers = fleet.serverSet.item as Array<{ hostClass: string; hypervisor: string; instanceSet?: { item: unknown } }>;
      const holding = servers.filter((s) => JSON.stringify(s.instanceSet ?? {}).includes(id));
      expect(holding).toEqual([expect.objectContaining({ hypervisor: "none" })]);
    }
  });
});

describe("details that were false", () => {
  it("m3.medium runs no 32-bit image, and the 32-bit rule does not say it does", async () => {
    const refused = await ec2()
      .send(new RunInstancesCommand({ ImageId: images.pvI386, InstanceType: "m3.medium", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(refused.name).toBe("InvalidParameterValue");
    const explained = await extension(server.url, "ExplainLaunch", { ImageId: images.pvI386, InstanceType: "m3.medium" });
    const rule = (explained.checkSet.item as Array<{ ruleId: string; explanation: string }>).find((c) => c.ruleId === "architecture-32-bit");
    expect(rule!.explanation).toContain("c3.large");
    expect(rule!.explanation).not.toContain("m3.medium");
  });

  it("a macOS AMI at default tenancy is told Mac instances need a Dedicated Host, not that capacity ran out", async () => {
    const snapshotId = await rootSnapshotOf(images.al2Ena);
    const { ImageId } = await ec2().send(
      new RegisterImageCommand({
        Name: "macos-like",
        Architecture: "x86_64_mac",
        VirtualizationType: "hvm",
        EnaSupport: true,
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
      }),
    );
    await advanceClock(server.url, 60);
    const refused = await ec2()
      .send(new RunInstancesCommand({ ImageId, InstanceType: "mac1.metal", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(refused.name).toBe("InvalidParameterCombination");
    expect(refused.message).toContain("Mac instances need a Dedicated Host");
  });
});
