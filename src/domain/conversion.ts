// The PV → HVM conversion's rules, without I/O: which sources can convert (and the explanation when one cannot),
// what each step does to the destination disk's guest, and how a run reads as an EC2 conversion task. The
// workflow (src/services/workflows/convert-pv-to-hvm.ts) applies these to real volumes; docs/conversion.md tells
// the story. The procedure is the community one in shared/reference/ec2-facts.md §3.
import type { GuestModel } from "./guest.js";
import type { Image } from "./images.js";
import { PermanentFailure, type RunState } from "./workflows.js";

export const conversionWorkflowName = "convert-pv-to-hvm";

/** What a run was asked to do; stored as the run's input, so a restart sees exactly this. */
export interface ConversionInput {
  sourceImageId: string;
  name: string;
  description?: string;
  testInstanceType: string;
  enaSupport: boolean;
  keepSourceImage: boolean;
}

/** The steps, in order, with what each one does (DescribeImageConversions lists them all, done or not). */
export const conversionSteps = [
  { name: "check-source", does: "checking that the source is a paravirtual, EBS-backed Linux image whose kernel can boot as HVM" },
  { name: "launch-helper", does: "launching a paravirtual helper instance to run the conversion on" },
  { name: "create-destination-volume", does: "creating the destination volume (a GiB larger when a partition table must be added)" },
  { name: "create-source-volume", does: "creating a volume from the source's root snapshot" },
  { name: "attach-volumes", does: "attaching the source volume at /dev/sdm and the destination at /dev/sdo of the helper" },
  { name: "copy-filesystem", does: "partitioning the destination (msdos) and copying the source filesystem into its first partition" },
  { name: "install-grub", does: "installing GRUB in the destination's MBR and rewriting menu.lst for HVM" },
  { name: "snapshot-destination", does: "snapshotting the destination volume" },
  { name: "register-image", does: "registering the HVM image (root /dev/xvda)" },
  { name: "launch-test-instance", does: "launching a test instance of the new image on an HVM type" },
  { name: "check-test-instance", does: "waiting for the test instance's status checks" },
  { name: "clean-up", does: "terminating the helper and test instances and deleting the temporary volumes" },
  { name: "deregister-source", does: "deregistering the source image (KeepSourceImage=false)" },
] as const;

export type ConversionStepName = (typeof conversionSteps)[number]["name"];

/** The steps a run goes through: deregister-source only when the source is not kept. */
export function plannedSteps(input: Pick<ConversionInput, "keepSourceImage">): ReadonlyArray<(typeof conversionSteps)[number]> {
  return conversionSteps.filter((step) => step.name !== "deregister-source" || !input.keepSourceImage);
}

const refuse = (message: string) => new PermanentFailure(message);

/** What the image alone tells: a Windows, HVM or instance-store image stops here. */
export function checkSourceImage(image: Pick<Image, "imageId" | "platform" | "virtualizationType" | "rootDeviceType" | "imageType">): void {
  if (image.platform === "windows") {
    throw refuse(
      `${image.imageId} is a Windows image. Windows AMIs are HVM already and boot with the Windows Boot Manager, not GRUB; this procedure converts Linux PV images only.`,
    );
  }
  if (image.virtualizationType !== "paravirtual") {
    throw refuse(`${image.imageId} is already HVM: there is nothing to convert. Launch it on an HVM type as it is.`);
  }
  if (image.rootDeviceType !== "ebs") {
    throw refuse(
      `${image.imageId} is an instance-store image: its root disk is a bundle in S3, not an EBS snapshot, so there is no volume to copy. Launch it, copy its root filesystem to an EBS volume, register an EBS-backed PV image from a snapshot of that volume, and convert that.`,
    );
  }
}

/** What the source's disk tells: a kernel without PV-on-HVM drivers cannot boot as HVM; ENA needs the ena driver. */
export function checkSourceGuest(imageId: string, guest: GuestModel | undefined, options: { enaSupport: boolean }): GuestModel {
  if (!guest) throw refuse(`The root snapshot of ${imageId} is a blank disk: it holds no operating system to convert.`);
  if (guest.os.family !== "linux") throw refuse(`${imageId} runs ${guest.os.distribution}, not Linux; this procedure converts Linux PV images only.`);
  if (!guest.kernel.canBootHvm) {
    throw refuse(
      `The kernel of ${imageId} (${guest.kernel.version}) is a Xen PV-only kernel without PV-on-HVM drivers: as an HVM guest it would find no disk and no network. Install a kernel with PV-on-HVM drivers (xen-blkfront and xen-netfront for HVM, in distributions since about 2.6.32) in the PV image first, then convert.`,
    );
  }
  if (options.enaSupport && !guest.kernel.drivers.ena) {
    throw refuse(
      `EnaSupport was asked for, but the kernel of ${imageId} (${guest.kernel.version}) has no ena driver: an ENA-enabled image of it would boot without network. Convert without EnaSupport (the image then runs on Xen types such as t2 and m4), or install the ena module first.`,
    );
  }
  return guest;
}

/** The destination is a GiB larger when the source's filesystem starts at sector 0 and a partition table must go before it. */
export function destinationSize(sourceSizeGiB: number, guest: GuestModel): number {
  return guest.disk.partitionTable === "none" ? sourceSizeGiB + 1 : sourceSizeGiB;
}

/**
 * `parted mklabel msdos mkpart primary 1M -1s` and `dd` of the source filesystem into the first partition (or of the
 * whole disk when it is partitioned already): the same filesystem, UUID and label, now behind an msdos table.
 * An LVM root cannot be copied this way: the step that finds it out fails.
 */
export function copyFilesystemToPartition(source: GuestModel, imageId: string): GuestModel {
  if (source.disk.lvm) {
    throw refuse(
      `The root filesystem of ${imageId} is a logical volume (LVM, with /boot on a partition of its own): this procedure copies one filesystem into one partition, so it cannot copy an LVM root, nor can AWS's own migration (AWSSupport-MigrateXenToNitroLinux's FullMigration does not support LVM roots). Move the root onto a plain partition first, or rebuild the image as HVM.`,
    );
  }
  if (source.disk.partitionTable === "gpt") {
    throw refuse(
      `The disk of ${imageId} has a GPT partition table, which GRUB legacy in the MBR cannot boot. Use an msdos partition table or an unpartitioned disk.`,
    );
  }
  return { ...source, disk: { ...source.disk, partitionTable: "msdos" } };
}

/**
 * `grub --batch` with `device (hd0) /dev/xvdo; root (hd0,0); setup (hd0)`, then menu.lst rewritten: `(hd0)` becomes
 * `(hd0,0)` (the filesystem is in the first partition now) and the console becomes ttyS0 (HVM's serial console).
 * /etc/fstab is left alone unless it names a Xen device, which HVM renames (it then names the root by label).
 * Applying it twice changes nothing more.
 */
export function installGrubInMbr(guest: GuestModel): GuestModel {
  const menuLst = (guest.bootloader.menuLst ?? "")
    .replace(/\(hd0\)/g, "(hd0,0)")
    .replace(/\(hd00\)/g, "(hd0,0)")
    .replace(/console=hvc0/g, "console=ttyS0");
  const xenDevice = /^\/dev\/(xvd|sd)[a-z]\d*$/.test(guest.fstabRoot);
  const fstabRoot = xenDevice ? (guest.disk.label ? `LABEL=${guest.disk.label}` : `UUID=${guest.disk.uuid}`) : guest.fstabRoot;
  return { ...guest, bootloader: { kind: "grub-mbr", menuLst, console: "ttyS0" }, fstabRoot };
}

/** The test launch's default type: a Nitro type when the image claims ENA, a Xen HVM type otherwise. */
export function defaultTestInstanceType(enaSupport: boolean): string {
  return enaSupport ? "m5.large" : "t2.micro";
}

/** EC2's ConversionTask state for a run: waiters succeed on completed and fail on cancelling or cancelled. */
export function conversionTaskState(state: RunState): "active" | "cancelling" | "cancelled" | "completed" {
  switch (state) {
    case "queued":
    case "running":
      return "active";
    case "compensating":
      return "cancelling";
    case "succeeded":
      return "completed";
    default:
      return "cancelled";
  }
}

export interface StepView {
  name: string;
  state: "pending" | "running" | "succeeded" | "failed";
}

/** One line for StatusMessage: the step under way, the result, or why the run ended. */
export function statusMessage(
  run: { state: RunState; failureReason?: string; output?: unknown; cancelRequested: boolean },
  steps: readonly StepView[],
): string {
  if (run.state === "succeeded") return `Converted: ${(run.output as { imageId?: string } | undefined)?.imageId ?? "the new image"} is available.`;
  if (run.state === "failed" || run.state === "cancelled") return run.failureReason ?? run.state;
  if (run.state === "compensating") return `Cleaning up after: ${run.failureReason ?? "a cancel request"}`;
  const index = steps.findIndex((step) => step.state !== "succeeded");
  if (index < 0) return "Finishing.";
  const does = conversionSteps.find((step) => step.name === steps[index]!.name)?.does ?? steps[index]!.name;
  return `Step ${index + 1} of ${steps.length} (${steps[index]!.name}): ${does}${run.cancelRequested ? "; cancelling at the next step" : ""}.`;
}

/** The keys under which a step's stored result names a resource the step made. */
const artifactKeys = ["instanceId", "volumeId", "snapshotId", "imageId"];

/** The resources a step made (an instance, a volume, a snapshot, an image), from its stored result. */
export function artifactsOf(result: unknown): string[] {
  if (!result || typeof result !== "object") return [];
  return artifactKeys.flatMap((key) => {
    const value = (result as Record<string, unknown>)[key];
    return typeof value === "string" ? [value] : [];
  });
}
