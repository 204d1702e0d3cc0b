// Machine, kernel and ramdisk images: the record, its state on the clock, and EC2's rules for registering one.
import { type Ec2Error, Errors } from "./errors.js";
import { isWellFormedId } from "./ids.js";
import type { Tag } from "./tags.js";
import { checkUefiData } from "./uefi.js";

export interface BlockDeviceMapping {
  DeviceName: string;
  Ebs?: {
    SnapshotId?: string;
    VolumeSize?: number;
    VolumeType?: string;
    DeleteOnTermination?: boolean;
    Encrypted?: boolean;
    KmsKeyId?: string;
    Iops?: number;
    Throughput?: number;
  };
  VirtualName?: string;
  NoDevice?: string;
}

export interface Image {
  imageId: string;
  accountId: string;
  region: string;
  ownerAlias?: string;
  name: string;
  description?: string;
  public: boolean;
  imageType: "machine" | "kernel" | "ramdisk";
  architecture: "i386" | "x86_64" | "arm64" | "x86_64_mac" | "arm64_mac";
  virtualizationType: "paravirtual" | "hvm";
  kernelId?: string;
  ramdiskId?: string;
  rootDeviceName?: string;
  rootDeviceType: "ebs" | "instance-store";
  blockDeviceMappings: BlockDeviceMapping[];
  enaSupport: boolean;
  sriovNetSupport?: "simple";
  bootMode?: "legacy-bios" | "uefi" | "uefi-preferred";
  /** RegisterImage's UefiData: the variable store its UEFI instances start with (domain/uefi.ts). */
  uefiData?: string;
  platform?: "windows";
  createdAt: Date;
  availableAt: Date;
  /** A copy made by CopyImage: the image and region it was copied from, and the caller's ClientToken. */
  sourceImageId?: string;
  sourceRegion?: string;
  clientToken?: string;
  launchPermissions: string[];
  tags: Tag[];
  /** When DeregisterImage removed it: DescribeImages still shows it, deregistered, for deregisteredVisibleMs. */
  deregisteredAt?: Date;
}

export type ImageState = "pending" | "available" | "deregistered";

/**
 * How long DescribeImages shows a deregistered image ("for a short interval", EC2 says, without a figure), on the
 * clock: then it is NotFound. Long enough for a tool's wait loop to see the state (docs/decisions.md).
 */
export const deregisteredVisibleMs = 10 * 60 * 1000;

/** Whether a deregistered image is still shown. */
export function stillShown(image: Pick<Image, "deregisteredAt">, now: Date): boolean {
  return image.deregisteredAt === undefined || now.getTime() < image.deregisteredAt.getTime() + deregisteredVisibleMs;
}

/** A new EBS-backed machine image of the caller's, private, with no launch permissions yet (RegisterImage, CreateImage). */
export function privateMachineImage(
  scope: { accountId: string; region: string },
  fields: Omit<Image, "accountId" | "region" | "public" | "imageType" | "rootDeviceType" | "launchPermissions">,
): Image {
  return { ...fields, accountId: scope.accountId, region: scope.region, public: false, imageType: "machine", rootDeviceType: "ebs", launchPermissions: [] };
}

export function imageState(image: Pick<Image, "availableAt" | "deregisteredAt">, now: Date): ImageState {
  if (image.deregisteredAt) return "deregistered";
  return now.getTime() >= image.availableAt.getTime() ? "available" : "pending";
}

/** Who may see and launch an image: its owner, everyone when public, and the accounts it was shared with. */
export function canLaunch(image: Pick<Image, "accountId" | "public" | "launchPermissions">, accountId: string): boolean {
  return image.accountId === accountId || image.public || image.launchPermissions.includes(accountId);
}

/**
 * DescribeImages' ExecutableBy: `all` is the public images; `self` (or the caller's own id) the images shared with
 * the caller by explicit launch permission; another account id, the images shared with that account.
 */
export function isExecutableBy(image: Pick<Image, "public" | "launchPermissions">, user: string, callerAccountId: string): boolean {
  return user === "all" ? image.public : image.launchPermissions.includes(user === "self" ? callerAccountId : user);
}

const namePattern = /^[A-Za-z0-9()[\]./\-'@_ ]{3,128}$/;

export function validateImageName(name: string): void {
  if (!namePattern.test(name)) {
    throw Errors.invalidAmiNameMalformed(
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, spaces, " + "'(', ')', '[', ']', '.', '/', '-', ''', '@' and '_'",
    );
  }
}

/** Root device names EC2 accepts per virtualization type (User Guide, device naming). */
export const rootDeviceNames: Record<Image["virtualizationType"], readonly string[]> = {
  paravirtual: ["/dev/sda1", "/dev/sda"],
  hvm: ["/dev/sda1", "/dev/xvda"],
};

export interface RegistrationRequest {
  virtualizationType: Image["virtualizationType"];
  architecture: Image["architecture"];
  rootDeviceName: string;
  enaSupport?: boolean;
  sriovNetSupport?: string;
  bootMode?: Image["bootMode"];
  uefiData?: string;
  kernelId?: string;
  ramdiskId?: string;
}

/** The rules that need nothing but the request itself. */
export function checkRegistration(request: RegistrationRequest): void {
  const { virtualizationType, architecture } = request;
  if (!rootDeviceNames[virtualizationType].includes(request.rootDeviceName)) {
    throw Errors.invalidParameterValue(
      `The root device name '${request.rootDeviceName}' is not valid for a ${virtualizationType} image. ` +
        `Use ${rootDeviceNames[virtualizationType].join(" or ")}.`,
    );
  }
  if (virtualizationType === "paravirtual" && (request.enaSupport || request.sriovNetSupport)) {
    throw Errors.invalidParameterCombination(
      "Enhanced networking (EnaSupport, SriovNetSupport) is supported only for HVM AMIs. Specifying it with a PV AMI can make " +
        "instances launched from the AMI unreachable. Register the image with --virtualization-type hvm, or drop the option.",
    );
  }
  if (request.sriovNetSupport !== undefined && request.sriovNetSupport !== "simple") {
    throw Errors.invalidSriovNetSupport(request.sriovNetSupport);
  }
  if (virtualizationType === "hvm" && (request.kernelId || request.ramdiskId)) {
    throw Errors.invalidParameterCombination(
      "A kernel or ramdisk image applies only to paravirtual images: an HVM image boots from the bootloader in its own disk. Drop --kernel-id and --ramdisk-id.",
    );
  }
  if (request.bootMode === "uefi" && virtualizationType === "paravirtual") {
    throw Errors.invalidParameterCombination("UEFI boot needs an HVM image: a paravirtual image boots through PV-GRUB.");
  }
  if (request.uefiData !== undefined) {
    if (virtualizationType === "paravirtual" || request.bootMode === "legacy-bios") {
      throw Errors.invalidParameterCombination("UefiData needs an image that boots with UEFI: an HVM image whose BootMode is uefi or uefi-preferred.");
    }
    checkUefiData(request.uefiData);
  }
  if (request.bootMode === "uefi" && architecture === "i386") {
    throw Errors.invalidParameterCombination("UEFI boot is not available for i386 images. Use legacy-bios, or an x86_64 or arm64 image.");
  }
}

export type KernelImage = Pick<Image, "imageId" | "imageType" | "architecture" | "name">;

export type KernelFault = "missing" | "not-pv-grub" | "other-architecture";

/** What keeps a PV image from booting this kernel (AKI): Xen starts it, so it must be PV-GRUB of the image's architecture. */
export function kernelFault(kernel: KernelImage | undefined, architecture: string): KernelFault | undefined {
  if (!kernel) return "missing";
  if (kernel.imageType !== "kernel" || !kernel.name.startsWith("pv-grub")) return "not-pv-grub";
  return kernel.architecture === architecture ? undefined : "other-architecture";
}

/** EC2's error for a kernel the image cannot boot, or none; at RegisterImage the image has no id yet. */
export function kernelError(kernelId: string, kernel: KernelImage | undefined, image: { imageId?: string; architecture: string }): Ec2Error | undefined {
  switch (kernelFault(kernel, image.architecture)) {
    case "missing":
      return Errors.amiNotFound([kernelId]);
    case "not-pv-grub":
      return Errors.notPvGrubKernel(kernelId);
    case "other-architecture":
      return Errors.kernelArchitectureMismatch(kernelId, kernel!.architecture, image);
    default:
      return undefined;
  }
}

/** RegisterImage: a PV image's kernel must be one it boots. */
export function checkKernel(kernel: KernelImage | undefined, kernelId: string, architecture: string): void {
  const error = kernelError(kernelId, kernel, { architecture });
  if (error) throw error;
}

/**
 * Why a ramdisk (ARI) RegisterImage or RunInstances names is refused, given the image found under its id (one the
 * caller may use): a malformed id, no such ramdisk (InvalidAMIID.NotFound, as for a kernel: ramdisks are images), or,
 * for one that exists, that PV-GRUB, the only kind of kernel here, takes no ramdisk; an HVM image or instance takes none
 * at all (checked first, as for a kernel). Every ramdisk is refused.
 */
export function ramdiskRefusal(ramdiskId: string, ramdisk: KernelImage | undefined, virtualizationType: Image["virtualizationType"]): Ec2Error {
  if (virtualizationType === "hvm") return Errors.ramdiskOnHvm();
  if (!isWellFormedId(ramdiskId, "ari")) return Errors.ramdiskMalformed(ramdiskId);
  if (!ramdisk || ramdisk.imageType !== "ramdisk") return Errors.amiNotFound([ramdiskId]);
  return Errors.ramdiskWithPvGrub();
}

/** What EC2 reports as PlatformDetails and UsageOperation (the billing product) for an image and its instances. */
export function billingOf(resource: { platform?: "windows" }): { platformDetails: string; usageOperation: string } {
  return resource.platform === "windows"
    ? { platformDetails: "Windows", usageOperation: "RunInstances:0002" }
    : { platformDetails: "Linux/UNIX", usageOperation: "RunInstances" };
}
