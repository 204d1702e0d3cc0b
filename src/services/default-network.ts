// The default network appears on an account's first networking use in a region, as in EC2 where every account
// has one from the start: each networking service calls this before it reads or writes.
import type { Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Topology } from "../domain/regions.js";
import type { NetworkRepo } from "../store/network-repo.js";

export class DefaultNetwork {
  constructor(
    private readonly network: NetworkRepo,
    private readonly topology: Topology,
    private readonly clock: Clock,
  ) {}

  /** The id of the default VPC (created on first use), or undefined when the account deleted it. */
  async ensure(scope: Scope): Promise<string | undefined> {
    return this.network.defaultVpcId(scope, this.zoneNames(scope.region), this.clock.now());
  }

  /** The same, inside a write transaction already open on the synchronous connection (RunInstances'). */
  ensureSync(scope: Scope): string | undefined {
    return this.network.defaultVpcIdSync(scope, this.zoneNames(scope.region), this.clock.now());
  }

  private zoneNames(region: string): string[] {
    return (this.topology.region(region)?.zones ?? []).map((zone) => zone.zoneName);
  }
}
