// The conversion's pure rules: what the image alone refuses (an instance-store root, which no API here can make),
// and the guest transformations, which a step may apply again after a crash without changing the result.
import { describe, expect, it } from "vitest";
import { checkSourceImage, copyFilesystemToPartition, destinationSize, installGrubInMbr } from "../../src/domain/conversion.js";
import type { GuestModel } from "../../src/domain/guest.js";

const pv: GuestModel = {
  os: { family: "linux", distribution: "Debian", version: "7" },
  kernel: {
    version: "3.2.0-4-amd64",
    drivers: { xenBlkfront: true, xenNetfront: true, ixgbevf: false, ena: false, nvme: false, nvidia: false },
    nvmeInInitramfs: false,
    canBootHvm: true,
  },
  bootloader: { kind: "pv-grub", menuLst: "root (hd0)\nkernel /boot/vmlinuz root=/dev/xvda1 console=hvc0\n", console: "hvc0" },
  disk: { partitionTable: "none", filesystem: "ext4", uuid: "u-1", label: "", lvm: false },
  fstabRoot: "/dev/xvda1",
};

describe("the conversion's rules", () => {
  it("refuse an instance-store source, saying how to get an EBS one", () => {
    expect(() => checkSourceImage({ imageId: "ami-1", virtualizationType: "paravirtual", rootDeviceType: "instance-store", imageType: "machine" })).toThrow(
      /instance-store image: its root disk is a bundle in S3/,
    );
  });

  it("partition the copy, add a GiB only when a table must be added, and install GRUB idempotently", () => {
    expect(destinationSize(8, pv)).toBe(9);
    const copied = copyFilesystemToPartition(pv, "ami-1");
    expect(copied.disk).toEqual({ ...pv.disk, partitionTable: "msdos" });
    expect(destinationSize(8, copied)).toBe(8);
    const installed = installGrubInMbr(copied);
    expect(installed.bootloader).toEqual({ kind: "grub-mbr", console: "ttyS0", menuLst: "root (hd0,0)\nkernel /boot/vmlinuz root=/dev/xvda1 console=ttyS0\n" });
    // fstab named a Xen device, which HVM renames: with no label, the UUID names the root now.
    expect(installed.fstabRoot).toBe("UUID=u-1");
    expect(installGrubInMbr(installed)).toEqual(installed);
    expect(installGrubInMbr({ ...copied, fstabRoot: "LABEL=/" }).fstabRoot).toBe("LABEL=/");
  });
});
