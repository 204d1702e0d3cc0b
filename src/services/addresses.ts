// Elastic IPs: allocate one from mini-ec2's pool (five an account and region, as EC2's default quota), describe,
// associate with an interface's private address (an instance's: its primary interface's primary address),
// disassociate and release. Each change is one `sql.write`, so the quota and the one-association rule hold under
// concurrent calls.
import type { Caller, Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { type AddressView, addressFilters } from "../domain/filters/network-interfaces.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import { type Page, paginate } from "../domain/pagination.js";
import type { Address, NetworkInterface } from "../domain/network.js";
import { maxElasticIpsPerRegion, poolAddress } from "../domain/network-interfaces.js";
import { ownerOf } from "./network-interfaces.js";
import type { Tag } from "../domain/tags.js";
import type { InterfacesRepo } from "../store/interfaces-repo.js";
import type { DefaultNetwork } from "./default-network.js";
import type { InstanceService } from "./instances.js";

/** How many random draws from the pool before giving up: with 131,072 addresses, a miss means it is nearly full. */
const poolDraws = 64;

export interface AssociateInput {
  allocationId?: string;
  publicIp?: string;
  instanceId?: string;
  networkInterfaceId?: string;
  privateIpAddress?: string;
  allowReassociation?: boolean;
}

export class AddressService {
  constructor(
    private readonly repo: InterfacesRepo,
    private readonly defaultNetwork: DefaultNetwork,
    private readonly instances: InstanceService,
    private readonly clock: Clock,
    /** The pool draw, injectable so that a test can make two draws collide. */
    private readonly draw: () => number = Math.random,
  ) {}

  async allocate(caller: Caller, input: { domain?: string; tags: Tag[] }): Promise<Address> {
    if (input.domain !== undefined && input.domain !== "vpc") {
      throw Errors.invalidParameterValue(`EC2-Classic is retired: Domain '${input.domain}' is not available. Allocate with Domain vpc.`);
    }
    await this.defaultNetwork.ensure(ownerOf(caller));
    return this.repo.network.sql.write(() => {
      if (this.repo.countAddresses(caller) >= maxElasticIpsPerRegion) throw Errors.addressLimitExceeded();
      const publicIp = this.freePoolAddress();
      const address: Address = {
        accountId: caller.accountId,
        region: caller.region,
        allocationId: newId("eipalloc"),
        publicIp,
        domain: "vpc",
        createdAt: this.clock.now(),
        tags: input.tags,
      };
      this.repo.network.insertAddressSync(address);
      return address;
    });
  }

  async describe(
    caller: Caller,
    input: { publicIps?: readonly string[]; allocationIds?: readonly string[]; filters?: readonly Filter[] },
  ): Promise<AddressView[]> {
    await this.defaultNetwork.ensure(ownerOf(caller));
    let found = this.repo.addresses(caller);
    if (input.allocationIds?.length) {
      const missing = input.allocationIds.find((id) => !found.some((address) => address.allocationId === id));
      if (missing) throw Errors.allocationNotFound(missing);
      found = found.filter((address) => input.allocationIds!.includes(address.allocationId));
    }
    if (input.publicIps?.length) {
      const missing = input.publicIps.find((ip) => !found.some((address) => address.publicIp === ip));
      if (missing) throw Errors.publicIpNotFound(missing);
      found = found.filter((address) => input.publicIps!.includes(address.publicIp));
    }
    return applyFilters(this.views(caller, found), input.filters, addressFilters);
  }

  /**
   * DescribeAddressesAttribute: the caller's Elastic IPs (or the named ones) in allocation id order, a page at a
   * time. Their one attribute, the reverse DNS name, is the address's EC2 public DNS name: no PTR record is set.
   */
  async attributes(caller: Caller, input: { allocationIds?: readonly string[]; maxResults?: number; nextToken?: string }): Promise<Page<Address>> {
    const found = (await this.describe(caller, { allocationIds: input.allocationIds })).map((view) => view.address);
    const ordered = found.sort((a, b) => a.allocationId.localeCompare(b.allocationId));
    return paginate(ordered, (address) => address.allocationId, { MaxResults: input.maxResults, NextToken: input.nextToken }, 1000);
  }

  async associate(caller: Caller, input: AssociateInput): Promise<string> {
    if (input.instanceId && input.networkInterfaceId) throw Errors.associationTargetsBoth();
    if (!input.instanceId && !input.networkInterfaceId) throw Errors.associationTargetMissing();
    // The instance is read (and its id checked) before the write; its interface is read inside it.
    const instance = input.instanceId ? await this.instances.getOne(caller, input.instanceId) : undefined;
    if (input.networkInterfaceId && !isWellFormedId(input.networkInterfaceId, "eni")) throw Errors.networkInterfaceMalformed(input.networkInterfaceId);
    return this.repo.network.sql.write(() => {
      const address = this.own(caller, input);
      const eni = instance ? this.primaryInterface(caller, instance.instanceId) : this.repo.interface(caller, input.networkInterfaceId!);
      if (!eni) throw Errors.networkInterfaceNotFound(input.networkInterfaceId!);
      const privateIp = input.privateIpAddress ?? eni.privateIps.find((ip) => ip.primary)!.privateIpAddress;
      if (!eni.privateIps.some((ip) => ip.privateIpAddress === privateIp)) throw Errors.addressNotAssigned(privateIp, eni.networkInterfaceId);
      if (!this.repo.vpcHasInternetGateway(eni.vpcId)) throw Errors.vpcWithoutInternetGateway(eni.vpcId);
      const sameTarget = address.networkInterfaceId === eni.networkInterfaceId && address.privateIpAddress === privateIp;
      if (address.associationId && !sameTarget && !input.allowReassociation) throw Errors.addressAlreadyAssociated(address.allocationId, address.associationId);
      // One Elastic IP a private address: another one there is replaced when reassociation is allowed.
      const occupant = this.repo
        .addressesOfInterfaces([eni.networkInterfaceId])
        .find((other) => other.privateIpAddress === privateIp && other.allocationId !== address.allocationId);
      if (occupant) {
        if (!input.allowReassociation) throw Errors.addressAlreadyAssociated(occupant.allocationId, occupant.associationId!);
        this.repo.disassociateSync(occupant.allocationId);
      }
      const associationId = newId("eipassoc");
      this.repo.associateSync(address.allocationId, { associationId, networkInterfaceId: eni.networkInterfaceId, privateIpAddress: privateIp });
      return associationId;
    });
  }

  async disassociate(caller: Caller, input: { associationId?: string; publicIp?: string }): Promise<void> {
    await this.repo.network.sql.write(() => {
      if (input.associationId) {
        const address = this.repo.addressWhere(caller, "associationId", input.associationId);
        if (!address) throw Errors.associationNotFound(input.associationId);
        this.repo.disassociateSync(address.allocationId);
        return;
      }
      if (!input.publicIp) throw Errors.missingParameter("AssociationId");
      const address = this.repo.addressWhere(caller, "publicIp", input.publicIp);
      if (!address) throw Errors.publicIpNotFound(input.publicIp);
      this.repo.disassociateSync(address.allocationId);
    });
  }

  async release(caller: Caller, input: { allocationId?: string; publicIp?: string }): Promise<void> {
    if (!input.allocationId && !input.publicIp) throw Errors.missingParameter("AllocationId");
    await this.repo.network.sql.write(() => {
      const address = this.own(caller, input);
      if (address.associationId) throw Errors.addressInUse(address.publicIp);
      this.repo.deleteAddressSync(caller, address.allocationId);
    });
  }

  // --- helpers ---

  /** The caller's address named by allocation id (or, as older clients do, by public address). */
  private own(scope: Scope, input: { allocationId?: string; publicIp?: string }): Address {
    if (input.allocationId) {
      const address = this.repo.network.addresses(scope, [input.allocationId])[0];
      if (!address) throw Errors.allocationNotFound(input.allocationId);
      return address;
    }
    if (!input.publicIp) throw Errors.missingParameter("AllocationId");
    const address = this.repo.addressWhere(scope, "publicIp", input.publicIp);
    if (!address) throw Errors.publicIpNotFound(input.publicIp);
    return address;
  }

  private primaryInterface(scope: Scope, instanceId: string): NetworkInterface {
    const primary = this.repo.network
      .interfacesOfInstances(scope, [instanceId])
      .find((eni) => eni.attachment?.deviceIndex === 0 && eni.attachment.networkCardIndex === 0);
    if (!primary) throw Errors.instanceWithoutInterface(instanceId);
    return primary;
  }

  private freePoolAddress(): string {
    for (let i = 0; i < poolDraws; i++) {
      const candidate = poolAddress(this.draw());
      if (!this.repo.publicIpTaken(candidate)) return candidate;
    }
    throw Errors.elasticIpPoolExhausted();
  }

  private views(scope: Scope, addresses: readonly Address[]): AddressView[] {
    const interfaceIds = addresses.flatMap((address) => (address.networkInterfaceId ? [address.networkInterfaceId] : []));
    // An empty id list would read every interface of the account.
    const found = interfaceIds.length > 0 ? this.repo.network.networkInterfaces(scope, interfaceIds) : [];
    const interfaces = new Map(found.map((eni) => [eni.networkInterfaceId, eni]));
    return addresses.map((address) => {
      const eni = address.networkInterfaceId ? interfaces.get(address.networkInterfaceId) : undefined;
      return { address, ...(eni?.attachment ? { instanceId: eni.attachment.instanceId } : {}), ...(eni ? { subnetId: eni.subnetId } : {}) };
    });
  }
}
