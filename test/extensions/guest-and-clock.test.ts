// The extension operations through a real client: the AWS CLI, with mini-ec2's model added as `aws mini-ec2`.
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { testServer } from "../support/server.js";

const server = testServer();

async function amazonImage(name: string): Promise<string> {
  const { Images } = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [name] }] }));
  return Images![0]!.ImageId!;
}

describe("DescribeGuest", () => {
  it("shows the guest of a PV image: PV-GRUB reading menu.lst from an unpartitioned disk", async () => {
    const imageId = await amazonImage("amzn-ami-pv-2013.09.2.x86_64-ebs");
    const result = await aws(server.url, ["mini-ec2", "describe-guest", "--image-id", imageId]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.ResourceId).toBe(imageId);
    expect(result.json.SnapshotId).toMatch(/^snap-/);
    expect(result.json.Guest).toMatchObject({
      Bootloader: "pv-grub",
      PartitionTable: "none",
      Console: "hvc0",
      KernelDrivers: ["xen-blkfront", "xen-netfront"],
    });
    expect(result.json.Guest.MenuLst).toContain("root (hd0)\n");

    const bySnapshot = await aws(server.url, ["mini-ec2", "describe-guest", "--snapshot-id", result.json.SnapshotId]);
    expect(bySnapshot.json.Guest).toEqual(result.json.Guest);
  });

  it("shows an HVM guest that lacks the NVMe driver in its initramfs and names its root by device", async () => {
    const { Images } = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["debian-jessie-*"] }] }));
    const result = await aws(server.url, ["mini-ec2", "describe-guest", "--image-id", Images![0]!.ImageId!]);
    expect(result.json.Guest).toMatchObject({ Bootloader: "grub-mbr", NvmeInInitramfs: false, FstabRoot: "/dev/xvda1" });
  });

  it("rejects a malformed or unknown id, and a request naming no disk or two", async () => {
    const malformed = await aws(server.url, ["mini-ec2", "describe-guest", "--image-id", "ami-nothex!"]);
    expect(malformed.stderr).toContain('(InvalidAMIID.Malformed) when calling the DescribeGuest operation: Invalid id: "ami-nothex!"');
    const unknown = await aws(server.url, ["mini-ec2", "describe-guest", "--snapshot-id", "snap-0123456789abcdef0"]);
    expect(unknown.stderr).toContain(
      "(InvalidSnapshot.NotFound) when calling the DescribeGuest operation: The snapshot 'snap-0123456789abcdef0' does not exist.",
    );
    const none = await aws(server.url, ["mini-ec2", "describe-guest"]);
    expect(none.stderr).toContain(
      "(InvalidParameterCombination) when calling the DescribeGuest operation: Pass exactly one of ImageId, SnapshotId, VolumeId and InstanceId.",
    );
  });
});

describe("AdvanceClock", () => {
  it("moves the virtual clock forward only, and leaves signatures on the wall clock", async () => {
    const before = await aws(server.url, ["mini-ec2", "advance-clock", "--seconds", "0"]);
    const after = await aws(server.url, ["mini-ec2", "advance-clock", "--seconds", "7200"]);
    expect(after.code, after.stderr).toBe(0);
    expect(after.json.OffsetSeconds - before.json.OffsetSeconds).toBe(7200);
    expect(Date.parse(after.json.Now) - Date.parse(before.json.Now)).toBeGreaterThanOrEqual(7200_000);
    // Two hours ahead, a request signed now still verifies: the skew check uses the wall clock.
    const images = await server.ec2().send(new DescribeImagesCommand({ Owners: ["self"] }));
    expect(images.Images).toEqual([]);

    const backwards = await aws(server.url, ["mini-ec2", "advance-clock", "--seconds", "-5"]);
    expect(backwards.stderr).toContain("(InvalidParameterValue) when calling the AdvanceClock operation: The clock moves forward only");
  });
});
