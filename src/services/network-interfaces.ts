// Network interfaces: create one in a subnet with its groups and private addresses, describe, attach to an instance
// within its type's limits, detach, modify, delete, and assign or unassign secondary addresses. Each change is one
// `sql.write`: its checks see the rows it changes, and a refusal leaves nothing behind.
import type { Caller, Scope } from "../domain/caller.js";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import { formatIpv4 } from "../domain/cidr.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { type InterfaceView, networkInterfaceFilters } from "../domain/filters/network-interfaces.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import { publicIpOf } from "../domain/instance-network.js";
import { currentState, isPrimaryAttachment } from "../domain/instances.js";
import type { NetworkInterface, NetworkInterfaceAttachment, SecurityGroup, Subnet } from "../domain/network.js";
import { macAddressFor } from "../domain/network.js";
import {
  askedAddress,
  checkAddressCount,
  checkAttach,
  checkDetach,
  checkInterfaceType,
  type NetworkLimits,
  networkLimits,
} from "../domain/network-interfaces.js";
import type { Tag } from "../domain/tags.js";
import type { InterfacesRepo } from "../store/interfaces-repo.js";
import type { DefaultNetwork } from "./default-network.js";
import type { InstanceService } from "./instances.js";

export interface CreateInterfaceInput {
  subnetId: string;
  groupIds?: readonly string[];
  privateIpAddress?: string;
  privateIpAddresses?: ReadonlyArray<{ address: string; primary: boolean }>;
  secondaryCount?: number;
  interfaceType?: string;
  description?: string;
  tags: Tag[];
}

export interface InterfaceChange {
  description?: string;
  sourceDestCheck?: boolean;
  groupIds?: readonly string[];
  attachment?: { attachmentId: string; deleteOnTermination: boolean };
}

export class NetworkInterfaceService {
  constructor(
    private readonly repo: InterfacesRepo,
    private readonly defaultNetwork: DefaultNetwork,
    private readonly instances: InstanceService,
    private readonly catalog: InstanceTypeCatalog,
    private readonly clock: Clock,
  ) {}

  async create(caller: Caller, input: CreateInterfaceInput): Promise<InterfaceView> {
    await this.defaultNetwork.ensure(ownerOf(caller));
    const interfaceType = checkInterfaceType(input.interfaceType);
    const subnet = this.subnet(caller, input.subnetId);
    const groupIds = this.resolveGroups(caller, subnet, input.groupIds);
    const asked = askedAddresses(subnet, input);
    const networkInterfaceId = newId("eni");
    const eni: NetworkInterface = {
      accountId: caller.accountId,
      region: caller.region,
      networkInterfaceId,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      description: input.description ?? "",
      interfaceType,
      macAddress: macAddressFor(networkInterfaceId),
      sourceDestCheck: true,
      createdAt: this.clock.now(),
      groupIds,
      privateIps: [],
      tags: input.tags,
    };
    await this.repo.network.sql.write(() => {
      this.repo.network.insertInterfaceSync(eni);
      // The asked addresses first, so that a lowest-free pick cannot take one of them.
      for (const { address, primary } of asked) this.allocate(subnet, networkInterfaceId, primary, address);
      if (!asked.some((ip) => ip.primary)) this.allocate(subnet, networkInterfaceId, true);
      for (let i = 0; i < (input.secondaryCount ?? 0); i++) this.allocate(subnet, networkInterfaceId, false);
    });
    return this.view(caller, this.own(caller, networkInterfaceId));
  }

  async describe(caller: Caller, ids: readonly string[] | undefined, filters: readonly Filter[] | undefined): Promise<InterfaceView[]> {
    await this.defaultNetwork.ensure(ownerOf(caller));
    for (const id of ids ?? []) checkInterfaceId(id);
    const found = this.repo.interfaces(caller, ids);
    const missing = (ids ?? []).find((id) => !found.some((eni) => eni.networkInterfaceId === id));
    if (missing) throw Errors.networkInterfaceNotFound(missing);
    return applyFilters(await this.views(caller, found), filters, networkInterfaceFilters);
  }

  async attach(
    caller: Caller,
    input: { networkInterfaceId: string; instanceId: string; deviceIndex: number; networkCardIndex?: number },
  ): Promise<NetworkInterfaceAttachment> {
    checkInterfaceId(input.networkInterfaceId);
    const instance = await this.instances.getOne(caller, input.instanceId);
    const limits = this.limitsOf(instance.instanceType);
    const now = this.clock.now();
    return this.repo.network.sql.write(() => {
      const eni = this.own(caller, input.networkInterfaceId);
      const attached = this.repo.network.interfacesOfInstances(caller, [instance.instanceId]);
      const slot = { deviceIndex: input.deviceIndex, networkCardIndex: input.networkCardIndex ?? 0 };
      checkAttach(
        eni,
        { instanceId: instance.instanceId, availabilityZone: instance.availabilityZone, state: currentState(instance, now), limits, attached },
        slot,
      );
      const attachment: NetworkInterfaceAttachment = {
        instanceId: instance.instanceId,
        attachmentId: newId("eni-attach"),
        ...slot,
        attachedAt: now,
        deleteOnTermination: false,
      };
      this.repo.setAttachmentSync(eni.networkInterfaceId, attachment);
      return attachment;
    });
  }

  async detach(caller: Caller, attachmentId: string): Promise<void> {
    await this.repo.network.sql.write(() => {
      const eni = this.repo.interfaceByAttachment(caller, attachmentId);
      if (!eni?.attachment) throw Errors.interfaceAttachmentNotFound(attachmentId);
      checkDetach(eni.attachment);
      this.repo.setAttachmentSync(eni.networkInterfaceId, undefined);
    });
  }

  async delete(caller: Caller, networkInterfaceId: string): Promise<void> {
    checkInterfaceId(networkInterfaceId);
    await this.repo.network.sql.write(() => {
      const eni = this.own(caller, networkInterfaceId);
      if (eni.attachment) throw Errors.networkInterfaceInUse(networkInterfaceId);
      this.repo.deleteInterfaceSync(caller, networkInterfaceId);
    });
  }

  /** One attribute a call, as EC2 takes them. */
  async modify(caller: Caller, networkInterfaceId: string, change: InterfaceChange): Promise<void> {
    checkInterfaceId(networkInterfaceId);
    const given = Object.entries(change)
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name);
    if (given.length !== 1) throw Errors.oneInterfaceAttribute(given);
    await this.repo.network.sql.write(() => {
      const eni = this.own(caller, networkInterfaceId);
      if (change.groupIds) {
        const subnet = this.subnet(caller, eni.subnetId);
        this.repo.replaceGroupsSync(networkInterfaceId, this.resolveGroups(caller, subnet, change.groupIds));
      } else if (change.attachment) {
        if (eni.attachment?.attachmentId !== change.attachment.attachmentId) throw Errors.interfaceAttachmentNotFound(change.attachment.attachmentId);
        this.repo.updateInterfaceSync(networkInterfaceId, { deleteOnTermination: change.attachment.deleteOnTermination });
      } else {
        this.repo.updateInterfaceSync(networkInterfaceId, { description: change.description, sourceDestCheck: change.sourceDestCheck });
      }
    });
  }

  async get(caller: Caller, networkInterfaceId: string): Promise<InterfaceView> {
    checkInterfaceId(networkInterfaceId);
    return this.view(caller, this.own(caller, networkInterfaceId));
  }

  /** Adds secondary addresses: the ones asked for, or `count` lowest free ones; an attached interface stays within its type's limit. */
  async assign(
    caller: Caller,
    networkInterfaceId: string,
    input: { addresses?: readonly string[]; count?: number; allowReassignment?: boolean },
  ): Promise<string[]> {
    checkInterfaceId(networkInterfaceId);
    if (!input.addresses?.length && !input.count) {
      throw Errors.missingParameter("PrivateIpAddress.N or SecondaryPrivateIpAddressCount");
    }
    const before = this.own(caller, networkInterfaceId);
    const limits = before.attachment ? this.limitsOf((await this.instances.getOne(caller, before.attachment.instanceId)).instanceType) : undefined;
    return this.repo.network.sql.write(() => {
      const eni = this.own(caller, networkInterfaceId);
      const subnet = this.subnet(caller, eni.subnetId);
      const asked = (input.addresses ?? []).map((text) => ({ text, number: askedAddress(subnet.cidrBlock, text) }));
      if (limits) checkAddressCount(limits, eni.privateIps.length + asked.length + (input.count ?? 0));
      const assigned: string[] = [];
      for (const { text, number } of asked) {
        if (eni.privateIps.some((ip) => ip.addressNumber === number)) continue;
        if (input.allowReassignment) this.takeFromOtherInterface(caller, subnet, number, text);
        assigned.push(this.allocate(subnet, networkInterfaceId, false, number));
      }
      for (let i = 0; i < (input.count ?? 0); i++) assigned.push(this.allocate(subnet, networkInterfaceId, false));
      return assigned;
    });
  }

  async unassign(caller: Caller, networkInterfaceId: string, addresses: readonly string[]): Promise<void> {
    checkInterfaceId(networkInterfaceId);
    await this.repo.network.sql.write(() => {
      const eni = this.own(caller, networkInterfaceId);
      for (const address of addresses) {
        const held = eni.privateIps.find((ip) => ip.privateIpAddress === address);
        if (!held) throw Errors.addressNotAssigned(address, networkInterfaceId);
        if (held.primary) throw Errors.primaryIpUnassignable(address);
      }
      this.repo.releasePrivateIpsSync(networkInterfaceId, addresses);
    });
  }

  // --- helpers ---

  private limitsOf(instanceType: string): NetworkLimits {
    const type = this.catalog.get(instanceType);
    if (!type) throw Errors.invalidParameterValue(`The instance type '${instanceType}' is not in the catalog.`);
    return networkLimits(type);
  }

  private own(scope: Scope, networkInterfaceId: string): NetworkInterface {
    const eni = this.repo.interface(scope, networkInterfaceId);
    if (!eni) throw Errors.networkInterfaceNotFound(networkInterfaceId);
    return eni;
  }

  private subnet(scope: Scope, subnetId: string): Subnet {
    if (!isWellFormedId(subnetId, "subnet")) throw Errors.subnetMalformed(subnetId);
    const subnet = this.repo.network.subnets(scope, [subnetId])[0];
    if (!subnet) throw Errors.subnetNotFound(subnetId);
    return subnet;
  }

  /** The groups named (each of the subnet's VPC), or the VPC's default group when none is. */
  private resolveGroups(scope: Scope, subnet: Subnet, groupIds: readonly string[] | undefined): string[] {
    if (!groupIds || groupIds.length === 0) {
      const fallback = this.repo.network.securityGroups(scope).find((group) => group.vpcId === subnet.vpcId && group.groupName === "default");
      return fallback ? [fallback.groupId] : [];
    }
    for (const id of groupIds) if (!isWellFormedId(id, "sg")) throw Errors.groupMalformed(id);
    const found = this.repo.network.securityGroups(scope, groupIds);
    for (const id of groupIds) {
      const group = found.find((candidate) => candidate.groupId === id);
      if (!group) throw Errors.groupNotFound(id);
      if (group.vpcId !== subnet.vpcId) throw Errors.groupOtherNetwork(id, subnet.subnetId);
    }
    return [...new Set(groupIds)];
  }

  /** Takes one address of the subnet for the interface, or EC2's error for a taken address or a full subnet. */
  private allocate(subnet: Subnet, networkInterfaceId: string, primary: boolean, asked?: number): string {
    const outcome = this.repo.network.allocatePrivateIpSync(subnet, networkInterfaceId, primary, asked);
    if (outcome === "full") throw Errors.insufficientFreeAddresses(subnet.subnetId);
    if (outcome === "taken") throw Errors.addressTaken(formatAsked(subnet, asked));
    return outcome.privateIpAddress;
  }

  /** AllowReassignment: a secondary address another of the caller's interfaces holds moves to this one. */
  private takeFromOtherInterface(scope: Scope, subnet: Subnet, number: number, text: string): void {
    const holder = this.repo.network
      .networkInterfaces(scope)
      .find((other) => other.subnetId === subnet.subnetId && other.privateIps.some((ip) => ip.addressNumber === number));
    const held = holder?.privateIps.find((ip) => ip.addressNumber === number);
    if (holder && held && !held.primary) this.repo.releasePrivateIpsSync(holder.networkInterfaceId, [text]);
  }

  private async view(caller: Caller, eni: NetworkInterface): Promise<InterfaceView> {
    return (await this.views(caller, [eni]))[0]!;
  }

  private async views(caller: Caller, interfaces: readonly NetworkInterface[]): Promise<InterfaceView[]> {
    const groupIds = [...new Set(interfaces.flatMap((eni) => eni.groupIds))];
    const groups = new Map<string, SecurityGroup>(this.repo.network.securityGroups(caller, groupIds).map((group) => [group.groupId, group]));
    const addresses = this.repo.addressesOfInterfaces(interfaces.map((eni) => eni.networkInterfaceId));
    const autoPublicIps = await this.autoPublicIps(caller, interfaces);
    return interfaces.map((eni) => {
      const own = addresses.filter((address) => address.networkInterfaceId === eni.networkInterfaceId);
      const primaryIp = eni.privateIps.find((ip) => ip.primary)?.privateIpAddress;
      // An Elastic IP on the primary address replaces the launch's public address, as on the instance.
      const autoPublicIp = own.some((address) => address.privateIpAddress === primaryIp) ? undefined : autoPublicIps.get(eni.networkInterfaceId);
      return {
        eni,
        region: caller.region,
        groups: eni.groupIds.map((groupId) => ({ groupId, groupName: groups.get(groupId)?.groupName ?? "" })),
        addresses: own,
        ...(autoPublicIp ? { autoPublicIp } : {}),
      };
    });
  }

  /**
   * The public address each attached interface shows as its instance's (DescribeInstances derives the same one):
   * EC2 shows it on the interface too, owned by "amazon". Only instances' primary interfaces can have one.
   */
  private async autoPublicIps(caller: Caller, interfaces: readonly NetworkInterface[]): Promise<Map<string, string>> {
    const primaries = interfaces.filter(isPrimaryAttachment);
    const found = new Map<string, string>();
    if (primaries.length === 0) return found;
    const attachedTo = primaries.map((eni) => eni.attachment!.instanceId);
    const instances = new Map((await this.instances.lifecycles(caller, attachedTo)).map((instance) => [instance.instanceId, instance]));
    const now = this.clock.now();
    for (const eni of primaries) {
      const instance = instances.get(eni.attachment!.instanceId);
      if (!instance) continue;
      const lifecycle = {
        associatePublicIp: instance.publicIpOnLaunch,
        state: currentState(instance, now),
        stateChangedAt: instance.stateChangedAt,
      };
      const publicIp = publicIpOf(eni, lifecycle);
      if (publicIp) found.set(eni.networkInterfaceId, publicIp);
    }
    return found;
  }
}

function checkInterfaceId(id: string): void {
  if (!isWellFormedId(id, "eni")) throw Errors.networkInterfaceMalformed(id);
}

/** The asked addresses of a create: PrivateIpAddress (the primary) and PrivateIpAddresses, one primary at most. */
function askedAddresses(subnet: Subnet, input: CreateInterfaceInput): Array<{ address: number; primary: boolean }> {
  const asked = new Map<number, boolean>();
  if (input.privateIpAddress !== undefined) asked.set(askedAddress(subnet.cidrBlock, input.privateIpAddress), true);
  for (const { address, primary } of input.privateIpAddresses ?? []) {
    const number = askedAddress(subnet.cidrBlock, address);
    asked.set(number, primary || asked.get(number) === true);
  }
  const primaries = [...asked.values()].filter(Boolean).length;
  if (primaries > 1) throw Errors.invalidParameterValue("Only one private IP address can be designated as primary.");
  return [...asked.entries()].map(([address, primary]) => ({ address, primary }));
}

function formatAsked(subnet: Subnet, asked: number | undefined): string {
  return asked === undefined ? subnet.cidrBlock : formatIpv4(asked);
}

/**
 * The caller narrowed to its account and region: the default network's plan spreads the scope it is given into
 * its rows, so a Caller (with its access key) would add columns the tables do not have.
 */
export function ownerOf(caller: Caller): Scope {
  return { accountId: caller.accountId, region: caller.region };
}
