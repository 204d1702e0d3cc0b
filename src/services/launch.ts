// RunInstances: resolve the image, type, kernel, zone, group and host; let the rules decide; then place and
// store every instance in one transaction (src/store/instances-repo.ts).
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { Offerings } from "../domain/catalog/offerings.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { DedicatedHost } from "../domain/dedicated-hosts.js";
import { hostFootprint } from "../domain/host-families.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { classesFor, type FleetConfig, familyOf, footprintOf, hypervisorOf } from "../domain/fleet.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import { definedOnly } from "../domain/objects.js";
import { type BlockDeviceMapping, canLaunch, type Image, imageState, ramdiskRefusal } from "../domain/images.js";
import { type Snapshot, usableSnapshot } from "../domain/snapshots.js";
import { checkUserData, instanceStoreDevices, launchOptions, type RequestedOptions } from "../domain/instance-options.js";
import { type Instance, launchDevices, privateAddressFor, rootVolumeMappings, volumesOf } from "../domain/instances.js";
import { launchContext, zonesOffering } from "../domain/launch-context.js";
import { effectiveBootMode, enforce, judge, type LaunchContext, type LaunchJudgement } from "../domain/launch-rules.js";
import { type LaunchOutcome, spreadLimitPerZone } from "../domain/placement.js";
import type { PlacementGroup } from "../domain/placement-groups.js";
import type { Topology } from "../domain/regions.js";
import type { Tag } from "../domain/tags.js";
import type { CreditDefaultsRepo } from "../store/credit-defaults-repo.js";
import type { EbsEncryptionRepo } from "../store/ebs-encryption-repo.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { HostsRepo } from "../store/hosts-repo.js";
import type { ImagesRepo } from "../store/images-repo.js";
import type { InstancesRepo } from "../store/instances-repo.js";
import type { InstanceNetworkRepo } from "../store/instance-network-repo.js";
import type { LaunchNetwork } from "./launch-network.js";
import type { PublicParameterService } from "./public-parameters.js";
import { interfaceRequests, type NetworkMembers } from "../domain/instance-network.js";
import type { KeyPairsRepo } from "../store/key-pairs-repo.js";
import type { LaunchTokensRepo } from "../store/launch-tokens-repo.js";
import type { PlacementGroupsRepo } from "../store/placement-groups-repo.js";
import { newSpotRequestId } from "../domain/spot.js";
import { productOf } from "../domain/spot-price.js";
import type { SpotLaunch, SpotMarket } from "./spot-market.js";

export interface LaunchRequest {
  imageId?: string;
  instanceType?: string;
  minCount: number;
  maxCount: number;
  placement?: { availabilityZone?: string; tenancy?: string; hostId?: string; affinity?: string; groupName?: string; partitionNumber?: number };
  kernelId?: string;
  ramdiskId?: string;
  blockDeviceMappings?: BlockDeviceMapping[];
  keyName?: string;
  userData?: string;
  clientToken?: string;
  disableApiTermination?: boolean;
  instanceTags: Tag[];
  volumeTags: Tag[];
  /** TagSpecifications of ResourceType network-interface: the interfaces the launch creates. */
  interfaceTags?: Tag[];
  /** Metadata options, shutdown behaviour, monitoring and the other settings the instance keeps. */
  options?: RequestedOptions;
  /** SubnetId, the security groups, PrivateIpAddress and NetworkInterfaces, as RunInstances took them. */
  network?: NetworkMembers;
  /** A Spot launch (docs/spot.md); none: On-Demand. */
  market?: SpotLaunch;
}

export interface LaunchDeps {
  instances: InstancesRepo;
  images: ImagesRepo;
  fleet: FleetRepo;
  hosts: HostsRepo;
  groups: PlacementGroupsRepo;
  keyPairs: KeyPairsRepo;
  creditDefaults: CreditDefaultsRepo;
  /** EBS encryption by default (EnableEbsEncryptionByDefault): every launched volume encrypted while on. */
  ebsEncryption: EbsEncryptionRepo;
  catalog: InstanceTypeCatalog;
  offerings: Offerings;
  topology: Topology;
  fleetConfig: FleetConfig;
  clock: Clock;
  delays: Delays;
  launchNetwork: LaunchNetwork;
  instanceNetwork: InstanceNetworkRepo;
  /** Spot: prices, a Spot launch's request, and the room an On-Demand launch takes from Spot Instances. */
  spotMarket?: SpotMarket;
  /** The instances a ClientToken already launched. */
  launchTokens: LaunchTokensRepo;
  /** SSM's public AMI parameters, which an ImageId of the form resolve:ssm:<parameter> names. */
  publicParameters: PublicParameterService;
}

/** What a Spot request keeps of the launch it stands for, to launch it again: no token (a new launch), one instance. */
export function launchSpecificationOf(request: LaunchRequest): string {
  const { market: _market, clientToken: _token, minCount: _min, maxCount: _max, ...specification } = request;
  return JSON.stringify(specification);
}

/** EC2's default when RunInstances names no type. */
const defaultInstanceType = "m1.small";

export class LaunchService {
  constructor(private readonly deps: LaunchDeps) {}

  /** Everything the rules need to judge a launch, resolved and checked for existence. */
  async resolve(caller: Caller, request: Pick<LaunchRequest, "imageId" | "instanceType" | "placement" | "kernelId" | "blockDeviceMappings">) {
    const { deps } = this;
    if (!request.imageId) throw Errors.missingParameter("ImageId");
    if (!isWellFormedId(request.imageId, "ami")) throw Errors.amiMalformed(request.imageId);
    const image = await deps.images.find(caller.region, request.imageId);
    if (!image || !canLaunch(image, caller.accountId) || image.imageType !== "machine") throw Errors.amiNotFound([request.imageId]);
    const typeName = request.instanceType ?? defaultInstanceType;
    const type = deps.catalog.get(typeName);
    if (!type) throw Errors.invalidInstanceType(typeName);

    const kernelId = image.virtualizationType === "paravirtual" ? (request.kernelId ?? image.kernelId) : request.kernelId;
    if (image.virtualizationType === "hvm" && request.kernelId) {
      throw Errors.invalidParameterCombination(
        "A kernel image applies only to paravirtual instances: an HVM instance boots from its own disk. Drop --kernel-id.",
      );
    }
    let kernel: LaunchContext["kernel"];
    if (kernelId) {
      const found = isWellFormedId(kernelId, "aki") ? await deps.images.find(caller.region, kernelId) : undefined;
      if (found && canLaunch(found, caller.accountId)) kernel = found;
    }

    const zoneName = request.placement?.availabilityZone;
    if (zoneName && !deps.topology.region(caller.region)?.zones.some((z) => z.zoneName === zoneName)) throw Errors.invalidZone(zoneName);

    let group: PlacementGroup | undefined;
    if (request.placement?.groupName) {
      [group] = await deps.groups.list(caller, { names: [request.placement.groupName] });
      if (!group) throw Errors.placementGroupUnknown(request.placement.groupName);
    }

    let host: DedicatedHost | undefined;
    if (request.placement?.hostId) {
      const hostId = request.placement.hostId;
      if (!isWellFormedId(hostId, "h")) throw Errors.hostMalformed(hostId);
      [host] = await deps.hosts.list(caller, [hostId]);
      if (!host || host.state !== "available") throw Errors.hostNotFound([hostId]);
      if (zoneName && host.availabilityZone !== zoneName)
        throw Errors.invalidParameterValue(`The host ${hostId} is in ${host.availabilityZone}, not ${zoneName}.`);
    }
    const tenancy = host ? "host" : (request.placement?.tenancy ?? "default");
    const rootSnapshot = await this.rootSnapshot(caller, image, request.blockDeviceMappings ?? []);
    const guest = rootSnapshot?.guest;
    const context = launchContext(deps.catalog, deps.offerings, {
      operation: "RunInstances",
      region: caller.region,
      ...(zoneName ? { zoneName } : {}),
      image,
      type,
      ...(kernelId ? { kernelId } : {}),
      ...(kernel ? { kernel } : {}),
      ...(group ? { placementGroup: { name: group.groupName, strategy: group.strategy } } : {}),
      ...(host ? { host } : {}),
      tenancy,
      ...(guest ? { guest } : {}),
    });
    return { image, type, kernelId, zonesOffering: zonesOffering(deps.offerings, caller.region, typeName), group, host, tenancy, context, rootSnapshot };
  }

  /** Every ramdisk is refused (PV-GRUB, the only kernel here, takes none), with EC2's error for the case. */
  private async refuseRamdisk(caller: Caller, image: Image, ramdiskId: string): Promise<never> {
    const found = isWellFormedId(ramdiskId, "ari") ? await this.deps.images.find(caller.region, ramdiskId) : undefined;
    throw ramdiskRefusal(ramdiskId, found && canLaunch(found, caller.accountId) ? found : undefined, image.virtualizationType);
  }

  /** ExplainLaunch: whether RunInstances would accept the launch and the guest would boot, rule by rule. */
  async explain(
    caller: Caller,
    request: Pick<LaunchRequest, "imageId" | "instanceType" | "placement" | "kernelId" | "blockDeviceMappings">,
  ): Promise<LaunchJudgement> {
    return judge((await this.resolve(caller, await this.withImageAliasResolved(caller, request))).context);
  }

  /**
   * The request with an ImageId of the form resolve:ssm:<parameter> replaced by the image the parameter names now,
   * as EC2 resolves it (given or from a launch template): the instance records the image id, and a ClientToken's
   * retry compares image ids.
   */
  private async withImageAliasResolved<R extends { imageId?: string }>(caller: Caller, request: R): Promise<R> {
    if (request.imageId === undefined) return request;
    const imageId = await this.deps.publicParameters.resolveImageId(caller, request.imageId);
    return imageId === request.imageId ? request : { ...request, imageId };
  }

  /**
   * Every check RunInstances makes, and nothing it changes: DryRun's answer (issue 15: DryRun decides). Answers the
   * image's platform, which a Spot request is sold by.
   */
  async check(caller: Caller, request: LaunchRequest): Promise<{ platform?: "windows" }> {
    const { platform } = await this.run(caller, request, "check");
    return platform ? { platform } : {};
  }

  async run(
    caller: Caller,
    request: LaunchRequest,
    mode: "launch" | "check" = "launch",
  ): Promise<{ reservationId: string; instances: Instance[]; platform?: "windows" }> {
    const { deps } = this;
    request = await this.withImageAliasResolved(caller, request);
    if (request.minCount < 1)
      throw Errors.invalidParameterValue(`Value (${request.minCount}) for parameter minCount is invalid. Expecting a value greater than 0.`);
    if (request.maxCount < request.minCount)
      throw Errors.invalidParameterValue(`Value (${request.maxCount}) for parameter maxCount is invalid. It must be at least minCount (${request.minCount}).`);
    const earlier = await this.earlierLaunch(caller, request);
    if (earlier) return mode === "check" ? { reservationId: earlier.reservationId, instances: [] } : earlier;
    const interfaces = interfaceRequests(request.network ?? {}, request.maxCount);
    if (request.interfaceTags?.length && interfaces.every((i) => i.networkInterfaceId)) throw Errors.interfaceTagsWithoutNewInterface();
    const network = await deps.launchNetwork.plan(caller, interfaces, request.placement?.availabilityZone);
    // The zone follows the subnet.
    if (network.zone && !request.placement?.availabilityZone) request = { ...request, placement: { ...request.placement, availabilityZone: network.zone } };
    const resolved = await this.resolve(caller, request);
    const { image, type, group, host, tenancy } = resolved;
    const now = deps.clock.now();
    if (imageState(image, now) !== "available") {
      throw Errors.amiUnavailable(image.imageId);
    }
    enforce({ ...resolved.context, interfaces: network.limitFacts });
    if (request.ramdiskId) await this.refuseRamdisk(caller, image, request.ramdiskId);
    if (request.keyName) {
      const keyType = (await deps.keyPairs.byName(caller, request.keyName))?.keyType;
      if (!keyType) throw Errors.keyPairNotFound(request.keyName);
      // Windows encrypts its administrator password to the key pair, which takes an RSA key.
      if (keyType === "ed25519" && image.platform === "windows") throw Errors.ed25519KeyOnWindows();
    }
    if (tenancy === "dedicated")
      throw Errors.unsupportedOperation("RunInstances with tenancy dedicated (Dedicated Instances); use tenancy host with a Dedicated Host");
    const spot = request.market;
    if (spot && tenancy === "host")
      throw Errors.invalidParameterCombination("Spot Instances do not run on Dedicated Hosts: drop InstanceMarketOptions, or the host tenancy.");

    await deps.fleet.ensureSeeded(caller.region);
    const zones = this.candidateZones(caller, resolved.zonesOffering, request.placement?.availabilityZone, host);
    const hostIds = tenancy === "host" ? await this.candidateHosts(caller, type, host, zones) : undefined;
    const mappings = await this.blockDevices(caller, image, request.blockDeviceMappings ?? []);
    const encryptByDefault = await deps.ebsEncryption.isEnabled(caller);
    const devices = launchDevices(mappings, await this.snapshotsOf(caller, mappings, resolved.rootSnapshot), caller, encryptByDefault);
    checkUserData(request.userData);
    const rootEncrypted = devices.find((device) => device.deviceName === image.rootDeviceName)?.encrypted ?? false;
    // A burstable type's credit mode: asked for, or the account's default for its family (docs/neighbours.md).
    const credits = {
      accountDefault: await deps.creditDefaults.forInstanceType(caller, type.InstanceType!),
      onDedicatedHost: tenancy === "host",
      at: now.getTime(),
    };
    const instanceStore = instanceStoreDevices(type, [...image.blockDeviceMappings, ...(request.blockDeviceMappings ?? [])]);
    const options = launchOptions(request.options ?? {}, { type, accountId: caller.accountId, rootEncrypted, credits, instanceStore });
    const reservationId = newId("r");
    const footprint = hostIds ? hostFootprint(type) : footprintOf(type);
    const bootMode = effectiveBootMode(image, type)!;
    // A dry run stops here: placement and capacity are the launch's own outcome, which EC2 does not promise either.
    if (mode === "check") return { reservationId, instances: [], ...(image.platform ? { platform: image.platform } : {}) };
    const { spotMarket } = deps;
    const hostClasses = classesFor(deps.fleetConfig, type).map((c) => c.name);
    const specification = spot ? launchSpecificationOf(request) : "";
    const outcome = await deps.instances.launch({
      scope: caller,
      zones: hostIds
        ? [...new Set(hostIds.map((h) => h.availabilityZone))]
        : spot && spotMarket
          ? spotMarket.affordableZones(zones, type, productOf(image.platform), spot.options.maxPrice)
          : zones,
      minCount: request.minCount,
      maxCount: request.maxCount,
      hostClasses,
      footprint,
      ...(spot && spotMarket ? { record: (instance: Instance) => spotMarket.recordSync(caller, instance, spot, specification, footprint, now) } : {}),
      ...(!spot && spotMarket
        ? { makeRoom: (zone: string, exclude: readonly string[]) => spotMarket.makeRoomSync(caller.region, zone, hostClasses, footprint, exclude, now) }
        : {}),
      ...(hostIds ? { dedicatedHostIds: hostIds.map((h) => h.hostId) } : {}),
      ...(group
        ? {
            group: {
              groupId: group.groupId,
              strategy: group.strategy,
              ...(group.partitionCount ? { partitionCount: group.partitionCount } : {}),
              ...(request.placement?.partitionNumber ? { partitionNumber: request.placement.partitionNumber } : {}),
            },
          }
        : {}),
      ...(request.clientToken ? { clientToken: request.clientToken } : {}),
      volumes: (instance) => volumesOf(instance, devices, request.volumeTags, deps.delays.volumeAttachMs),
      network: (instance) => {
        const created = deps.instanceNetwork.createForInstanceSync(
          caller,
          instance.instanceId,
          network.interfacesIn(instance.availabilityZone),
          now,
          request.interfaceTags ?? [],
        );
        const primary = created[0]!;
        return {
          privateIpAddress: primary.privateIps[0]!.privateIpAddress,
          vpcId: primary.vpcId,
          subnetId: primary.subnetId,
          interfaces: created,
          ...(network.publicIpIn(instance.availabilityZone) ? { options: { ...instance.options, publicIpOnLaunch: true } } : {}),
        };
      },
      build: (placement) => {
        const instanceId = newId("i");
        return {
          instanceId,
          accountId: caller.accountId,
          region: caller.region,
          reservationId,
          ...(request.clientToken ? { clientToken: request.clientToken } : {}),
          imageId: image.imageId,
          instanceType: type.InstanceType!,
          availabilityZone: placement.availabilityZone,
          serverId: placement.serverId,
          hypervisor: hypervisorOf(type),
          tenancy: tenancy as Instance["tenancy"],
          ...(placement.hostId ? { hostId: placement.hostId, affinity: (request.placement?.affinity ?? "default") as Instance["affinity"] } : {}),
          ...(group ? { placementGroupId: group.groupId, placementGroupName: group.groupName } : {}),
          ...(placement.partitionNumber ? { partitionNumber: placement.partitionNumber } : {}),
          ...(resolved.kernelId ? { kernelId: resolved.kernelId } : {}),
          architecture: image.architecture,
          virtualizationType: image.virtualizationType,
          ...(image.platform ? { platform: image.platform } : {}),
          rootDeviceName: image.rootDeviceName ?? "/dev/sda1",
          blockDeviceMappings: rootVolumeMappings(devices, () => newId("vol"), now),
          enaSupport: image.enaSupport,
          ...(image.sriovNetSupport ? { sriovNetSupport: image.sriovNetSupport } : {}),
          bootMode,
          ...(request.keyName ? { keyName: request.keyName } : {}),
          ...(request.userData ? { userData: request.userData } : {}),
          disableApiTermination: request.disableApiTermination ?? false,
          launchIndex: placement.launchIndex,
          launchTime: now,
          state: "pending",
          stateChangedAt: now,
          transitionEndsAt: new Date(now.getTime() + deps.delays.instancePendingMs),
          privateIpAddress: privateAddressFor(instanceId),
          options,
          tags: request.instanceTags,
          ...(spot ? { spotInstanceRequestId: spot.requestId ?? newSpotRequestId() } : {}),
        };
      },
    });
    return this.outcome(caller, outcome, type, request.placement?.availabilityZone, host, resolved.zonesOffering, group);
  }

  /**
   * The launch this request's ClientToken already made, checked before anything else as EC2's idempotency promises:
   * a retry answers that reservation (a dry run, DryRunOperation) whatever has changed since, such as the interface
   * it took now being attached. Another image, type or key pair under the same token is IdempotentParameterMismatch.
   */
  private async earlierLaunch(caller: Caller, request: LaunchRequest): Promise<{ reservationId: string; instances: Instance[] } | undefined> {
    const { launchTokens, instances } = this.deps;
    const ids = request.clientToken ? launchTokens.instanceIds(caller, request.clientToken) : [];
    if (ids.length === 0) return undefined;
    const launched = (await instances.find(caller, ids)).sort((a, b) => a.launchIndex - b.launchIndex);
    const first = launched[0]!;
    if (
      (request.imageId !== undefined && request.imageId !== first.imageId) ||
      (request.instanceType ?? defaultInstanceType) !== first.instanceType ||
      (request.keyName ?? undefined) !== (first.keyName ?? undefined)
    ) {
      throw Errors.idempotentParameterMismatch(request.clientToken!);
    }
    return { reservationId: first.reservationId, instances: launched };
  }

  private async outcome(
    caller: Caller,
    outcome: LaunchOutcome,
    type: InstanceTypeInfo,
    zoneAsked: string | undefined,
    host: DedicatedHost | undefined,
    zonesOffering: string[],
    group?: PlacementGroup,
  ) {
    if (outcome.kind !== "short") return { reservationId: outcome.instances[0]!.reservationId, instances: outcome.instances };
    const typeName = type.InstanceType!;
    if (outcome.cause === "spread-limit") {
      throw Errors.invalidParameterValue(
        `The spread placement group '${group!.groupName}' already has ${spreadLimitPerZone} running instances in ${outcome.zone}, the most a spread group allows per Availability Zone. Launch in another zone, or use a partition group.`,
      );
    }
    if (outcome.cause === "cluster-zone") {
      throw Errors.invalidParameterCombination(
        `The cluster placement group '${group!.groupName}' has instances in another Availability Zone; a cluster group cannot span zones. Launch in the zone of its instances.`,
      );
    }
    if (host) throw Errors.insufficientCapacityOnHost(host.hostId);
    if (outcome.zone === undefined && zonesOffering.length === 0) throw Errors.notOfferedInZone(typeName, zoneAsked ?? caller.region, []);
    const classes = classesFor(this.deps.fleetConfig, type).map((c) => c.name);
    const elsewhere: string[] = [];
    for (const zone of zonesOffering) {
      if (zone !== zoneAsked && (await this.deps.fleet.hasRoom(zone, classes, footprintOf(type)))) elsewhere.push(zone);
    }
    throw Errors.insufficientCapacity(
      typeName,
      zoneAsked ? `Availability Zone you requested (${zoneAsked})` : "Region you requested",
      zoneAsked ? elsewhere : [],
    );
  }

  private candidateZones(_caller: Caller, zonesOffering: string[], zoneAsked: string | undefined, host: DedicatedHost | undefined): string[] {
    if (host) return [host.availabilityZone];
    if (zoneAsked) return [zoneAsked];
    if (zonesOffering.length === 0) return [];
    // Spread reservations over the zones: start at a different zone each time, in the zones' order.
    const start = Math.floor(Math.random() * zonesOffering.length);
    return [...zonesOffering.slice(start), ...zonesOffering.slice(0, start)];
  }

  /** tenancy host: the host asked for, or the account's auto-placement hosts that run the type. */
  private async candidateHosts(caller: Caller, type: InstanceTypeInfo, host: DedicatedHost | undefined, zones: string[]): Promise<DedicatedHost[]> {
    if (host) return [host];
    const hosts = (await this.deps.hosts.list(caller)).filter(
      (h) =>
        h.state === "available" &&
        h.autoPlacement === "on" &&
        zones.includes(h.availabilityZone) &&
        (h.instanceType ? h.instanceType === type.InstanceType : h.instanceFamily === familyOf(type.InstanceType!)),
    );
    if (hosts.length === 0) {
      throw Errors.noAutoPlacementHost(type.InstanceType!, zones.join(", ") || caller.region);
    }
    return hosts;
  }

  /**
   * The snapshot the root volume will be made from, which the rules judge: the image's, or the one a mapping of the
   * root device names instead. A snapshot the request names must be the caller's to use, like any other it names.
   */
  private async rootSnapshot(caller: Caller, image: Image, requested: readonly BlockDeviceMapping[]): Promise<Snapshot | undefined> {
    const override = requested.find((m) => m.DeviceName === image.rootDeviceName)?.Ebs?.SnapshotId;
    if (override) return usableSnapshot(await this.deps.images.findSnapshot(caller.region, override), override, caller.accountId);
    const snapshotId = image.blockDeviceMappings.find((m) => m.DeviceName === image.rootDeviceName)?.Ebs?.SnapshotId;
    return snapshotId ? await this.deps.images.findSnapshot(caller.region, snapshotId) : undefined;
  }

  /** The snapshots the volumes are made from (the root one already read for the rules): each volume carries its snapshot's disk and encryption. */
  private async snapshotsOf(caller: Caller, mappings: BlockDeviceMapping[], rootSnapshot: Snapshot | undefined): Promise<Map<string, Snapshot>> {
    const snapshots = new Map<string, Snapshot>(rootSnapshot ? [[rootSnapshot.snapshotId, rootSnapshot]] : []);
    for (const mapping of mappings) {
      const snapshotId = mapping.Ebs?.SnapshotId;
      if (!snapshotId || snapshots.has(snapshotId)) continue;
      const snapshot = await this.deps.images.findSnapshot(caller.region, snapshotId);
      if (snapshot) snapshots.set(snapshotId, snapshot);
    }
    return snapshots;
  }

  /** The image's mappings, with the request's overrides by device name and its extra volumes. */
  private async blockDevices(caller: Caller, image: Image, requested: BlockDeviceMapping[]): Promise<BlockDeviceMapping[]> {
    const result = image.blockDeviceMappings.map((mapping) => ({ ...mapping, ...(mapping.Ebs ? { Ebs: { ...mapping.Ebs } } : {}) }));
    for (const mapping of requested) {
      if (!mapping.DeviceName) throw Errors.missingParameter("BlockDeviceMapping.N.DeviceName");
      const existing = result.find((m) => m.DeviceName === mapping.DeviceName);
      if (mapping.NoDevice !== undefined) {
        if (mapping.DeviceName === image.rootDeviceName) throw Errors.invalidBlockDeviceMapping("The root device cannot be suppressed with NoDevice.");
        if (existing) result.splice(result.indexOf(existing), 1);
        continue;
      }
      if (!mapping.Ebs) continue;
      if (existing?.Ebs) {
        // A mapping may restore the device from another snapshot: one the caller may use, sized at least as that one.
        const replacement =
          mapping.Ebs.SnapshotId && mapping.Ebs.SnapshotId !== existing.Ebs.SnapshotId
            ? usableSnapshot(await this.deps.images.findSnapshot(caller.region, mapping.Ebs.SnapshotId), mapping.Ebs.SnapshotId, caller.accountId)
            : undefined;
        const minimum = replacement ? replacement.volumeSize : existing.Ebs.VolumeSize;
        const size = mapping.Ebs.VolumeSize ?? minimum;
        if (size !== undefined && minimum !== undefined && size < minimum) {
          throw Errors.invalidBlockDeviceMapping(
            `Volume of size ${size}GB is smaller than snapshot '${replacement?.snapshotId ?? existing.Ebs.SnapshotId}', expect size >= ${minimum}GB`,
          );
        }
        existing.Ebs = { ...existing.Ebs, ...definedOnly(mapping.Ebs), ...(size !== undefined ? { VolumeSize: size } : {}) };
        continue;
      }
      if (mapping.Ebs.SnapshotId) {
        const snapshot = usableSnapshot(await this.deps.images.findSnapshot(caller.region, mapping.Ebs.SnapshotId), mapping.Ebs.SnapshotId, caller.accountId);
        result.push({ DeviceName: mapping.DeviceName, Ebs: { VolumeSize: snapshot.volumeSize, ...definedOnly(mapping.Ebs) } });
      } else if (mapping.Ebs.VolumeSize === undefined) {
        throw Errors.invalidBlockDeviceMapping(`The block device ${mapping.DeviceName} needs a snapshot id or a volume size.`);
      } else {
        result.push({ DeviceName: mapping.DeviceName, Ebs: definedOnly(mapping.Ebs) });
      }
    }
    return result;
  }
}
