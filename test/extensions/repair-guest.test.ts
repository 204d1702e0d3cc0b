// Repairing a guest as a learner would, through the SDK (EC2's calls) and signed extension requests (RepairGuest,
// DescribeGuest, ExplainLaunch): the boot fails on Nitro with the kernel's own messages, the repairs explain names
// are applied to the stopped instance's root volume, and the instance boots.
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  GetConsoleOutputCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();
const url = () => shared.server.url;

const list = <T>(set: { item?: T | T[] } | undefined | ""): T[] => {
  const item = set && typeof set === "object" ? set.item : undefined;
  return item === undefined ? [] : Array.isArray(item) ? item : [item];
};

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
async function status(id: string): Promise<string | undefined> {
  const { InstanceStatuses } = await ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
  return InstanceStatuses![0]?.InstanceStatus?.Status;
}
async function stop(id: string): Promise<void> {
  await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
}
async function start(id: string): Promise<void> {
  await ec2().send(new StartInstancesCommand({ InstanceIds: [id] }));
}
async function moveToNitro(id: string): Promise<void> {
  await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "m5.large" } }));
  await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, EnaSupport: { Value: true } }));
}
async function repair(params: Record<string, string>) {
  return extension(url(), "RepairGuest", params);
}
async function refusal(params: Record<string, string>): Promise<{ name: string; message: string }> {
  return repair(params).then(
    () => ({ name: "none", message: "the repair was accepted" }),
    (error: Error) => ({ name: error.name, message: error.message }),
  );
}
async function explainWarnings(imageId: string, instanceType: string): Promise<Array<{ ruleId: string; fix: string }>> {
  const explained = await extension(url(), "ExplainLaunch", { ImageId: imageId, InstanceType: instanceType });
  return list<{ ruleId: string; outcome: string; fix: string }>(explained.checkSet).filter((check) => check.outcome === "warning");
}
async function volumeFromImage(imageId: string): Promise<string> {
  const { Images } = await ec2().send(new DescribeImagesCommand({ ImageIds: [imageId] }));
  const { VolumeId } = await ec2().send(
    new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId! }),
  );
  return VolumeId!;
}

describe("the lesson: a Xen HVM guest without NVMe, moved to m5.large", () => {
  it("fails with the kernel's own messages, is repaired on its stopped root volume as explain says, and boots", async () => {
    const { images } = shared;
    // Amazon Linux AMI 2016.03 (kernel 4.4): no nvme, no ena. It boots on Xen.
    const id = await launch(images.hvmNoEna, "t2.micro");
    expect(await status(id)).toBe("ok");
    const fixes = Object.fromEntries((await explainWarnings(images.hvmNoEna, "m5.large")).map((warning) => [warning.ruleId, warning.fix]));
    expect(fixes["guest-nvme-on-nitro"]).toContain("RepairGuest --repair add-nvme-to-initramfs");

    await stop(id);
    await moveToNitro(id);
    await start(id);
    expect(await status(id)).toBe("impaired");
    const failed = await consoleOf(id);
    expect(failed).toContain("Hypervisor detected: KVM");
    expect(failed).toContain("Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");

    // The running instance's root volume cannot be repaired; the stopped one's can.
    const running = await refusal({ InstanceId: id, Repair: "add-nvme-to-initramfs" });
    expect(running).toEqual({ name: "IncorrectInstanceState", message: `The instance '${id}' is not in the 'stopped' state.` });
    await stop(id);
    const nvme = await repair({ InstanceId: id, Repair: "add-nvme-to-initramfs" });
    expect(nvme.changed).toBe(true);
    expect(list(nvme.commandSet)[0]).toContain('dracut -f --add-drivers "nvme"');
    expect(list(nvme.guest.initramfsModuleSet)).toEqual(["xen-blkfront", "nvme"]);
    const again = await repair({ InstanceId: id, Repair: "add-nvme-to-initramfs" });
    expect(again.changed).toBe(false);

    // The disk is found now; the network is not: ENA is enabled and the guest has no ena driver.
    await start(id);
    expect(await status(id)).toBe("impaired");
    expect(await consoleOf(id)).toContain("ena module not found");
    await stop(id);
    const ena = await repair({ InstanceId: id, Repair: "install-ena-driver" });
    expect(list(ena.guest.kernelDriverSet)).toContain("ena");

    await start(id);
    const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(Reservations![0]!.Instances![0]).toMatchObject({ InstanceType: "m5.large", EnaSupport: true, State: { Name: "running" } });
    expect(await status(id)).toBe("ok");
    const booted = await consoleOf(id);
    expect(booted).toContain("nvme nvme0: pci function");
    expect(booted).toContain("Elastic Network Adapter (ENA)");
    expect(booted).toContain(`${id} login:`);
  });
});

describe("RepairGuest refuses what cannot apply, with the reason", () => {
  it("refuses ENA on a kernel older than 3.10 (amzn-drivers' minimum), and names the repairs it knows", async () => {
    const volumeId = await volumeFromImage(shared.images.pvLvm);
    const old = await refusal({ VolumeId: volumeId, Repair: "install-ena-driver" });
    expect(old.name).toBe("UnsupportedOperation");
    expect(old.message).toContain(`The repair 'install-ena-driver' cannot be applied to the guest on ${volumeId}`);
    expect(old.message).toContain("kernel 2.6.32-431.el6.x86_64 is older than 3.10");

    const unknown = await refusal({ VolumeId: volumeId, Repair: "defragment" });
    expect(unknown.name).toBe("InvalidParameterValue");
    expect(unknown.message).toContain("Value (defragment) for parameter Repair is invalid. Choose one of: install-ena-driver, add-nvme-to-initramfs");
    const both = await refusal({ VolumeId: volumeId, InstanceId: "i-0123456789abcdef0", Repair: "fstab-by-uuid" });
    expect(both.name).toBe("InvalidParameterCombination");
    const none = await refusal({ VolumeId: volumeId });
    expect(none).toEqual({ name: "MissingParameter", message: "The request must contain the parameter Repair" });
    const grub = await refusal({ VolumeId: await volumeFromImage(shared.images.pvX86), Repair: "install-grub2" });
    expect(grub.message).toContain("there is no MBR nor partition to put GRUB in");
  });

  it("refuses a volume attached to a running instance, and repairs a detached one", async () => {
    const id = await launch(shared.images.debianNoNvme, "t2.micro");
    const volumeId = await volumeFromImage(shared.images.debianNoNvme);
    await ec2().send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: id, Device: "/dev/sdf" }));
    const inUse = await refusal({ VolumeId: volumeId, Repair: "fstab-by-uuid" });
    expect(inUse.name).toBe("IncorrectState");
    expect(inUse.message).toContain(`Volume ${volumeId} is attached to ${id}, which is running`);

    const detached = await volumeFromImage(shared.images.debianNoNvme);
    const fstab = await repair({ VolumeId: detached, Repair: "fstab-by-uuid" });
    expect(list(fstab.guest.fstabEntrySet)).toEqual([{ device: "UUID=b8d9fa0b-7c8e-4fc0-fb0c-7d8e9fa0b1c2", mountPoint: "/", filesystem: "ext4" }]);
    const names = await repair({ VolumeId: detached, Repair: "disable-predictable-interface-names" });
    expect(names.guest).toMatchObject({ interfaceNames: "classic", persistentNetRules: false });
    expect(names.guest.grubCfg).toContain("console=ttyS0,115200n8 net.ifnames=0");
    // Debian's initramfs is built by initramfs-tools, not dracut.
    const nvme = await repair({ VolumeId: detached, Repair: "add-nvme-to-initramfs" });
    expect(list(nvme.commandSet)).toEqual(["echo nvme >> /etc/initramfs-tools/modules", "update-initramfs -u -k 3.16.0-4-amd64"]);
    const described = await extension(url(), "DescribeGuest", { VolumeId: detached });
    expect(described.guest).toMatchObject({
      kernelArchitecture: "x86_64",
      grubVersion: "grub2",
      bootConfigPath: "/boot/grub/grub.cfg",
      kernelRoot: "UUID=b8d9fa0b-7c8e-4fc0-fb0c-7d8e9fa0b1c2",
      fstabRoot: "UUID=b8d9fa0b-7c8e-4fc0-fb0c-7d8e9fa0b1c2",
      nvmeInInitramfs: true,
    });
    expect(list(described.guest.bootModeSet)).toEqual(["legacy-bios"]);
  });
});

describe("Windows: its drivers decide its boot", () => {
  it("stops with INACCESSIBLE_BOOT_DEVICE on Nitro without the AWS NVMe driver, and boots once the drivers are installed", async () => {
    const { images } = shared;
    const id = await launch(images.windows2012NoNitroDrivers, "m4.large");
    expect(await status(id)).toBe("ok");
    expect(await consoleOf(id)).toContain("AWS PV Storage Host Adapter: disk 0 online (aws PV 7.4.2)");
    const fixes = (await explainWarnings(images.windows2012NoNitroDrivers, "m5.large")).map((warning) => warning.fix);
    expect(fixes.some((fix) => fix.includes("RepairGuest --repair install-nvme-driver"))).toBe(true);

    await stop(id);
    await moveToNitro(id);
    await start(id);
    expect(await status(id)).toBe("impaired");
    expect(await consoleOf(id)).toContain("Stop code: INACCESSIBLE_BOOT_DEVICE (0x0000007B)");
    await stop(id);
    const linuxOnly = await refusal({ InstanceId: id, Repair: "add-nvme-to-initramfs" });
    expect(linuxOnly.message).toContain("Windows has no initramfs: use install-nvme-driver.");
    await repair({ InstanceId: id, Repair: "install-nvme-driver" });
    await repair({ InstanceId: id, Repair: "install-ena-driver" });
    await start(id);
    expect(await status(id)).toBe("ok");
    const booted = await consoleOf(id);
    expect(booted).toContain("AWS NVMe Elastic Block Storage Adapter: disk 0 online");
    expect(booted).toContain("Windows is Ready to use");
  });

  it("runs Windows Server 2008 on Citrix PV, and refuses the drivers it cannot take", async () => {
    const { images } = shared;
    const id = await launch(images.windows2008Citrix, "m4.large");
    expect(await status(id)).toBe("ok");
    expect(await consoleOf(id)).toContain("Citrix PV SCSI Host Adapter: disk 0 online (citrix PV 5.9)");
    const volumeId = await volumeFromImage(images.windows2008Citrix);
    for (const name of ["install-ena-driver", "install-nvme-driver", "install-aws-pv-drivers"]) {
      const refused = await refusal({ VolumeId: volumeId, Repair: name });
      expect(refused.name).toBe("UnsupportedOperation");
      expect(refused.message).toContain("installs on Windows Server 2008 R2 and later");
    }
    const described = await extension(url(), "DescribeGuest", { VolumeId: volumeId });
    expect(described.guest.windowsPvDrivers).toBe("citrix-pv 5.9");
  });
});
