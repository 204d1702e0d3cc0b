// DescribeInstances' filter names, read from an instance as EC2 reports it at this moment.
import { instanceDevices } from "../attachments.js";
import type { Clock } from "../clock.js";
import type { FilterSpec } from "../filters.js";
import { billingOf } from "../images.js";
import { currentState, type Instance, primaryInterfaceOf, stateCodes, stateReasonOf, stateTransitionReason } from "../instances.js";
import { defaultInstanceMaintenance } from "../instance-options.js";
import { type InstanceInterface, publicIpOf } from "../instance-network.js";
import { privateDnsName, publicDnsName } from "../network.js";

/** `zoneIdOf`: the zone's id (use1-az1, ...) for availability-zone-id; without it that filter matches nothing. */
export function instanceFilters(clock: Clock, zoneIdOf: (zone: string) => string | undefined = () => undefined): FilterSpec<Instance> {
  const state = (i: Instance) => currentState(i, clock.now());
  const devices = (i: Instance) => instanceDevices(i, clock.now());
  const enis = (i: Instance) => i.interfaces ?? [];
  const eniField = (read: (eni: InstanceInterface, i: Instance) => string | string[] | undefined) => (i: Instance) =>
    enis(i).flatMap((eni) => read(eni, i) ?? []);
  const publicIp = (eni: InstanceInterface, i: Instance) =>
    publicIpOf(eni, { associatePublicIp: i.options.publicIpOnLaunch ?? false, state: state(i), stateChangedAt: i.stateChangedAt });
  const instancePublicIp = (i: Instance) => {
    const primary = primaryInterfaceOf(i);
    return primary ? publicIp(primary, i) : undefined;
  };
  const groupIds = eniField((eni) => eni.groups.map((g) => g.groupId));
  const groupNames = eniField((eni) => eni.groups.map((g) => g.groupName));
  return {
    fields: {
      affinity: (i) => i.affinity,
      architecture: (i) => i.architecture,
      "availability-zone": (i) => i.availabilityZone,
      "availability-zone-id": (i) => zoneIdOf(i.availabilityZone),
      "block-device-mapping.attach-time": (i) => devices(i).map((d) => d.Ebs.AttachTime.toISOString()),
      "block-device-mapping.device-name": (i) => devices(i).map((d) => d.DeviceName),
      "block-device-mapping.volume-id": (i) => devices(i).map((d) => d.Ebs.VolumeId),
      "block-device-mapping.delete-on-termination": (i) => devices(i).map((d) => String(d.Ebs.DeleteOnTermination)),
      "block-device-mapping.status": (i) => devices(i).map((d) => d.Ebs.Status),
      "boot-mode": (i) => i.bootMode,
      "client-token": (i) => i.clientToken,
      "current-instance-boot-mode": (i) => i.bootMode,
      "ena-support": (i) => i.enaSupport,
      "host-id": (i) => i.hostId,
      hypervisor: () => "xen",
      "image-id": (i) => i.imageId,
      "instance-id": (i) => i.instanceId,
      // spot for a Spot Instance (docs/spot.md); an On-Demand instance has none, as in EC2.
      "instance-lifecycle": (i) => (i.spotInstanceRequestId ? "spot" : undefined),
      "spot-instance-request-id": (i) => i.spotInstanceRequestId,
      "instance-state-code": (i) => String(stateCodes[state(i)]),
      "instance-state-name": state,
      "instance-type": (i) => i.instanceType,
      "kernel-id": (i) => i.kernelId,
      "key-name": (i) => i.keyName,
      "launch-index": (i) => String(i.launchIndex),
      "launch-time": (i) => i.launchTime.toISOString(),
      "owner-id": (i) => i.accountId,
      "placement-group-name": (i) => i.placementGroupName,
      "placement-partition-number": (i) => (i.partitionNumber ? String(i.partitionNumber) : undefined),
      platform: (i) => i.platform,
      "platform-details": (i) => billingOf(i).platformDetails,
      "private-ip-address": (i) => i.privateIpAddress,
      "private-dns-name": (i) => privateDnsName(i.region, i.privateIpAddress),
      "ip-address": instancePublicIp,
      "dns-name": (i) => {
        const ip = instancePublicIp(i);
        return ip ? publicDnsName(i.region, ip) : undefined;
      },
      "vpc-id": (i) => i.vpcId,
      "subnet-id": (i) => i.subnetId,
      "source-dest-check": (i) => String(primaryInterfaceOf(i)?.sourceDestCheck ?? i.options.sourceDestCheck),
      "group-id": groupIds,
      "group-name": groupNames,
      "instance.group-id": groupIds,
      "instance.group-name": groupNames,
      "network-interface.network-interface-id": eniField((eni) => eni.networkInterfaceId),
      "network-interface.subnet-id": eniField((eni) => eni.subnetId),
      "network-interface.vpc-id": eniField((eni) => eni.vpcId),
      "network-interface.availability-zone": eniField((eni) => eni.availabilityZone),
      "network-interface.description": eniField((eni) => eni.description),
      "network-interface.mac-address": eniField((eni) => eni.macAddress),
      "network-interface.owner-id": eniField((eni) => eni.accountId),
      "network-interface.status": eniField(() => "in-use"),
      "network-interface.source-dest-check": eniField((eni) => String(eni.sourceDestCheck)),
      "network-interface.interface-type": eniField((eni) => eni.interfaceType),
      "network-interface.group-id": groupIds,
      "network-interface.group-name": groupNames,
      "network-interface.private-ip-address": eniField((eni) => eni.privateIps[0]?.privateIpAddress),
      "network-interface.private-dns-name": eniField((eni, i) =>
        eni.privateIps[0] ? privateDnsName(i.region, eni.privateIps[0].privateIpAddress) : undefined,
      ),
      "network-interface.addresses.private-ip-address": eniField((eni) => eni.privateIps.map((ip) => ip.privateIpAddress)),
      "network-interface.addresses.primary": eniField((eni) => eni.privateIps.map((ip) => String(ip.primary))),
      "network-interface.association.public-ip": eniField((eni, i) => publicIp(eni, i)),
      "network-interface.association.ip-owner-id": eniField((eni, i) => (publicIp(eni, i) ? (eni.elasticIp ? i.accountId : "amazon") : undefined)),
      "network-interface.association.allocation-id": eniField((eni) => eni.elasticIp?.allocationId),
      "network-interface.association.association-id": eniField((eni) => eni.elasticIp?.associationId),
      "network-interface.attachment.attachment-id": eniField((eni) => eni.attachment?.attachmentId),
      "network-interface.attachment.instance-id": eniField((eni) => eni.attachment?.instanceId),
      "network-interface.attachment.instance-owner-id": eniField((eni) => eni.accountId),
      "network-interface.attachment.device-index": eniField((eni) => (eni.attachment ? String(eni.attachment.deviceIndex) : undefined)),
      "network-interface.attachment.network-card-index": eniField((eni) => (eni.attachment ? String(eni.attachment.networkCardIndex) : undefined)),
      "network-interface.attachment.status": eniField((eni) => (eni.attachment ? "attached" : undefined)),
      "network-interface.attachment.attach-time": eniField((eni) => eni.attachment?.attachedAt.toISOString()),
      "network-interface.attachment.delete-on-termination": eniField((eni) => (eni.attachment ? String(eni.attachment.deleteOnTermination) : undefined)),
      "ramdisk-id": (i) => i.ramdiskId,
      reason: (i) => stateTransitionReason(i),
      "state-reason-code": (i) => stateReasonOf(i, state(i))?.Code,
      "state-reason-message": (i) => stateReasonOf(i, state(i))?.Message,
      "reservation-id": (i) => i.reservationId,
      "root-device-name": (i) => i.rootDeviceName,
      "root-device-type": () => "ebs",
      "sriov-net-support": (i) => i.sriovNetSupport,
      tenancy: (i) => i.tenancy,
      "virtualization-type": (i) => i.virtualizationType,
      // The settings RunInstances keeps (domain/instance-options.ts), as DescribeInstances shows them.
      "ebs-optimized": (i) => String(i.options.ebsOptimized),
      "enclave-options.enabled": () => "false",
      "hibernation-options.configured": (i) => String(i.options.hibernation),
      "iam-instance-profile.arn": (i) => i.options.iamInstanceProfile?.arn,
      "iam-instance-profile.id": (i) => i.options.iamInstanceProfile?.id,
      "maintenance-options.auto-recovery": (i) => (i.options.maintenance ?? defaultInstanceMaintenance).autoRecovery,
      // ModifyInstanceMetadataOptions' changes show applied at once: there is no metadata service to wait for.
      "metadata-options.state": () => "applied",
      "metadata-options.http-tokens": (i) => i.options.metadata.httpTokens,
      "metadata-options.http-endpoint": (i) => i.options.metadata.httpEndpoint,
      "metadata-options.http-put-response-hop-limit": (i) => String(i.options.metadata.httpPutResponseHopLimit),
      "metadata-options.http-protocol-ipv6": (i) => i.options.metadata.httpProtocolIpv6,
      "metadata-options.instance-metadata-tags": (i) => i.options.metadata.instanceMetadataTags,
      "monitoring-state": (i) => (i.options.monitoring ? "enabled" : "disabled"),
      "usage-operation": (i) => billingOf(i).usageOperation,
    },
    tags: (i) => i.tags,
  };
}

/**
 * The filters an instance's own row answers, without its tags, volumes, interfaces or placement group's name:
 * DescribeInstances tests them before it reads those (instance-state-name=stopped over 10,000 running instances read
 * the linked rows of all 10,000 to answer none). Any other filter is tested on the whole instance.
 */
export const instanceRowFilterNames: ReadonlySet<string> = new Set([
  "affinity",
  "architecture",
  "availability-zone",
  "availability-zone-id",
  "boot-mode",
  "client-token",
  "current-instance-boot-mode",
  "ena-support",
  "host-id",
  "hypervisor",
  "image-id",
  "instance-id",
  "instance-lifecycle",
  "spot-instance-request-id",
  "instance-state-code",
  "instance-state-name",
  "instance-type",
  "kernel-id",
  "key-name",
  "launch-index",
  "launch-time",
  "owner-id",
  "placement-partition-number",
  "platform",
  "platform-details",
  "private-ip-address",
  "private-dns-name",
  "vpc-id",
  "subnet-id",
  "ramdisk-id",
  "reason",
  "state-reason-code",
  "state-reason-message",
  "reservation-id",
  "root-device-name",
  "root-device-type",
  "sriov-net-support",
  "tenancy",
  "virtualization-type",
  "ebs-optimized",
  "enclave-options.enabled",
  "hibernation-options.configured",
  "iam-instance-profile.arn",
  "iam-instance-profile.id",
  "maintenance-options.auto-recovery",
  "metadata-options.state",
  "metadata-options.http-tokens",
  "metadata-options.http-endpoint",
  "metadata-options.http-put-response-hop-limit",
  "metadata-options.http-protocol-ipv6",
  "metadata-options.instance-metadata-tags",
  "monitoring-state",
  "usage-operation",
]);
