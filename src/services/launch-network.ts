// Where a launch's instances go in the network: the subnets and security groups of their interfaces, resolved and
// checked before anything is placed. Without a subnet an instance goes to the default subnet of the zone it lands
// in, so the plan answers per zone; the interfaces themselves are created in the launch's transaction. An existing
// interface (NetworkInterfaceId) brings its subnet, zone and groups; it is taken in that transaction too.
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { isWellFormedId } from "../domain/ids.js";
import { addressCount, type InterfaceRequest } from "../domain/instance-network.js";
import type { NetworkInterface, SecurityGroup, Subnet } from "../domain/network.js";
import type { ResolvedInterface } from "../store/instance-network-repo.js";
import type { NetworkRepo } from "../store/network-repo.js";
import type { DefaultNetwork } from "./default-network.js";

export interface LaunchNetworkPlan {
  /** The zone the named subnets put the instances in; absent when every interface takes its zone's default subnet. */
  zone?: string;
  /** The interfaces of one instance landing in this zone. */
  interfacesIn(zone: string): ResolvedInterface[];
  /** Whether the primary interface shows a public address while running. */
  publicIpIn(zone: string): boolean;
  /** What the type's interface limits judge of each interface: an existing one's own type and address count. */
  limitFacts: Array<{ deviceIndex: number; networkCardIndex: number; addresses: number; interfaceType: string }>;
}

export class LaunchNetwork {
  constructor(
    private readonly network: NetworkRepo,
    private readonly defaultNetwork: DefaultNetwork,
  ) {}

  async plan(caller: Caller, requests: readonly InterfaceRequest[], zoneAsked: string | undefined): Promise<LaunchNetworkPlan> {
    const existing = this.existingInterfaces(caller, requests);
    // An existing interface stands for its subnet from here on.
    const subnetIdOf = (request: InterfaceRequest) => (request.networkInterfaceId ? existing.get(request.networkInterfaceId)!.subnetId : request.subnetId);
    const named = this.namedSubnets(
      caller,
      requests.flatMap((r) => subnetIdOf(r) ?? []),
    );
    const zones = new Set([...named.values()].map((subnet) => subnet.availabilityZone));
    if (zones.size > 1) throw Errors.invalidParameterValue("The network interfaces of an instance must all be in subnets of one Availability Zone.");
    const [zone] = zones;
    if (zone && zoneAsked && zone !== zoneAsked) {
      const eni = [...existing.values()][0];
      if (eni) throw Errors.interfaceZoneContradiction(zoneAsked, eni.networkInterfaceId, eni.availabilityZone);
      const subnet = [...named.values()][0]!;
      throw Errors.invalidParameterValue(
        `Value (${zoneAsked}) for parameter availabilityZone is invalid. Subnet '${subnet.subnetId}' is in the availability zone ${zone}`,
      );
    }
    const needsDefault = requests.some((r) => !subnetIdOf(r) || r.groupNames.length > 0);
    // A plain scope: the default network's rows are made from it, and a Caller carries more than their columns.
    const defaultVpcId = needsDefault ? await this.defaultNetwork.ensure({ accountId: caller.accountId, region: caller.region }) : undefined;
    if (requests.some((r) => !subnetIdOf(r)) && !defaultVpcId) throw Errors.noDefaultVpc();
    const defaultSubnets = new Map<string, Subnet>();
    if (defaultVpcId) {
      for (const subnet of this.network.subnets(caller)) {
        if (subnet.vpcId === defaultVpcId && subnet.defaultForAz) defaultSubnets.set(subnet.availabilityZone, subnet);
      }
    }
    const vpcOf = (request: InterfaceRequest) => (request.subnetId ? named.get(request.subnetId)!.vpcId : defaultVpcId!);
    const subnetNameFor = (request: InterfaceRequest) =>
      request.subnetId ?? defaultSubnets.get(zoneAsked ?? "")?.subnetId ?? [...defaultSubnets.values()][0]?.subnetId ?? defaultVpcId!;
    const groups = requests.map((request) =>
      request.networkInterfaceId
        ? this.groupsOfInterface(caller, existing.get(request.networkInterfaceId)!)
        : this.groupsOf(caller, request, vpcOf(request), defaultVpcId, subnetNameFor(request)),
    );
    const subnetIn = (request: InterfaceRequest, zone: string): Subnet => {
      const subnetId = subnetIdOf(request);
      if (subnetId) return named.get(subnetId)!;
      const subnet = defaultSubnets.get(zone);
      if (!subnet) throw Errors.noDefaultSubnet(zone);
      return subnet;
    };
    return {
      ...(zone ? { zone } : {}),
      interfacesIn: (zone) =>
        requests.map((request, i) => {
          const eni = request.networkInterfaceId ? existing.get(request.networkInterfaceId) : undefined;
          return { request, subnet: subnetIn(request, zone), groups: groups[i]!, ...(eni ? { existing: eni } : {}) };
        }),
      // A public address is auto-assigned only to a new primary interface (docs/decisions.md).
      publicIpIn: (zone) => !requests[0]!.networkInterfaceId && (requests[0]!.associatePublicIp ?? subnetIn(requests[0]!, zone).mapPublicIpOnLaunch),
      limitFacts: requests.map((request) => {
        const eni = request.networkInterfaceId ? existing.get(request.networkInterfaceId) : undefined;
        return {
          deviceIndex: request.deviceIndex,
          networkCardIndex: request.networkCardIndex,
          addresses: eni ? eni.privateIps.length : addressCount(request),
          interfaceType: eni ? eni.interfaceType : request.interfaceType,
        };
      }),
    };
  }

  /**
   * The existing interfaces the launch names: each the caller's and available (attached in the launch's
   * transaction). A retry of a launch that took one never gets here: its ClientToken answers it first (LaunchService).
   */
  private existingInterfaces(caller: Caller, requests: readonly InterfaceRequest[]): Map<string, NetworkInterface> {
    const ids = requests.flatMap((r) => r.networkInterfaceId ?? []);
    if (ids.length === 0) return new Map();
    const found = new Map(this.network.networkInterfaces(caller, ids).map((eni) => [eni.networkInterfaceId, eni]));
    for (const id of ids) {
      const eni = found.get(id);
      if (!eni) throw Errors.networkInterfaceNotFound(id);
      if (eni.attachment) throw Errors.launchInterfaceInUse(id);
    }
    return found;
  }

  /** An existing interface keeps its groups; their names are shown on the instance. */
  private groupsOfInterface(caller: Caller, eni: NetworkInterface): Array<{ groupId: string; groupName: string }> {
    const names = new Map(this.network.securityGroups(caller, eni.groupIds).map((g) => [g.groupId, g.groupName]));
    return eni.groupIds.map((groupId) => ({ groupId, groupName: names.get(groupId) ?? "" }));
  }

  private namedSubnets(caller: Caller, subnetIds: readonly string[]): Map<string, Subnet> {
    const ids = [...new Set(subnetIds)];
    if (ids.length === 0) return new Map();
    for (const id of ids) if (!isWellFormedId(id, "subnet")) throw Errors.subnetMalformed(id);
    const found = new Map(this.network.subnets(caller, ids).map((subnet) => [subnet.subnetId, subnet]));
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw Errors.subnetNotFound(missing);
    return found;
  }

  /** The interface's groups: those named (ids of its VPC; names in the default VPC), or its VPC's default group. */
  private groupsOf(
    caller: Caller,
    request: InterfaceRequest,
    vpcId: string,
    defaultVpcId: string | undefined,
    subnetName: string,
  ): Array<{ groupId: string; groupName: string }> {
    if (request.groupNames.length > 0 && vpcId !== defaultVpcId)
      throw Errors.invalidParameterCombination("The parameter groupName cannot be used with the parameter subnet");
    for (const id of request.groupIds) if (!isWellFormedId(id, "sg")) throw Errors.groupMalformed(id);
    const byId: SecurityGroup[] = request.groupIds.length ? this.network.securityGroups(caller, [...new Set(request.groupIds)]) : [];
    const missing = request.groupIds.find((id) => !byId.some((g) => g.groupId === id));
    if (missing) throw Errors.groupNotFound(missing);
    const elsewhere = byId.find((g) => g.vpcId !== vpcId);
    if (elsewhere) throw Errors.groupOtherNetwork(elsewhere.groupId, subnetName);
    const vpcGroups = request.groupNames.length > 0 || byId.length === 0 ? this.network.securityGroups(caller).filter((g) => g.vpcId === vpcId) : [];
    const byName = request.groupNames.map((name) => {
      const group = vpcGroups.find((g) => g.groupName === name);
      if (!group) throw Errors.groupNameNotFound(name, vpcId);
      return group;
    });
    const chosen = new Map([...byId, ...byName].map((g) => [g.groupId, { groupId: g.groupId, groupName: g.groupName }]));
    if (chosen.size > 0) return [...chosen.values()];
    const fallback = vpcGroups.find((g) => g.groupName === "default");
    return fallback ? [{ groupId: fallback.groupId, groupName: fallback.groupName }] : [];
  }
}
