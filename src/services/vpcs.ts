// VPC use cases: create, describe, delete, the DNS attributes, CreateDefaultVpc, and DescribeAccountAttributes
// (whose default-vpc answer is the VPC this service keeps). The account's default network appears on first use.
import type { Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { dhcpOptionsFilters, vpcFilters } from "../domain/filters/vpcs.js";
import { newVpcWithDefaults, planDefaultNetwork, type Vpc } from "../domain/network.js";
import type { Page } from "../domain/pagination.js";
import type { Topology } from "../domain/regions.js";
import type { Tag } from "../domain/tags.js";
import { accountAttributes, type DhcpOptions, defaultDhcpOptions, vpcBlock } from "../domain/vpc-rules.js";
import type { NetworkRepo } from "../store/network-repo.js";
import type { VpcTopologyRepo } from "../store/vpc-topology-repo.js";
import type { DefaultNetwork } from "./default-network.js";
import { type DescribeQuery, describePage, findVpc, requireAll, scopeOf, withTags } from "./network-reads.js";

export type VpcDnsAttribute = "enableDnsSupport" | "enableDnsHostnames";

export class VpcService {
  constructor(
    private readonly network: NetworkRepo,
    private readonly topologyRepo: VpcTopologyRepo,
    private readonly defaultNetwork: DefaultNetwork,
    private readonly topology: Topology,
    private readonly clock: Clock,
  ) {}

  /** EC2's account attributes, all or the named ones, in EC2's order. */
  async accountAttributes(caller: Scope, names: readonly string[] = []): Promise<Array<{ name: string; values: string[] }>> {
    const defaultVpcId = await this.defaultNetwork.ensure(scopeOf(caller));
    const all = accountAttributes(defaultVpcId);
    const unknown = names.find((name) => !all.some((attribute) => attribute.name === name));
    if (unknown !== undefined) {
      throw Errors.invalidParameterValue(`Value (${unknown}) for parameter attributeName is invalid. Known attributes: ${all.map((a) => a.name).join(", ")}.`);
    }
    return names.length === 0 ? all : all.filter((attribute) => names.includes(attribute.name));
  }

  /** DescribeDhcpOptions: the account's one options set in the region, the default every VPC uses (not stored). */
  async dhcpOptions(caller: Scope, query: DescribeQuery): Promise<Page<DhcpOptions>> {
    const scope = scopeOf(caller);
    const set = defaultDhcpOptions(scope);
    const sets = [{ ...set, tags: this.network.dhcpOptionsTags(scope, set.dhcpOptionsId) }];
    requireAll(query.ids, sets, (d) => d.dhcpOptionsId, Errors.dhcpOptionsNotFound);
    return describePage(sets, query, dhcpOptionsFilters, (d) => d.dhcpOptionsId);
  }

  async create(caller: Scope, input: { cidrBlock: string; instanceTenancy: Vpc["instanceTenancy"]; tags: Tag[] }): Promise<Vpc> {
    vpcBlock(input.cidrBlock);
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const made = newVpcWithDefaults(scope, { ...input, isDefault: false }, this.clock.now());
    await this.network.sql.write(() => this.network.insertVpcWithDefaultsSync(made));
    return made.vpc;
  }

  async describe(caller: Scope, query: DescribeQuery): Promise<Page<Vpc>> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const vpcs = this.network.vpcs(scope, query.ids);
    requireAll(query.ids, vpcs, (v) => v.vpcId, Errors.vpcNotFound);
    return describePage(
      withTags(this.network, scope, "vpc", vpcs, (v) => v.vpcId),
      query,
      vpcFilters,
      (v) => v.vpcId,
    );
  }

  /** Refused while anything but what came with the VPC is in it; the default VPC's delete leaves the account without one. */
  async delete(caller: Scope, vpcId: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      const vpc = findVpc(this.network, scope, vpcId);
      const dependents = this.topologyRepo.vpcDependents(vpcId);
      if (Object.values(dependents).some((count) => count > 0)) throw Errors.dependencyViolation("vpc", vpcId);
      this.topologyRepo.deleteVpcSync(scope.region, vpcId);
      if (vpc.isDefault) this.network.setDefaultVpcSync(scope, undefined);
    });
  }

  async attribute(caller: Scope, vpcId: string): Promise<Vpc> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    return findVpc(this.network, scope, vpcId);
  }

  async modifyAttribute(caller: Scope, vpcId: string, attribute: VpcDnsAttribute, value: boolean): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      findVpc(this.network, scope, vpcId);
      this.topologyRepo.setVpcAttributeSync(vpcId, attribute, value);
    });
  }

  /** A new default network (VPC, a subnet per zone, an attached gateway), only while the account has no default VPC. */
  async createDefault(caller: Scope): Promise<Vpc> {
    const scope = scopeOf(caller);
    const zones = (this.topology.region(scope.region)?.zones ?? []).map((zone) => zone.zoneName);
    return this.network.sql.write(() => {
      if (this.defaultNetwork.ensureSync(scope) !== undefined) throw Errors.defaultVpcExists();
      const network = planDefaultNetwork(scope, zones, this.clock.now());
      this.network.insertDefaultNetworkSync(network);
      this.network.setDefaultVpcSync(scope, network.vpc.vpcId);
      return network.vpc;
    });
  }
}
