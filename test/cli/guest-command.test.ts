// `mini-ec2 guest` as a user runs it: a child process against a live server, showing a disk's guest facts and
// applying a repair, with the exit codes of the AWS CLI (254 for a service error).
import { describe, expect, it } from "vitest";
import { miniEc2 } from "../support/cli.js";
import { testServer } from "../support/server.js";

const server = testServer();
const cli = (...args: string[]) => miniEc2(server.url, args);

async function debianVolume(): Promise<string> {
  const images = JSON.parse((await cli("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=debian-jessie-*")).stdout).Images;
  const snapshotId = images[0].BlockDeviceMappings[0].Ebs.SnapshotId;
  return JSON.parse((await cli("ec2", "create-volume", "--availability-zone", "us-east-1a", "--snapshot-id", snapshotId)).stdout).VolumeId;
}

describe("mini-ec2 guest", () => {
  it("shows the facts that decide a boot, applies a repair, and refuses one that cannot apply", async () => {
    const volumeId = await debianVolume();
    const shown = await cli("guest", "--volume-id", volumeId);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.split("\n")[0]).toBe(volumeId);
    expect(shown.stdout).toMatch(/^FstabRoot +\/dev\/xvda1$/m);
    expect(shown.stdout).toMatch(/^InitramfsModules +xen-blkfront$/m);
    expect(shown.stdout).toMatch(/^BootConfigPath +\/boot\/grub\/grub\.cfg$/m);
    expect(shown.stdout).toMatch(/^GrubCfg\n {4}set default=0$/m);

    const repaired = await cli("guest", "--volume-id", volumeId, "--repair", "add-nvme-to-initramfs");
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout).toContain(`add-nvme-to-initramfs on ${volumeId}: applied\n  $ echo nvme >> /etc/initramfs-tools/modules\n`);
    expect(repaired.stdout).toMatch(/^InitramfsModules +xen-blkfront, nvme$/m);
    const again = await cli("guest", "--volume-id", volumeId, "--repair", "add-nvme-to-initramfs", "--output", "json");
    expect(JSON.parse(again.stdout)).toMatchObject({ VolumeId: volumeId, Changed: false, Guest: { NvmeInInitramfs: true } });

    const refused = await cli("guest", "--volume-id", volumeId, "--repair", "install-aws-pv-drivers");
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain("(UnsupportedOperation) when calling the RepairGuest operation: The repair 'install-aws-pv-drivers' cannot be applied");
    expect(refused.stderr).toContain("not Windows. Linux has the Xen front ends in its kernel: use install-xen-pv-drivers.");

    const help = await cli("help");
    expect(help.stdout).toMatch(/^ *guest +the facts of a disk's guest/m);
  });
});
