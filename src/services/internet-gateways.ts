// Internet gateway use cases: create, describe, attach (one gateway per VPC, one VPC per gateway), detach (refused
// while the VPC has mapped public addresses) and delete (refused while attached). A route through a detached
// gateway stays, as a blackhole (route-tables.ts).
import type { Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { internetGatewayFilters } from "../domain/filters/internet-gateways.js";
import { newId } from "../domain/ids.js";
import type { InternetGateway } from "../domain/network.js";
import type { Page } from "../domain/pagination.js";
import type { Tag } from "../domain/tags.js";
import type { NetworkRepo } from "../store/network-repo.js";
import type { VpcTopologyRepo } from "../store/vpc-topology-repo.js";
import type { DefaultNetwork } from "./default-network.js";
import { type DescribeQuery, describePage, findVpc, requireAll, scopeOf, withTags } from "./network-reads.js";

export class InternetGatewayService {
  constructor(
    private readonly network: NetworkRepo,
    private readonly topologyRepo: VpcTopologyRepo,
    private readonly defaultNetwork: DefaultNetwork,
    private readonly clock: Clock,
  ) {}

  async create(caller: Scope, tags: Tag[]): Promise<InternetGateway> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const gateway: InternetGateway = { ...scope, internetGatewayId: newId("igw"), createdAt: this.clock.now(), tags };
    await this.network.sql.write(() => this.network.insertInternetGatewaySync(gateway));
    return gateway;
  }

  async describe(caller: Scope, query: DescribeQuery): Promise<Page<InternetGateway>> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const gateways = this.network.internetGateways(scope, query.ids);
    requireAll(query.ids, gateways, (g) => g.internetGatewayId, Errors.internetGatewayNotFound);
    const tagged = withTags(this.network, scope, "igw", gateways, (g) => g.internetGatewayId);
    return describePage(tagged, query, internetGatewayFilters, (g) => g.internetGatewayId);
  }

  async attach(caller: Scope, internetGatewayId: string, vpcId: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      const gateway = this.find(scope, internetGatewayId);
      findVpc(this.network, scope, vpcId);
      if (gateway.vpcId) throw Errors.gatewayAlreadyAttached(internetGatewayId, gateway.vpcId);
      if (this.network.internetGateways(scope).some((other) => other.vpcId === vpcId)) throw Errors.vpcHasGateway(vpcId);
      this.topologyRepo.setGatewayVpcSync(internetGatewayId, vpcId);
    });
  }

  async detach(caller: Scope, internetGatewayId: string, vpcId: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      const gateway = this.find(scope, internetGatewayId);
      findVpc(this.network, scope, vpcId);
      if (gateway.vpcId !== vpcId) throw Errors.gatewayNotAttached(internetGatewayId, vpcId);
      if (this.topologyRepo.hasMappedPublicAddresses(scope.accountId, scope.region, vpcId)) throw Errors.mappedPublicAddresses(vpcId);
      this.topologyRepo.setGatewayVpcSync(internetGatewayId, undefined);
    });
  }

  async delete(caller: Scope, internetGatewayId: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      const gateway = this.find(scope, internetGatewayId);
      if (gateway.vpcId) throw Errors.dependencyViolation("internetGateway", internetGatewayId);
      this.topologyRepo.deleteGatewaySync(scope.region, internetGatewayId);
    });
  }

  private find(scope: Scope, internetGatewayId: string): InternetGateway {
    const gateway = this.network.internetGateways(scope, [internetGatewayId])[0];
    if (!gateway) throw Errors.internetGatewayNotFound(internetGatewayId);
    return gateway;
  }
}
