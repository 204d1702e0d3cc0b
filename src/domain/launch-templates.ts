// Launch templates' rules: which template data mini-ec2 can honour (the rest is refused by name, never stored and
// ignored), template names, version specifiers ($Latest, $Default, a number), and how a template's data and
// RunInstances' explicit parameters merge into the one request the launch rules judge.
import { parseCreditMode } from "./credit-specification.js";
import type { BlockDeviceMapping } from "./images.js";
import { Errors } from "./errors.js";
import { definedOnly } from "./objects.js";
import { type LaunchTaggedType, launchTaggedTypes } from "./launch-tags.js";
import { type Tag, tagsByResourceType } from "./tags.js";

export interface TemplatePlacement {
  AvailabilityZone?: string;
  Tenancy?: string;
  HostId?: string;
  Affinity?: string;
  GroupName?: string;
  PartitionNumber?: number;
}

/** MetadataOptions as a template holds it: only the members given (EC2 answers them back without a State). */
export interface TemplateMetadataOptions {
  HttpTokens?: string;
  HttpPutResponseHopLimit?: number;
  HttpEndpoint?: string;
  HttpProtocolIpv6?: string;
  InstanceMetadataTags?: string;
}

export interface TemplateTagSpecification {
  ResourceType: LaunchTaggedType;
  Tags: Tag[];
}

/** The template data RunInstances honours; stored as given and answered back in ResponseLaunchTemplateData's shape. */
export interface LaunchTemplateData {
  ImageId?: string;
  InstanceType?: string;
  KernelId?: string;
  RamDiskId?: string;
  KeyName?: string;
  UserData?: string;
  DisableApiTermination?: boolean;
  DisableApiStop?: boolean;
  InstanceInitiatedShutdownBehavior?: string;
  MetadataOptions?: TemplateMetadataOptions;
  EbsOptimized?: boolean;
  Monitoring?: { Enabled?: boolean };
  HibernationOptions?: { Configured?: boolean };
  CpuOptions?: { CoreCount?: number; ThreadsPerCore?: number };
  CreditSpecification?: { CpuCredits?: string };
  /** Spot (docs/spot.md): kept as given; RunInstances checks it when a launch uses the template. */
  InstanceMarketOptions?: Record<string, unknown>;
  IamInstanceProfile?: { Arn?: string; Name?: string };
  Placement?: TemplatePlacement;
  BlockDeviceMappings?: BlockDeviceMapping[];
  TagSpecifications?: TemplateTagSpecification[];
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  NetworkInterfaces?: TemplateNetworkInterface[];
  MaintenanceOptions?: { AutoRecovery?: string };
}

/** A template's network interface, in the member names RunInstances' NetworkInterface.N shares with it. */
export interface TemplateNetworkInterface {
  DeviceIndex?: number;
  NetworkCardIndex?: number;
  SubnetId?: string;
  Groups?: string[];
  PrivateIpAddress?: string;
  PrivateIpAddresses?: Array<{ Primary?: boolean; PrivateIpAddress?: string }>;
  SecondaryPrivateIpAddressCount?: number;
  AssociatePublicIpAddress?: boolean;
  DeleteOnTermination?: boolean;
  Description?: string;
  InterfaceType?: string;
  /** An existing interface the instance takes at this slot (RunInstances' rules apply). */
  NetworkInterfaceId?: string;
}

export interface LaunchTemplate {
  launchTemplateId: string;
  accountId: string;
  region: string;
  launchTemplateName: string;
  createdBy: string;
  createdAt: Date;
  defaultVersion: number;
  latestVersion: number;
  tags: Tag[];
}

export interface LaunchTemplateVersion {
  launchTemplateId: string;
  versionNumber: number;
  description?: string;
  data: LaunchTemplateData;
  createdBy: string;
  createdAt: Date;
}

const supportedMembers = new Set([
  "ImageId",
  "InstanceType",
  "KernelId",
  "RamDiskId",
  "KeyName",
  "UserData",
  "DisableApiTermination",
  "DisableApiStop",
  "InstanceInitiatedShutdownBehavior",
  "MetadataOptions",
  "EbsOptimized",
  "Monitoring",
  "HibernationOptions",
  "CpuOptions",
  "CreditSpecification",
  "InstanceMarketOptions",
  "IamInstanceProfile",
  "Placement",
  "BlockDeviceMappings",
  "TagSpecifications",
  "SecurityGroupIds",
  "SecurityGroups",
  "NetworkInterfaces",
  "MaintenanceOptions",
]);
/** RunInstances honours automatic recovery; reboot migration is an instance attribute (ModifyInstanceMaintenanceOptions). */
const supportedMaintenance = new Set(["AutoRecovery"]);
/** The members of a network interface RunInstances honours (existing interfaces, IPv6 and prefixes are not modelled). */
const supportedInterface = new Set([
  "DeviceIndex",
  "NetworkCardIndex",
  "SubnetId",
  "Groups",
  "PrivateIpAddress",
  "PrivateIpAddresses",
  "SecondaryPrivateIpAddressCount",
  "AssociatePublicIpAddress",
  "DeleteOnTermination",
  "Description",
  "InterfaceType",
  "NetworkInterfaceId",
]);
/** RunInstances honours the core and thread counts; AMD SEV-SNP and nested virtualization are not modelled. */
const supportedCpuOptions = new Set(["CoreCount", "ThreadsPerCore"]);
const supportedPlacement = new Set(["AvailabilityZone", "Tenancy", "HostId", "Affinity", "GroupName", "PartitionNumber"]);
const supportedMapping = new Set(["DeviceName", "Ebs", "NoDevice"]);
const supportedEbs = new Set(["SnapshotId", "VolumeSize", "VolumeType", "DeleteOnTermination", "Encrypted", "Iops", "Throughput"]);

/**
 * The template data of a CreateLaunchTemplate(Version) request, checked: a member RunInstances does not honour yet
 * is refused, naming it, because a template that stored it would launch instances without it and say nothing.
 */
export function checkTemplateData(input: Record<string, unknown>): LaunchTemplateData {
  refuseUnsupported(input, supportedMembers, "LaunchTemplateData");
  const placement = input.Placement as Record<string, unknown> | undefined;
  if (placement) refuseUnsupported(placement, supportedPlacement, "LaunchTemplateData.Placement");
  const cpu = input.CpuOptions as Record<string, unknown> | undefined;
  if (cpu) refuseUnsupported(cpu, supportedCpuOptions, "LaunchTemplateData.CpuOptions");
  const maintenance = input.MaintenanceOptions as Record<string, unknown> | undefined;
  if (maintenance) refuseUnsupported(maintenance, supportedMaintenance, "LaunchTemplateData.MaintenanceOptions");
  for (const networkInterface of (input.NetworkInterfaces ?? []) as Array<Record<string, unknown>>) {
    refuseUnsupported(networkInterface, supportedInterface, "LaunchTemplateData.NetworkInterface");
  }
  const mappings = (input.BlockDeviceMappings ?? []) as Array<Record<string, unknown>>;
  for (const mapping of mappings) {
    refuseUnsupported(mapping, supportedMapping, "LaunchTemplateData.BlockDeviceMapping");
    if (!mapping.DeviceName) throw Errors.missingParameter("LaunchTemplateData.BlockDeviceMapping.N.DeviceName");
    if (mapping.Ebs) refuseUnsupported(mapping.Ebs as Record<string, unknown>, supportedEbs, "LaunchTemplateData.BlockDeviceMapping.Ebs");
  }
  const data = input as LaunchTemplateData;
  const cpuCredits = data.CreditSpecification?.CpuCredits;
  if (cpuCredits !== undefined) parseCreditMode(cpuCredits, "LaunchTemplateData.CreditSpecification.CpuCredits");
  if (data.TagSpecifications) {
    const tags = tagsByResourceType(data.TagSpecifications, launchTaggedTypes);
    data.TagSpecifications = launchTaggedTypes.filter((type) => tags[type].length > 0).map((type) => ({ ResourceType: type, Tags: tags[type] }));
  }
  return data;
}

function refuseUnsupported(input: Record<string, unknown>, supported: ReadonlySet<string>, path: string): void {
  const member = Object.keys(input).find((key) => input[key] !== undefined && !supported.has(key));
  if (member) throw Errors.launchTemplateMemberUnsupported(`${path}.${member}`);
}

/** EC2's rule for template names: 3 to 128 of letters, digits and ( ) . - / _. */
export function checkTemplateName(name: string): void {
  if (name.length < 3 || name.length > 128 || !/^[a-zA-Z0-9().\-/_]+$/.test(name)) throw Errors.launchTemplateNameMalformed();
}

/** The version number a specifier names ($Latest, $Default, or a number); undefined when it names none. */
export function versionNumberOf(template: LaunchTemplate, specifier: string | undefined): number | undefined {
  if (specifier === undefined || specifier === "$Default") return template.defaultVersion;
  if (specifier === "$Latest") return template.latestVersion;
  return /^[1-9][0-9]{0,17}$/.test(specifier) ? Number(specifier) : undefined;
}

/** The RunInstances parameters a template can give, as RunInstances spells them. */
export interface TemplateLaunchParameters {
  ImageId?: string | undefined;
  InstanceType?: string | undefined;
  KernelId?: string | undefined;
  RamdiskId?: string | undefined;
  KeyName?: string | undefined;
  UserData?: string | undefined;
  DisableApiTermination?: boolean | undefined;
  DisableApiStop?: boolean | undefined;
  InstanceInitiatedShutdownBehavior?: string | undefined;
  MetadataOptions?: { [K in keyof TemplateMetadataOptions]?: TemplateMetadataOptions[K] | undefined } | undefined;
  EbsOptimized?: boolean | undefined;
  Monitoring?: { Enabled?: boolean | undefined } | undefined;
  HibernationOptions?: { Configured?: boolean | undefined } | undefined;
  CpuOptions?: { CoreCount?: number | undefined; ThreadsPerCore?: number | undefined } | undefined;
  CreditSpecification?: { CpuCredits?: string | undefined } | undefined;
  InstanceMarketOptions?: object | undefined;
  IamInstanceProfile?: { Arn?: string | undefined; Name?: string | undefined } | undefined;
  Placement?: { [K in keyof TemplatePlacement]?: TemplatePlacement[K] | undefined } | undefined;
  BlockDeviceMappings?: Array<{ DeviceName?: string | undefined }> | undefined;
  SecurityGroupIds?: string[] | undefined;
  SecurityGroups?: string[] | undefined;
  NetworkInterfaces?: Array<{ [K in keyof TemplateNetworkInterface]?: TemplateNetworkInterface[K] | undefined }> | undefined;
  MaintenanceOptions?: { AutoRecovery?: string | undefined } | undefined;
  TagSpecifications?:
    | Array<{ ResourceType?: string | undefined; Tags?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined }>
    | undefined;
}

/**
 * The request RunInstances runs: the template's data under the explicit parameters. A parameter given explicitly
 * replaces the template's; Placement and MetadataOptions are merged member by member, block device mappings by device
 * name, and tags by resource type and key, the explicit value winning (EC2's documented rule: explicit parameters
 * override). The other structures (CpuOptions, IamInstanceProfile, ...) are replaced whole: half of one template's
 * CPU options under half of another's would be a pair nobody asked for.
 */
export function mergeTemplateIntoRequest<R extends TemplateLaunchParameters>(data: LaunchTemplateData, request: R): R {
  const pick = <K extends keyof TemplateLaunchParameters>(key: K, fromTemplate: TemplateLaunchParameters[K]) =>
    request[key] !== undefined ? { [key]: request[key] } : fromTemplate !== undefined ? { [key]: fromTemplate } : {};
  const placement = data.Placement || request.Placement ? { ...data.Placement, ...definedOnly(request.Placement ?? {}) } : undefined;
  const metadata = data.MetadataOptions || request.MetadataOptions ? { ...data.MetadataOptions, ...definedOnly(request.MetadataOptions ?? {}) } : undefined;
  const mappings = [
    ...(data.BlockDeviceMappings ?? []).filter((m) => !request.BlockDeviceMappings?.some((r) => r.DeviceName === m.DeviceName)),
    ...(request.BlockDeviceMappings ?? []),
  ];
  return {
    ...request,
    ...pick("ImageId", data.ImageId),
    ...pick("InstanceType", data.InstanceType),
    ...pick("KernelId", data.KernelId),
    ...pick("RamdiskId", data.RamDiskId),
    ...pick("KeyName", data.KeyName),
    ...pick("UserData", data.UserData),
    ...pick("DisableApiTermination", data.DisableApiTermination),
    ...pick("DisableApiStop", data.DisableApiStop),
    ...pick("InstanceInitiatedShutdownBehavior", data.InstanceInitiatedShutdownBehavior),
    ...pick("EbsOptimized", data.EbsOptimized),
    ...pick("Monitoring", data.Monitoring),
    ...pick("HibernationOptions", data.HibernationOptions),
    ...pick("CpuOptions", data.CpuOptions),
    ...pick("CreditSpecification", data.CreditSpecification),
    ...pick("InstanceMarketOptions", data.InstanceMarketOptions),
    ...pick("IamInstanceProfile", data.IamInstanceProfile),
    ...pick("MaintenanceOptions", data.MaintenanceOptions),
    // The network is replaced whole: the template's groups or interfaces, or the request's.
    ...(request.NetworkInterfaces === undefined && request.SecurityGroupIds === undefined && request.SecurityGroups === undefined
      ? definedOnly({ NetworkInterfaces: data.NetworkInterfaces, SecurityGroupIds: data.SecurityGroupIds, SecurityGroups: data.SecurityGroups })
      : {}),
    ...(metadata ? { MetadataOptions: metadata } : {}),
    ...(placement ? { Placement: placement } : {}),
    ...(mappings.length > 0 ? { BlockDeviceMappings: mappings } : {}),
    TagSpecifications: mergeTagSpecifications(launchableTagSpecifications(data, request), request.TagSpecifications ?? []),
  };
}

/**
 * The template's tag specifications a launch can use: an On-Demand launch creates no Spot request, so the template's
 * Spot request tags wait for a Spot launch rather than refuse this one (a template serves both; docs/decisions.md).
 */
function launchableTagSpecifications(data: LaunchTemplateData, request: TemplateLaunchParameters): readonly TemplateTagSpecification[] {
  const spotLaunch = (request.InstanceMarketOptions ?? data.InstanceMarketOptions) !== undefined;
  return (data.TagSpecifications ?? []).filter((specification) => spotLaunch || specification.ResourceType !== "spot-instances-request");
}

function mergeTagSpecifications(fromTemplate: readonly TemplateTagSpecification[], explicit: NonNullable<TemplateLaunchParameters["TagSpecifications"]>) {
  const explicitKeys = (type: string) => new Set(explicit.filter((s) => s.ResourceType === type).flatMap((s) => (s.Tags ?? []).map((t) => t.Key)));
  const kept = fromTemplate.map((s) => ({ ResourceType: s.ResourceType, Tags: s.Tags.filter((t) => !explicitKeys(s.ResourceType).has(t.Key)) }));
  return [...kept.filter((s) => s.Tags.length > 0), ...explicit];
}

/** The tags EC2 puts on an instance launched from a template, under its reserved aws: prefix. */
export function launchTemplateTags(launchTemplateId: string, versionNumber: number): Tag[] {
  return [
    { Key: "aws:ec2launchtemplate:id", Value: launchTemplateId },
    { Key: "aws:ec2launchtemplate:version", Value: String(versionNumber) },
  ];
}
