// Every member of RunInstances in the service model is either honoured (kept on the instance and shown back) or
// refused by name: a setting accepted and dropped would launch something other than what the caller asked for.
// test/instances/run-instances-members.test.ts walks the model against these two lists.
import type { RunInstancesRequest } from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import { refuseMembers } from "./refused-members.js";

export const honouredRunInstancesMembers = [
  "BlockDeviceMappings",
  "ImageId",
  "InstanceType",
  "KernelId",
  "RamdiskId",
  "KeyName",
  "MinCount",
  "MaxCount",
  "Placement",
  "UserData",
  "TagSpecifications",
  "ClientToken",
  "DryRun",
  "DisableApiTermination",
  "DisableApiStop",
  "InstanceInitiatedShutdownBehavior",
  "MetadataOptions",
  "Monitoring",
  "EbsOptimized",
  "HibernationOptions",
  "CpuOptions",
  "IamInstanceProfile",
  "MaintenanceOptions",
  "LaunchTemplate",
  "CreditSpecification",
  "InstanceMarketOptions",

  "SubnetId",
  "SecurityGroupIds",
  "SecurityGroups",
  "NetworkInterfaces",
  "PrivateIpAddress",
] as const;

const networking = "IPv6, prefix delegation and the newer interface options are not modelled; instances have IPv4 interfaces only";

/** Why each refused member is refused: what mini-ec2 does not model. */
export const refusedRunInstancesMembers: Record<string, string> = {
  Ipv6AddressCount: networking,
  Ipv6Addresses: networking,
  EnablePrimaryIpv6: networking,
  PrivateDnsNameOptions: networking,
  NetworkPerformanceOptions: networking,
  SecondaryInterfaces: networking,
  ElasticGpuSpecification: "Elastic Graphics accelerators are not modelled",
  ElasticInferenceAccelerators: "Elastic Inference accelerators are not modelled",
  CapacityReservationSpecification: "Capacity Reservations are not modelled",
  LicenseSpecifications: "License Manager is not modelled",
  EnclaveOptions: "Nitro Enclaves are not modelled",
  Operator: "managed instances (an operator service) are not modelled",
  AdditionalInfo: "AdditionalInfo is reserved by EC2 and has no meaning here",
};

/**
 * The members of the honoured structures that are honoured too: a structure is not honoured whole just because
 * some of its members are (CpuOptions.AmdSevSnp would otherwise be accepted and dropped).
 */
export const honouredNestedMembers: Record<string, readonly string[]> = {
  Placement: ["AvailabilityZone", "Tenancy", "HostId", "Affinity", "GroupName", "PartitionNumber"],
  MetadataOptions: ["HttpTokens", "HttpEndpoint", "HttpPutResponseHopLimit", "HttpProtocolIpv6", "InstanceMetadataTags"],
  Monitoring: ["Enabled"],
  HibernationOptions: ["Configured"],
  CpuOptions: ["CoreCount", "ThreadsPerCore"],
  IamInstanceProfile: ["Arn", "Name"],
  MaintenanceOptions: ["AutoRecovery"],
  LaunchTemplate: ["LaunchTemplateId", "LaunchTemplateName", "Version"],
  CreditSpecification: ["CpuCredits"],
  // Spot (docs/spot.md): every option is honoured or refused by domain/spot.ts with EC2's rules.
  InstanceMarketOptions: ["MarketType", "SpotOptions"],
};

/** The members of NetworkInterface.N that are not modelled (the honoured ones are in domain/instance-network.ts). */
const refusedInterfaceMembers = [
  "Ipv6AddressCount",
  "Ipv6Addresses",
  "Ipv4Prefixes",
  "Ipv4PrefixCount",
  "Ipv6Prefixes",
  "Ipv6PrefixCount",
  "PrimaryIpv6",
  "AssociateCarrierIpAddress",
  "EnaSrdSpecification",
  "ConnectionTrackingSpecification",
  "EnaQueueCount",
];

/** Refuses the first refused member the request carries, naming it (Structure.Member for a nested one). */
export function refuseUnsupportedMembers(input: RunInstancesRequest): void {
  refuseMembers("RunInstances", input, refusedRunInstancesMembers);
  const members = input as unknown as Record<string, unknown>;
  for (const [structure, honoured] of Object.entries(honouredNestedMembers)) {
    const value = members[structure] as Record<string, unknown> | undefined;
    const refused = value && Object.keys(value).find((member) => value[member] !== undefined && !honoured.includes(member));
    if (refused) throw Errors.unsupportedParameter("RunInstances", `${structure}.${refused}`, "mini-ec2 does not model this setting");
  }
  for (const ni of input.NetworkInterfaces ?? []) {
    const name = refusedInterfaceMembers.find((member) => (ni as Record<string, unknown>)[member] !== undefined);
    if (name) throw Errors.unsupportedParameter("RunInstances", `NetworkInterface.N.${name}`, networking);
  }
}
