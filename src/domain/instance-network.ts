// An instance's place in its network (docs/networking.md): the interfaces RunInstances asks for, in one shape
// whether the request named them (NetworkInterfaces) or used the instance-level members (SubnetId, groups,
// PrivateIpAddress); EC2's rules on combining them; and the public address a running instance shows.
import { parseIpv4 } from "./cidr.js";
import { Errors } from "./errors.js";
import { isWellFormedId } from "./ids.js";
import type { NetworkInterface } from "./network.js";

/** One interface a launch creates, before its subnet and groups are resolved. */
export interface InterfaceRequest {
  deviceIndex: number;
  networkCardIndex: number;
  /** Absent: the instance-level subnet, or the default subnet of the zone the instance lands in. */
  subnetId?: string;
  groupIds: string[];
  /** Security group names (instance-level SecurityGroups): resolved in the default VPC. */
  groupNames: string[];
  /** The primary address asked for. */
  privateIpAddress?: string;
  secondaryAddresses: string[];
  secondaryCount: number;
  /** Absent: the subnet's MapPublicIpOnLaunch decides. */
  associatePublicIp?: boolean;
  deleteOnTermination: boolean;
  interfaceType: "interface" | "efa";
  description: string;
  /**
   * An existing, available interface the instance takes at this slot: it brings its own subnet, groups and
   * addresses, so the members above keep their neutral values.
   */
  networkInterfaceId?: string;
}

/** RunInstances' networking members, in the SDK's shape. */
export interface NetworkMembers {
  SubnetId?: string;
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  PrivateIpAddress?: string;
  NetworkInterfaces?: Array<{
    DeviceIndex?: number;
    NetworkCardIndex?: number;
    SubnetId?: string;
    Groups?: string[];
    PrivateIpAddress?: string;
    PrivateIpAddresses?: Array<{ PrivateIpAddress?: string; Primary?: boolean }>;
    SecondaryPrivateIpAddressCount?: number;
    AssociatePublicIpAddress?: boolean;
    DeleteOnTermination?: boolean;
    InterfaceType?: string;
    Description?: string;
    NetworkInterfaceId?: string;
  }>;
}

/** The interfaces a launch asks for, device 0 first, under EC2's rules on combining the members. */
export function interfaceRequests(members: NetworkMembers, maxCount: number): InterfaceRequest[] {
  const nis = members.NetworkInterfaces ?? [];
  if (nis.length === 0) {
    if (members.PrivateIpAddress !== undefined) checkAddress(members.PrivateIpAddress, "privateIpAddress");
    const request: InterfaceRequest = {
      deviceIndex: 0,
      networkCardIndex: 0,
      ...(members.SubnetId ? { subnetId: members.SubnetId } : {}),
      groupIds: members.SecurityGroupIds ?? [],
      groupNames: members.SecurityGroups ?? [],
      ...(members.PrivateIpAddress ? { privateIpAddress: members.PrivateIpAddress } : {}),
      secondaryAddresses: [],
      secondaryCount: 0,
      deleteOnTermination: true,
      interfaceType: "interface",
      description: "",
    };
    checkOneInstance([request], maxCount);
    return [request];
  }
  const instanceLevel = (what: string) =>
    Errors.invalidParameterCombination(`Network interfaces and an instance-level ${what} may not be specified on the same request`);
  if (members.SubnetId) throw instanceLevel("subnet ID");
  if (members.SecurityGroupIds?.length || members.SecurityGroups?.length) throw instanceLevel("security groups");
  if (members.PrivateIpAddress) throw instanceLevel("private IP address");
  const requests = nis.map((ni, n): InterfaceRequest => {
    if (ni.DeviceIndex === undefined) throw Errors.missingParameter(`NetworkInterface.${n + 1}.DeviceIndex`);
    if (ni.NetworkInterfaceId !== undefined) return existingInterfaceRequest({ ...ni, DeviceIndex: ni.DeviceIndex, NetworkInterfaceId: ni.NetworkInterfaceId });
    const listed = ni.PrivateIpAddresses ?? [];
    const primaries = listed.filter((a) => a.Primary);
    if (primaries.length > 1 || (primaries.length === 1 && ni.PrivateIpAddress !== undefined && primaries[0]!.PrivateIpAddress !== ni.PrivateIpAddress))
      throw Errors.invalidParameterValue(`Only one primary private IP address may be specified for network interface ${ni.DeviceIndex}.`);
    const primary = ni.PrivateIpAddress ?? primaries[0]?.PrivateIpAddress;
    const secondaryAddresses = listed.filter((a) => !a.Primary && a.PrivateIpAddress !== undefined).map((a) => a.PrivateIpAddress!);
    for (const address of [...(primary ? [primary] : []), ...secondaryAddresses]) checkAddress(address, "privateIpAddress");
    const interfaceType = ni.InterfaceType ?? "interface";
    if (interfaceType !== "interface" && interfaceType !== "efa")
      throw Errors.invalidParameterValue(`Value (${interfaceType}) for parameter interfaceType is invalid. Expecting interface or efa.`);
    const secondaryCount = ni.SecondaryPrivateIpAddressCount ?? 0;
    if (!Number.isInteger(secondaryCount) || secondaryCount < 0)
      throw Errors.invalidParameterValue(
        `Value (${secondaryCount}) for parameter secondaryPrivateIpAddressCount is invalid. Expecting a whole number of 0 or more.`,
      );
    return {
      deviceIndex: ni.DeviceIndex,
      networkCardIndex: ni.NetworkCardIndex ?? 0,
      ...(ni.SubnetId ? { subnetId: ni.SubnetId } : {}),
      groupIds: ni.Groups ?? [],
      groupNames: [],
      ...(primary ? { privateIpAddress: primary } : {}),
      secondaryAddresses,
      secondaryCount,
      ...(ni.AssociatePublicIpAddress !== undefined ? { associatePublicIp: ni.AssociatePublicIpAddress } : {}),
      deleteOnTermination: ni.DeleteOnTermination ?? true,
      interfaceType,
      description: ni.Description ?? "",
    };
  });
  const slots = new Set<string>();
  for (const r of requests) {
    const slot = `${r.networkCardIndex}/${r.deviceIndex}`;
    if (slots.has(slot))
      throw Errors.invalidParameterValue(
        `Each network interface requires a unique device index: ${r.deviceIndex} is given twice on network card ${r.networkCardIndex}.`,
      );
    slots.add(slot);
  }
  const primary = requests.find((r) => r.deviceIndex === 0 && r.networkCardIndex === 0);
  if (!primary) throw Errors.invalidParameterValue("When specifying network interfaces, you must include a device at index 0 (the primary interface).");
  if (requests.some((r) => r.associatePublicIp) && requests.length > 1)
    throw Errors.invalidParameterCombination("The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.");
  if (requests.some((r) => r !== primary && r.associatePublicIp !== undefined))
    throw Errors.invalidParameterCombination("The associatePublicIPAddress parameter can only be specified for the network interface with DeviceIndex 0.");
  checkOneInstance(requests, maxCount);
  checkExistingInterfaces(requests, maxCount);
  return [primary, ...requests.filter((r) => r !== primary).sort((a, b) => a.networkCardIndex - b.networkCardIndex || a.deviceIndex - b.deviceIndex)];
}

/** An address names one interface of one instance: asked for, it limits the launch to one instance. */
function checkOneInstance(requests: InterfaceRequest[], maxCount: number): void {
  if (maxCount > 1 && requests.some((r) => r.privateIpAddress !== undefined || r.secondaryAddresses.length > 0))
    throw Errors.invalidParameterCombination(
      "A private IP address names one interface of one instance: it cannot be used when launching more than one instance (MaxCount above 1).",
    );
}

type InterfaceSpecification = NonNullable<NetworkMembers["NetworkInterfaces"]>[number];

/**
 * The members that describe a new interface, which an existing one already has: EC2 takes them only "if creating a
 * network interface when launching an instance" (RunInstances' InstanceNetworkInterfaceSpecification).
 */
const newInterfaceMembers = [
  "SubnetId",
  "Groups",
  "PrivateIpAddress",
  "PrivateIpAddresses",
  "SecondaryPrivateIpAddressCount",
  "InterfaceType",
  "Description",
] as const;

/** NetworkInterfaceId: an existing interface at its slot, with nothing that would describe another one. */
function existingInterfaceRequest(ni: InterfaceSpecification & { DeviceIndex: number; NetworkInterfaceId: string }): InterfaceRequest {
  if (!isWellFormedId(ni.NetworkInterfaceId, "eni")) throw Errors.networkInterfaceMalformed(ni.NetworkInterfaceId);
  const contradicting = newInterfaceMembers.find((member) => ni[member] !== undefined);
  if (contradicting) throw Errors.existingInterfaceMember(contradicting);
  if (ni.AssociatePublicIpAddress !== undefined) throw Errors.publicIpOnExistingInterface();
  if (ni.DeleteOnTermination) throw Errors.existingInterfaceMember("DeleteOnTermination (true)");
  return {
    deviceIndex: ni.DeviceIndex,
    networkCardIndex: ni.NetworkCardIndex ?? 0,
    groupIds: [],
    groupNames: [],
    secondaryAddresses: [],
    secondaryCount: 0,
    deleteOnTermination: false,
    interfaceType: "interface",
    description: "",
    networkInterfaceId: ni.NetworkInterfaceId,
  };
}

/** An existing interface attaches to one instance, once. */
function checkExistingInterfaces(requests: InterfaceRequest[], maxCount: number): void {
  const ids = requests.flatMap((r) => (r.networkInterfaceId ? [r.networkInterfaceId] : []));
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw Errors.invalidParameterValue(`Network interface ${repeated} is given more than once.`);
  if (ids.length > 0 && maxCount > 1) throw Errors.existingInterfaceManyInstances();
}

function checkAddress(address: string, parameter: string): void {
  if (parseIpv4(address) === undefined)
    throw Errors.invalidParameterValue(`Value (${address}) for parameter ${parameter} is invalid. Expecting an IPv4 address.`);
}

/** How many IPv4 addresses an interface request holds: its primary and its secondary ones. */
export function addressCount(request: Pick<InterfaceRequest, "secondaryAddresses" | "secondaryCount">): number {
  return 1 + request.secondaryAddresses.length + request.secondaryCount;
}

/** The interfaces an instance has, with what DescribeInstances shows of them. */
export interface InstanceInterface extends NetworkInterface {
  groups: Array<{ groupId: string; groupName: string }>;
  /** The Elastic IP associated with the interface's primary address, if any. */
  elasticIp?: { publicIp: string; allocationId: string; associationId?: string };
}

/**
 * The public address an interface shows now. An Elastic IP wins and stays across stop. Otherwise the primary
 * interface of a pending or running instance launched with a public address gets one derived from the interface
 * and the moment its instance last started (stateChangedAt while pending or running): each start gives another,
 * with nothing stored (docs/decisions.md). The pool is 3.0.0.0/8 ... 54.0.0.0/8, Amazon's own ranges.
 */
export function publicIpOf(
  eni: Pick<InstanceInterface, "networkInterfaceId" | "elasticIp" | "attachment">,
  instance: { associatePublicIp: boolean; state: string; stateChangedAt: Date },
): string | undefined {
  if (eni.elasticIp) return eni.elasticIp.publicIp;
  if (!instance.associatePublicIp || eni.attachment?.deviceIndex !== 0 || (eni.attachment.networkCardIndex ?? 0) !== 0) return undefined;
  if (instance.state !== "pending" && instance.state !== "running") return undefined;
  // FNV-1a over the id and the start time: a page of 100 instances derives 100 addresses, so no cryptographic hash.
  let hash = 0x811c9dc5;
  const text = `${eni.networkInterfaceId}@${instance.stateChangedAt.getTime()}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  const firstOctets = [3, 18, 34, 35, 44, 52, 54];
  return `${firstOctets[(hash >>> 24) % firstOctets.length]}.${(hash >>> 16) & 0xff}.${(hash >>> 8) & 0xff}.${1 + ((hash & 0xff) % 254)}`;
}
