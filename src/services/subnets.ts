// Subnet use cases: create (a block inside the VPC's, no overlap, a zone of the region), describe (with the free
// addresses kept true), delete (refused while interfaces are in it), and MapPublicIpOnLaunch.
import type { Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { type SubnetView, subnetFilters } from "../domain/filters/subnets.js";
import { newId } from "../domain/ids.js";
import type { Subnet } from "../domain/network.js";
import type { Page } from "../domain/pagination.js";
import type { Topology, Zone } from "../domain/regions.js";
import type { Tag } from "../domain/tags.js";
import { availableIpAddressCount, subnetBlock, zoneForNewSubnet } from "../domain/vpc-rules.js";
import type { NetworkRepo } from "../store/network-repo.js";
import type { VpcTopologyRepo } from "../store/vpc-topology-repo.js";
import type { DefaultNetwork } from "./default-network.js";
import { type DescribeQuery, describePage, findSubnet, findVpc, requireAll, scopeOf, subnetsOfVpc, withTags } from "./network-reads.js";

export interface CreateSubnetInput {
  vpcId: string;
  cidrBlock: string;
  availabilityZone?: string;
  availabilityZoneId?: string;
  tags: Tag[];
}

export class SubnetService {
  constructor(
    private readonly network: NetworkRepo,
    private readonly topologyRepo: VpcTopologyRepo,
    private readonly defaultNetwork: DefaultNetwork,
    private readonly topology: Topology,
    private readonly clock: Clock,
  ) {}

  async create(caller: Scope, input: CreateSubnetInput): Promise<SubnetView> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const zones = this.topology.region(scope.region)?.zones ?? [];
    const named = this.namedZone(zones, input);
    const subnet = await this.network.sql.write(() => {
      const vpc = findVpc(this.network, scope, input.vpcId);
      const siblings = subnetsOfVpc(this.network, scope, vpc.vpcId);
      subnetBlock(input.cidrBlock, vpc.cidrBlock, siblings);
      const made: Subnet = {
        ...scope,
        subnetId: newId("subnet"),
        vpcId: vpc.vpcId,
        cidrBlock: input.cidrBlock,
        availabilityZone:
          named ??
          zoneForNewSubnet(
            zones.map((zone) => zone.zoneName),
            siblings,
          ),
        defaultForAz: false,
        mapPublicIpOnLaunch: false,
        createdAt: this.clock.now(),
        tags: input.tags,
      };
      this.network.insertSubnetSync(made);
      return made;
    });
    return this.view(subnet, 0);
  }

  async describe(caller: Scope, query: DescribeQuery): Promise<Page<SubnetView>> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const subnets = this.network.subnets(scope, query.ids);
    requireAll(query.ids, subnets, (s) => s.subnetId, Errors.subnetNotFound);
    const inUse = this.network.addressesInUse(subnets.map((s) => s.subnetId));
    const views = withTags(this.network, scope, "subnet", subnets, (s) => s.subnetId).map((s) => this.view(s, inUse.get(s.subnetId) ?? 0));
    return describePage(views, query, subnetFilters, (v) => v.subnet.subnetId);
  }

  async delete(caller: Scope, subnetId: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      findSubnet(this.network, scope, subnetId);
      if (this.topologyRepo.interfacesInSubnet(subnetId) > 0) throw Errors.dependencyViolation("subnet", subnetId);
      this.topologyRepo.deleteSubnetSync(scope.region, subnetId);
    });
  }

  async setMapPublicIpOnLaunch(caller: Scope, subnetId: string, value: boolean): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      findSubnet(this.network, scope, subnetId);
      this.topologyRepo.setMapPublicIpOnLaunchSync(subnetId, value);
    });
  }

  /** The zone the request names, by name or id (both must agree), or undefined when it names none. */
  private namedZone(zones: readonly Zone[], input: CreateSubnetInput): string | undefined {
    const byName = input.availabilityZone;
    const byId = input.availabilityZoneId;
    if (byName !== undefined && !zones.some((zone) => zone.zoneName === byName)) {
      throw Errors.subnetZoneInvalid(
        byName,
        zones.map((zone) => zone.zoneName),
      );
    }
    const ofId = byId === undefined ? undefined : zones.find((zone) => zone.zoneId === byId);
    if (byId !== undefined && !ofId) {
      throw Errors.subnetZoneIdInvalid(
        byId,
        zones.map((zone) => zone.zoneId),
      );
    }
    if (byName !== undefined && ofId && ofId.zoneName !== byName) throw Errors.subnetZoneContradiction(byName, ofId.zoneId);
    return byName ?? ofId?.zoneName;
  }

  private view(subnet: Subnet, inUse: number): SubnetView {
    return {
      subnet,
      availabilityZoneId: this.topology.zoneId(subnet.availabilityZone) ?? "",
      availableIpAddressCount: availableIpAddressCount(subnet.cidrBlock, inUse),
    };
  }
}
