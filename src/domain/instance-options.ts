// The settings RunInstances takes beyond image, type and placement, which EC2 keeps on the instance and shows back:
// instance metadata options, the shutdown behaviour, EBS optimization, detailed monitoring, hibernation, CPU
// options, stop protection, the instance profile and the source/destination check. There is no metadata service,
// CloudWatch or IAM here: each is kept, checked as EC2 checks it, and shown by DescribeInstances and
// DescribeInstanceAttribute (docs/decisions.md).
import { createHash } from "node:crypto";
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { CreditMode } from "./burstable.js";
import { type InstanceCredits, launchCreditMode, launchCredits } from "./credit-specification.js";
import { Errors } from "./errors.js";

export interface MetadataOptions {
  httpTokens: "optional" | "required";
  httpEndpoint: "enabled" | "disabled";
  httpPutResponseHopLimit: number;
  httpProtocolIpv6: "enabled" | "disabled";
  instanceMetadataTags: "enabled" | "disabled";
}

export interface InstanceOptions {
  metadata: MetadataOptions;
  shutdownBehavior: "stop" | "terminate";
  ebsOptimized: boolean;
  monitoring: boolean;
  hibernation: boolean;
  /** Only when the launch asked for other than the type's defaults. */
  cpu?: { coreCount: number; threadsPerCore: number };
  disableApiStop: boolean;
  /** `associatedAt` (ISO time) when AssociateIamInstanceProfile set it after the launch; else the launch time. */
  iamInstanceProfile?: { arn: string; id: string; associatedAt?: string };
  sourceDestCheck: boolean;
  /** Burstable types only: the credit mode and its history (domain/credit-specification.ts). */
  credits?: InstanceCredits;

  /** The primary interface shows a public address while running (its subnet's MapPublicIpOnLaunch, or AssociatePublicIpAddress). */
  publicIpOnLaunch?: boolean;
  /** ModifyInstanceMaintenanceOptions; absent on instances that never changed them (EC2's defaults). */
  maintenance?: InstanceMaintenance;
  /**
   * The instance store (ephemeral) volumes it was launched with, by device name: on Xen types those the block
   * device mappings name (ephemeralN, up to the type's disks); on Nitro types every NVMe instance store disk.
   * Not shown by DescribeInstances (EC2 lists EBS volumes only); the Xen to Nitro migration's checks read it.
   */
  instanceStore?: string[];
}

/** Simplified automatic recovery on a failed server, and reboot migration at a reboot with a system-reboot event. */
export interface InstanceMaintenance {
  autoRecovery: "default" | "disabled";
  rebootMigration: "default" | "disabled";
}

export const defaultInstanceMaintenance: InstanceMaintenance = { autoRecovery: "default", rebootMigration: "default" };

/** What RunInstances asked for, in its own members' terms (absent: EC2's default). */
export interface RequestedOptions {
  metadata?: Partial<MetadataOptions>;
  shutdownBehavior?: string;
  ebsOptimized?: boolean;
  monitoring?: boolean;
  hibernation?: boolean;
  cpu?: { coreCount?: number; threadsPerCore?: number };
  disableApiStop?: boolean;
  iamInstanceProfile?: { arn?: string; name?: string };
  /** CreditSpecification.CpuCredits, as sent. */
  cpuCredits?: string;
  autoRecovery?: InstanceMaintenance["autoRecovery"];
}

const defaultMetadata: MetadataOptions = {
  httpTokens: "optional",
  httpEndpoint: "enabled",
  httpPutResponseHopLimit: 1,
  httpProtocolIpv6: "disabled",
  instanceMetadataTags: "disabled",
};

/** EC2 limits user data to 16 KB before base64 encoding. */
export const userDataLimitBytes = 16 * 1024;

export function checkUserData(base64: string | undefined): void {
  if (base64 === undefined) return;
  const size = Buffer.from(base64, "base64").length;
  if (size > userDataLimitBytes) throw Errors.userDataTooLarge(size);
}

/**
 * EC2's defaults for an image without ImdsSupport v2.0 (no image here says v2.0): IMDSv1 and v2, one hop. A change
 * (ModifyInstanceMetadataOptions) applies over the instance's current options.
 */
export function metadataOptions(requested: Partial<MetadataOptions> | undefined, current: MetadataOptions = defaultMetadata): MetadataOptions {
  const base = current;
  const hops = requested?.httpPutResponseHopLimit;
  if (hops !== undefined && (!Number.isInteger(hops) || hops < 1 || hops > 64)) {
    throw Errors.invalidParameterValue(`The HttpPutResponseHopLimit value ${hops} is not valid. Specify a value from 1 to 64.`);
  }
  const defined = Object.fromEntries(Object.entries(requested ?? {}).filter(([, value]) => value !== undefined));
  return { ...base, ...defined };
}

/** All the options of a new instance, checked against its type and root volume. */
export function launchOptions(
  requested: RequestedOptions,
  facts: {
    type: InstanceTypeInfo;
    accountId: string;
    rootEncrypted: boolean;
    credits: { accountDefault: CreditMode | undefined; onDedicatedHost: boolean; at: number };
    instanceStore?: string[];
  },
): InstanceOptions {
  const { type } = facts;
  const creditMode = launchCreditMode({
    instanceType: type.InstanceType!,
    ...(requested.cpuCredits !== undefined ? { requested: requested.cpuCredits } : {}),
    ...(facts.credits.accountDefault ? { accountDefault: facts.credits.accountDefault } : {}),
    onDedicatedHost: facts.credits.onDedicatedHost,
  });
  if (requested.ebsOptimized && type.EbsInfo?.EbsOptimizedSupport === "unsupported") throw Errors.ebsOptimizedUnsupported(type.InstanceType!);
  if (requested.hibernation) {
    if (!type.HibernationSupported) throw Errors.hibernationUnsupported(`The instance type ${type.InstanceType} does not support hibernation.`);
    if (!facts.rootEncrypted) throw Errors.hibernationUnsupported("For hibernation, the root device volume must be encrypted.");
  }
  const shutdownBehavior = requested.shutdownBehavior ?? "stop";
  return {
    metadata: metadataOptions(requested.metadata),
    shutdownBehavior: shutdownBehavior as InstanceOptions["shutdownBehavior"],
    ebsOptimized: requested.ebsOptimized ?? type.EbsInfo?.EbsOptimizedSupport === "default",
    monitoring: requested.monitoring ?? false,
    hibernation: requested.hibernation ?? false,
    ...(requested.cpu ? { cpu: cpuOptions(requested.cpu, type) } : {}),
    disableApiStop: requested.disableApiStop ?? false,
    ...(requested.iamInstanceProfile ? { iamInstanceProfile: instanceProfile(requested.iamInstanceProfile, facts.accountId) } : {}),
    sourceDestCheck: true,
    ...(creditMode ? { credits: launchCredits(creditMode, type.InstanceType!, facts.credits.at) } : {}),
    ...(requested.autoRecovery ? { maintenance: { ...defaultInstanceMaintenance, autoRecovery: requested.autoRecovery } } : {}),
    ...(facts.instanceStore?.length ? { instanceStore: facts.instanceStore } : {}),
  };
}

/** The instance store volumes a launch gets: see InstanceOptions.instanceStore. */
export function instanceStoreDevices(
  type: InstanceTypeInfo,
  mappings: ReadonlyArray<{ DeviceName?: string | undefined; VirtualName?: string | undefined; NoDevice?: string | undefined }>,
): string[] {
  const disks = (type.InstanceStorageInfo?.Disks ?? []).reduce((sum, disk) => sum + (disk.Count ?? 0), 0);
  if (disks === 0) return [];
  if (type.InstanceStorageInfo?.NvmeSupport === "required") return Array.from({ length: disks }, (_, index) => `/dev/nvme${index + 1}n1`);
  const named = new Map<string, string>();
  for (const mapping of mappings) {
    if (!mapping.DeviceName) continue;
    if (mapping.NoDevice !== undefined) named.delete(mapping.DeviceName);
    else if (mapping.VirtualName && /^ephemeral(\d+)$/.test(mapping.VirtualName)) named.set(mapping.DeviceName, mapping.VirtualName);
  }
  return [...named]
    .filter(([, virtualName]) => Number(virtualName.slice("ephemeral".length)) < disks)
    .map(([device, virtualName]) => `${device} (${virtualName})`);
}

/** An instance's cores and threads per core. */
export interface CpuShape {
  coreCount: number;
  threadsPerCore: number;
}

/** CoreCount and ThreadsPerCore must each be one the type lists as valid (a type without the lists takes neither). */
export function cpuOptions(requested: Partial<CpuShape>, type: InstanceTypeInfo): CpuShape {
  const info = type.VCpuInfo ?? {};
  const coreCount = requested.coreCount ?? info.DefaultCores ?? 1;
  const threadsPerCore = requested.threadsPerCore ?? info.DefaultThreadsPerCore ?? 1;
  const validCores = info.ValidCores ?? [];
  const validThreads = info.ValidThreadsPerCore ?? [];
  if (requested.coreCount !== undefined && !validCores.includes(coreCount)) {
    throw Errors.invalidCpuOptions(
      `CoreCount ${coreCount} is not valid for ${type.InstanceType}. Valid core counts: ${validCores.join(", ") || "none (its CPU options cannot be changed)"}.`,
    );
  }
  if (requested.threadsPerCore !== undefined && !validThreads.includes(threadsPerCore)) {
    throw Errors.invalidCpuOptions(
      `ThreadsPerCore ${threadsPerCore} is not valid for ${type.InstanceType}. Valid threads per core: ${validThreads.join(", ") || "none (its CPU options cannot be changed)"}.`,
    );
  }
  return { coreCount, threadsPerCore };
}

const profileName = /^[\w+=,.@-]{1,128}$/;
const profileArn = /^arn:aws[\w-]*:iam::(\d{12}):instance-profile\/([\w+=,.@/-]{1,512})$/;

/**
 * There is no IAM here: any well-formed ARN or name is accepted. A name is the caller's account's profile; the id is
 * derived from the ARN so that it is stable, in the form of IAM's (AIPA and 17 characters).
 */
export function instanceProfile(requested: { arn?: string; name?: string }, accountId: string): { arn: string; id: string } {
  if (requested.arn !== undefined && !profileArn.test(requested.arn)) {
    throw Errors.invalidParameterValue(`Value (${requested.arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
  }
  if (requested.name !== undefined && !profileName.test(requested.name)) {
    throw Errors.invalidParameterValue(`Value (${requested.name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
  }
  if (requested.arn !== undefined && requested.name !== undefined && !requested.arn.endsWith(`/${requested.name}`)) {
    throw Errors.invalidParameterCombination(`The instance profile ARN ${requested.arn} does not name the profile ${requested.name}. Pass one of them.`);
  }
  if (requested.arn === undefined && requested.name === undefined) throw Errors.missingParameter("IamInstanceProfile.Arn or IamInstanceProfile.Name");
  const arn = requested.arn ?? `arn:aws:iam::${accountId}:instance-profile/${requested.name}`;
  const id = `AIPA${createHash("sha256")
    .update(arn)
    .digest("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .toUpperCase()
    .slice(0, 17)}`;
  return { arn, id };
}

/** Instances stored before these settings existed read as EC2's defaults. */
export const defaultOptions: InstanceOptions = {
  metadata: defaultMetadata,
  shutdownBehavior: "stop",
  ebsOptimized: false,
  monitoring: false,
  hibernation: false,
  disableApiStop: false,
  sourceDestCheck: true,
};
