// The life of instances after launch: describe, start, stop, reboot, terminate, their attributes, the console
// and the status checks. States come from the domain's lifecycle on the clock; capacity is given back at stop
// and terminate, and taken again at start, in the transaction that changes the state.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { Offerings } from "../domain/catalog/offerings.js";
import { enaSupportOf, offersIntelSriov } from "../domain/catalog/type-facts.js";
import { type BootInput, type BootResult, simulateBoot } from "../domain/boot.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { classesFor, type FleetConfig, footprintOf, hypervisorOf } from "../domain/fleet.js";
import { hostFootprint } from "../domain/host-families.js";
import type { GuestModel } from "../domain/guest.js";
import { isWellFormedId } from "../domain/ids.js";
import { letOthersRun } from "./yielding.js";
import {
  type Command,
  currentState,
  holdsCapacity,
  type Instance,
  type InstancePrefilter,
  type InstanceStateName,
  type InstanceLifecycle,
  isVisible,
  primaryInterfaceOf,
  transitionFor,
} from "../domain/instances.js";
import { canLaunch, ramdiskRefusal } from "../domain/images.js";
import { instanceLaunchFacts, launchContext, launchImageOf } from "../domain/launch-context.js";
import { effectiveBootMode, enforce, type LaunchOperation } from "../domain/launch-rules.js";
import { checkUserData, type InstanceOptions } from "../domain/instance-options.js";
import { creditsAfterLifecycle } from "../domain/credit-specification.js";
import { definedOnly } from "../domain/objects.js";
import type { AttachedVolume } from "../domain/volumes.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { ImagesRepo } from "../store/images-repo.js";
import type { InstancesRepo } from "../store/instances-repo.js";
import type { InstanceNetworkRepo } from "../store/instance-network-repo.js";
import type { NetworkRepo } from "../store/network-repo.js";

export interface StateChange {
  instanceId: string;
  previous: InstanceStateName;
  current: InstanceStateName;
}

export interface InstanceDeps {
  instances: InstancesRepo;
  images: ImagesRepo;
  catalog: InstanceTypeCatalog;
  offerings: Offerings;
  fleetConfig: FleetConfig;
  fleet: FleetRepo;
  clock: Clock;
  delays: Delays;
  /** The networking tables: ModifyInstanceAttribute Groups and SourceDestCheck change the primary interface. */
  network?: NetworkRepo;
  instanceNetwork?: InstanceNetworkRepo;
  /** Spot: the type of a Spot Instance's request (only a persistent request's instance may be stopped). */
  spotRequestType?: (spotInstanceRequestId: string) => string | undefined;
}

/** The one attribute a ModifyInstanceAttribute call changes. */
export interface AttributeChange {
  instanceType?: string;
  kernelId?: string;
  ramdiskId?: string;
  enaSupport?: boolean;
  sriovNetSupport?: "simple";
  /** Base64, as stored and shown. */
  userData?: string;
  ebsOptimized?: boolean;
  disableApiTermination?: boolean;
  disableApiStop?: boolean;
  shutdownBehavior?: InstanceOptions["shutdownBehavior"];
  sourceDestCheck?: boolean;
  /** The primary interface's security groups, all replaced. */
  groupIds?: string[];
  deleteOnTermination?: Array<{ device: string; deleteOnTermination: boolean }>;
}

/** EC2 changes these only on a stopped instance: they change what boots or what it boots on. */
const needsStopped = new Set<keyof AttributeChange>(["instanceType", "kernelId", "ramdiskId", "enaSupport", "sriovNetSupport", "userData", "ebsOptimized"]);

export class InstanceService {
  constructor(private readonly deps: InstanceDeps) {}

  /** The instances with these ids, all of them, or EC2's errors for malformed and unknown ids. */
  async get(caller: Caller, instanceIds: readonly string[]): Promise<Instance[]> {
    for (const id of instanceIds) if (!isWellFormedId(id, "i")) throw Errors.instanceMalformed(id);
    const now = this.deps.clock.now();
    const found = (await this.deps.instances.find(caller, [...new Set(instanceIds)])).filter((instance) => isVisible(instance, now));
    const missing = instanceIds.filter((id) => !found.some((instance) => instance.instanceId === id));
    if (missing.length > 0) throw Errors.instanceNotFound([...new Set(missing)]);
    return found;
  }

  /** The visible instances among these ids as their lifecycles (state, times, publicIpOnLaunch), without their linked rows. */
  async lifecycles(caller: Caller, instanceIds: readonly string[]): Promise<InstanceLifecycle[]> {
    const now = this.deps.clock.now();
    return (await this.deps.instances.lifecycles(caller, [...new Set(instanceIds)])).filter((instance) => isVisible(instance, now));
  }

  /** The instance with this id, or EC2's error for a malformed or unknown id. */
  async getOne(caller: Caller, instanceId: string): Promise<Instance> {
    return (await this.get(caller, [instanceId]))[0]!;
  }

  /**
   * Walks the account's instances in id order, `take` rows at a time, keeping those `accept` takes, until `want`
   * are found: the first page of a large account costs one or two queries.
   */
  async scan(
    caller: Caller,
    options: {
      afterId?: string;
      want: number;
      prefilter?: InstancePrefilter;
      /** Which instances the caller wants (all when absent). */
      accept?: (instance: Instance) => boolean;
      /** What an instance's own row answers of the caller's test: tested before its tags, volumes and interfaces are read. */
      acceptRow?: (instance: Instance) => boolean;
    },
  ): Promise<{ instances: Instance[]; more: boolean }> {
    const now = this.deps.clock.now();
    const found: Instance[] = [];
    let afterId = options.afterId;
    const acceptRow = options.acceptRow;
    const keep = (instance: Instance) => isVisible(instance, now) && (!acceptRow || acceptRow(instance));
    // One more than wanted tells whether there is a next page. Without a filter, only instances ended an hour ago
    // are skipped, and a page of 5 reads 6 instances (with their tags, volumes and interfaces), not 100.
    const acceptsAll = !options.accept && !acceptRow;
    let take = Math.min(1000, acceptsAll ? options.want + 1 : Math.max(options.want + 1, 100));
    for (;;) {
      const page = await this.deps.instances.page(caller, {
        ...(afterId ? { afterId } : {}),
        take,
        ...(options.prefilter ? { prefilter: options.prefilter } : {}),
        keep,
      });
      for (const instance of page.instances) {
        if (options.accept && !options.accept(instance)) continue;
        if (found.length === options.want) return { instances: found, more: true };
        found.push(instance);
      }
      if (!page.scannedUntil) return { instances: found, more: false };
      afterId = page.scannedUntil;
      // A selective filter over a large fleet: when a batch kept less than half of what is still wanted, the next
      // one reads twice as many rows (up to 1,000); the rows filtered out cost little, their linked rows nothing.
      if (page.instances.length * 2 < options.want - found.length + 1) take = Math.min(1000, take * 2);
      // The store reads synchronously: without this, a scan of many pages holds the event loop to the end.
      await letOthersRun();
    }
  }

  /**
   * Starts, stops, reboots or terminates the instances, all or none. `checkOnly` (DryRun) runs every check (the
   * instances exist and are the caller's, protection, the launch rules and the root volume of a start) and changes
   * nothing.
   */
  async change(
    caller: Caller,
    command: Command,
    instanceIds: readonly string[],
    options: { force?: boolean; hibernate?: boolean; checkOnly?: boolean } = {},
  ): Promise<StateChange[]> {
    const instances = await this.get(caller, instanceIds);
    const now = this.deps.clock.now();
    const durations = {
      pending: this.deps.delays.instancePendingMs,
      stopping: this.deps.delays.instanceStoppingMs,
      "shutting-down": this.deps.delays.instanceShuttingDownMs,
    };
    if (command === "terminate") {
      const protectedOne = instances.find((instance) => instance.disableApiTermination);
      if (protectedOne) throw Errors.terminationProtected(protectedOne.instanceId);
    }
    if (command === "stop") {
      const protectedOne = instances.find((instance) => instance.options.disableApiStop);
      if (protectedOne) throw Errors.stopProtected(protectedOne.instanceId);
      const oneTimeSpot = instances.find((i) => i.spotInstanceRequestId && this.deps.spotRequestType?.(i.spotInstanceRequestId) === "one-time");
      if (oneTimeSpot) throw Errors.oneTimeSpotStop(oneTimeSpot.instanceId);
      // A hibernation is a stop here (nothing keeps RAM); only an instance launched for it may be asked one.
      const notHibernating = options.hibernate ? instances.find((instance) => !instance.options.hibernation) : undefined;
      if (notHibernating) throw Errors.notConfiguredForHibernation(notHibernating.instanceId);
    }
    // Decide every instance first, so that one refusal changes nothing.
    const plans = instances.map((instance) => {
      const state = currentState(instance, now);
      return { instance, state, transition: transitionFor(command, instance.instanceId, state, durations, now, options.force) };
    });
    if (command === "start") {
      for (const { instance, transition } of plans) {
        if (transition === "no-op") continue;
        this.checkRules(instance, "StartInstances");
        // Nothing boots without a disk at the root device (a root volume detached while stopped).
        const attached = await this.attachedVolumes(caller, instance);
        if (!attached.some((volume) => volume.attachment.device === instance.rootDeviceName && !volume.attachment.detachAt)) {
          throw Errors.noRootVolume(instance.instanceId, instance.rootDeviceName);
        }
      }
    }
    if (options.checkOnly) return [];
    const changes: StateChange[] = [];
    const updates: Parameters<InstancesRepo["transition"]>[0][number][] = [];
    for (const { instance, state, transition } of plans) {
      if (transition === "no-op") {
        changes.push({ instanceId: instance.instanceId, previous: state, current: state });
        continue;
      }
      const data: Partial<Instance> = {
        state: transition.state,
        stateChangedAt: now,
        transitionEndsAt: new Date(now.getTime() + transition.durationMs),
        stateReason: transition.reason,
      };
      // A burstable instance's credit history records each stop and start (domain/credit-specification.ts).
      const credits = creditsAfterLifecycle(instance.options.credits, command, instance.instanceType, now.getTime());
      if (credits) data.options = { ...instance.options, credits };
      if (command === "start") {
        await this.restart(caller, instance, data);
      } else {
        const type = this.type(instance.instanceType);
        const footprint = instance.hostId ? hostFootprint(type) : footprintOf(type);
        const release = holdsCapacity(state) && instance.serverId ? { serverId: instance.serverId, footprint } : undefined;
        updates.push({
          instanceId: instance.instanceId,
          data,
          ...(release ? { release } : {}),
          ...(command === "terminate" ? { releaseVolumesAt: now, releaseInterfaces: true } : {}),
        });
      }
      changes.push({ instanceId: instance.instanceId, previous: state, current: transition.state });
    }
    if (updates.length > 0) await this.deps.instances.transition(updates, caller);
    return changes;
  }

  /** ModifyInstanceAttribute: one attribute a call; those that change what boots only while the instance is stopped. */
  async modify(caller: Caller, instanceId: string, change: AttributeChange): Promise<void> {
    const instance = await this.getOne(caller, instanceId);
    const names = Object.keys(change) as Array<keyof AttributeChange>;
    if (names.length === 0) throw Errors.invalidParameterCombination("No attributes specified.");
    if (names.length > 1)
      throw Errors.invalidParameterCombination(`Fields for multiple attribute types specified: ${names.join(", ")}. Modify one attribute per call.`);
    const state = currentState(instance, this.deps.clock.now());
    if (state === "terminated" || state === "shutting-down") throw Errors.incorrectInstanceState(instanceId, state, "modified");
    if (names.some((name) => needsStopped.has(name)) && state !== "stopped") throw Errors.notStopped(instanceId);
    if (change.instanceType !== undefined) {
      const type = this.deps.catalog.get(change.instanceType);
      if (!type) throw Errors.invalidInstanceType(change.instanceType);
      this.checkRules({ ...instance, instanceType: change.instanceType }, "ModifyInstanceAttribute");
      await this.deps.instances.update(caller, instanceId, { instanceType: change.instanceType, hypervisor: hypervisorOf(type) });
      return;
    }
    if (change.ramdiskId !== undefined) {
      const ramdisk = isWellFormedId(change.ramdiskId, "ari") ? await this.deps.images.find(caller.region, change.ramdiskId) : undefined;
      throw ramdiskRefusal(change.ramdiskId, ramdisk && canLaunch(ramdisk, caller.accountId) ? ramdisk : undefined, instance.virtualizationType);
    }
    if (change.sriovNetSupport !== undefined && change.sriovNetSupport !== "simple") {
      throw Errors.invalidSriovNetSupport(change.sriovNetSupport);
    }
    if ((change.enaSupport || change.sriovNetSupport) && instance.virtualizationType === "paravirtual") {
      throw Errors.invalidParameterCombination("Enhanced networking (ENA, SR-IOV) is supported only for HVM instances.");
    }
    if (change.userData !== undefined) checkUserData(change.userData);
    if (change.ebsOptimized && this.type(instance.instanceType).EbsInfo?.EbsOptimizedSupport === "unsupported")
      throw Errors.ebsOptimizedUnsupported(instance.instanceType);
    if (change.groupIds) {
      await this.setGroups(caller, instance, change.groupIds);
      return;
    }
    if (change.sourceDestCheck !== undefined) await this.deps.instanceNetwork?.setSourceDestCheck(caller, instanceId, change.sourceDestCheck);
    if (change.deleteOnTermination) {
      const missing = await this.deps.instances.setDeleteOnTermination(caller, instanceId, change.deleteOnTermination);
      if (missing.length > 0) throw Errors.invalidParameterValue(`No device is attached to ${instanceId} at ${missing.join(", ")}.`);
      return;
    }
    const { shutdownBehavior, ebsOptimized, sourceDestCheck, disableApiStop, ...columns } = change;
    const options = definedOnly({ shutdownBehavior, ebsOptimized, sourceDestCheck, disableApiStop });
    await this.deps.instances.update(caller, instanceId, {
      ...columns,
      ...(Object.keys(options).length > 0 ? { options: { ...instance.options, ...options } } : {}),
    });
  }

  /**
   * ResetInstanceAttribute: sourceDestCheck back to true in any state ModifyInstanceAttribute allows; kernel and
   * ramdisk back to the image's, on a stopped instance. EC2 resets nothing else.
   */
  async reset(caller: Caller, instanceId: string, attribute: string): Promise<void> {
    if (attribute === "sourceDestCheck") return this.modify(caller, instanceId, { sourceDestCheck: true });
    if (attribute !== "kernel" && attribute !== "ramdisk") throw Errors.attributeNotResettable(attribute);
    const instance = await this.getOne(caller, instanceId);
    const state = currentState(instance, this.deps.clock.now());
    if (state === "terminated" || state === "shutting-down") throw Errors.incorrectInstanceState(instanceId, state, "modified");
    if (state !== "stopped") throw Errors.notStopped(instanceId);
    // PV-GRUB takes no ramdisk and mini-ec2 launches none, so an instance's ramdisk is already its image's (none).
    if (attribute === "ramdisk") return;
    const kernelId = (await this.deps.images.find(caller.region, instance.imageId))?.kernelId;
    if (kernelId && kernelId !== instance.kernelId) await this.deps.instances.update(caller, instanceId, { kernelId });
  }

  /** The primary interface's groups become these: each must exist and be of the instance's VPC. */
  private async setGroups(caller: Caller, instance: Instance, groupIds: readonly string[]): Promise<void> {
    const primary = primaryInterfaceOf(instance);
    const { network, instanceNetwork } = this.deps;
    if (!primary || !network || !instanceNetwork)
      throw Errors.invalidParameterValue(`The instance ${instance.instanceId} has no network interface whose groups could change.`);
    for (const id of groupIds) if (!isWellFormedId(id, "sg")) throw Errors.groupMalformed(id);
    const groups = network.securityGroups(caller, [...new Set(groupIds)]);
    const missing = groupIds.find((id) => !groups.some((g) => g.groupId === id));
    if (missing) throw Errors.groupNotFound(missing);
    const elsewhere = groups.find((g) => g.vpcId !== primary.vpcId);
    if (elsewhere) throw Errors.groupOtherNetwork(elsewhere.groupId, primary.subnetId);
    await instanceNetwork.setPrimaryGroups(primary.networkInterfaceId, [...new Set(groupIds)]);
  }

  /** ModifyInstanceMetadataOptions, MonitorInstances and UnmonitorInstances: settings that change in any state but terminated. */
  async changeOptions(caller: Caller, instanceId: string, change: (options: InstanceOptions) => Partial<InstanceOptions>): Promise<InstanceOptions> {
    const instance = await this.getOne(caller, instanceId);
    const state = currentState(instance, this.deps.clock.now());
    if (state === "terminated" || state === "shutting-down") throw Errors.incorrectInstanceState(instanceId, state, "modified");
    const options = { ...instance.options, ...change(instance.options) };
    await this.deps.instances.update(caller, instanceId, { options });
    return options;
  }

  /** The volumes attached to the instance now, each with the guest model on it. */
  attachedVolumes(caller: Caller, instance: Instance): Promise<AttachedVolume[]> {
    return this.deps.instances.volumes(caller, instance.instanceId, this.deps.clock.now());
  }

  /** The guest on the instance's root volume: what it boots, as the volume holds it now. */
  async guest(caller: Caller, instance: Instance): Promise<GuestModel | undefined> {
    const volumes = await this.deps.instances.volumes(caller, instance.instanceId, this.deps.clock.now());
    return volumes.find((volume) => volume.attachment.device === instance.rootDeviceName)?.guest;
  }

  /** How the instance's guest boots where it runs now (undefined when its root disk has no guest). */
  async boot(caller: Caller, instance: Instance): Promise<BootResult | undefined> {
    const input = await this.bootInput(caller, instance);
    return input ? simulateBoot(input) : undefined;
  }

  /** The facts a boot reads: the guest on the root volume, the host's hypervisor, the type's and the instance's flags. */
  async bootInput(caller: Caller, instance: Instance): Promise<BootInput | undefined> {
    const type = this.type(instance.instanceType);
    const guest = await this.guest(caller, instance);
    if (!guest) return undefined;
    const kernelName = instance.kernelId ? await this.kernelName(caller, instance.kernelId) : undefined;
    return {
      instanceId: instance.instanceId,
      instanceType: instance.instanceType,
      hypervisor: instance.hypervisor,
      virtualizationType: instance.virtualizationType,
      bootMode: instance.bootMode,
      ...(kernelName ? { kernelName } : {}),
      guest,
      enaSupport: instance.enaSupport,
      typeEna: enaSupportOf(type),
      sriovNetSupport: instance.sriovNetSupport === "simple",
      typeSriov: offersIntelSriov(type),
      interfaces: (instance.interfaces ?? []).map((eni) => ({ macAddress: eni.macAddress, privateIp: eni.privateIps[0]?.privateIpAddress ?? "" })),
    };
  }

  /** DescribeInstanceStatus' verdict: initializing for a while after the instance runs, then ok or impaired by its boot. */
  async statusChecks(caller: Caller, instance: Instance): Promise<"not-applicable" | "initializing" | "ok" | "impaired"> {
    const now = this.deps.clock.now();
    if (currentState(instance, now) !== "running") return "not-applicable";
    if (now.getTime() < instance.transitionEndsAt.getTime() + this.deps.delays.statusChecksMs) return "initializing";
    return ((await this.boot(caller, instance))?.booted ?? true) ? "ok" : "impaired";
  }

  /** The name of the PV-GRUB AKI a PV instance boots (hd0 or hd00 is in it). */
  async kernelName(caller: Caller, kernelId: string): Promise<string | undefined> {
    return (await this.deps.images.find(caller.region, kernelId))?.name;
  }

  type(name: string): InstanceTypeInfo {
    const type = this.deps.catalog.get(name);
    if (!type) throw Errors.invalidInstanceType(name);
    return type;
  }

  private checkRules(instance: Instance, operation: LaunchOperation): void {
    enforce(launchContext(this.deps.catalog, this.deps.offerings, instanceLaunchFacts(instance, operation, this.type(instance.instanceType))));
  }

  private async restart(caller: Caller, instance: Instance, data: Partial<Instance>): Promise<void> {
    const type = this.type(instance.instanceType);
    await this.deps.fleet.ensureSeeded(caller.region);
    const bootMode = effectiveBootMode(launchImageOf(instance), type) ?? instance.bootMode;
    const serverId = await this.deps.instances.restart(
      caller,
      instance.instanceId,
      {
        availabilityZone: instance.availabilityZone,
        hostClasses: classesFor(this.deps.fleetConfig, type).map((c) => c.name),
        footprint: instance.hostId ? hostFootprint(type) : footprintOf(type),
        ...(instance.hostId ? { dedicatedHostId: instance.hostId } : {}),
      },
      { ...data, bootMode },
    );
    // An instance of a Dedicated Host starts only there: a full, failed or maintained host is the reason, not the zone.
    if (!serverId && instance.hostId) throw Errors.hostCannotTakeStart(instance.hostId);
    if (!serverId) throw Errors.insufficientCapacity(instance.instanceType, `Availability Zone you requested (${instance.availabilityZone})`, []);
  }
}
