// DescribeNetworkAcls: each VPC's default ACL, associated with every subnet of its VPC (mini-ec2 has no
// CreateNetworkAcl, so no subnet can be associated with another one). Entries are stored, not evaluated.
import type { Scope } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { type NetworkAclView, networkAclFilters } from "../domain/filters/network-acls.js";
import type { Page } from "../domain/pagination.js";
import type { NetworkRepo } from "../store/network-repo.js";
import type { DefaultNetwork } from "./default-network.js";
import { type DescribeQuery, describePage, requireAll, scopeOf, withTags } from "./network-reads.js";

export class NetworkAclService {
  constructor(
    private readonly network: NetworkRepo,
    private readonly defaultNetwork: DefaultNetwork,
  ) {}

  async describe(caller: Scope, query: DescribeQuery): Promise<Page<NetworkAclView>> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const acls = this.network.networkAcls(scope, query.ids);
    requireAll(query.ids, acls, (a) => a.networkAclId, Errors.networkAclNotFound);
    const subnets = this.network.subnets(scope);
    const views = withTags(this.network, scope, "acl", acls, (a) => a.networkAclId).map(
      (acl): NetworkAclView => ({
        acl,
        subnetIds: acl.isDefault ? subnets.filter((subnet) => subnet.vpcId === acl.vpcId).map((subnet) => subnet.subnetId) : [],
      }),
    );
    return describePage(views, query, networkAclFilters, (v) => v.acl.networkAclId);
  }
}
