// The Xen to Nitro migration's preliminary checks, as a report: the facts read from the instance, its root volume
// and the catalog, judged by the pure checks of src/domain/nitro-migration.ts. StartNitroMigration answers with this
// report at once (CheckOnly's pre-flight), and the workflow's first step runs it again when the run starts.
import type { Caller } from "../domain/caller.js";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { Offerings } from "../domain/catalog/offerings.js";
import { architecturesOf } from "../domain/catalog/type-facts.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { hypervisorOf } from "../domain/fleet.js";
import { type CheckResult, guestReadiness, type MigrationFacts, type NitroMigrationInput, preliminaryChecks } from "../domain/nitro-migration.js";
import { currentState } from "../domain/instances.js";
import type { InstanceService } from "./instances.js";

export interface MigrationReport {
  facts: MigrationFacts;
  /** The runbook's checks; a failed one ends the run. */
  checks: CheckResult[];
  /** What the checker script reports of the guest, which FullMigration repairs. */
  guest: CheckResult[];
}

export class NitroMigrationChecks {
  constructor(
    private readonly instances: InstanceService,
    private readonly catalog: InstanceTypeCatalog,
    private readonly offerings: Offerings,
    private readonly clock: Clock,
  ) {}

  async report(caller: Caller, input: Pick<NitroMigrationInput, "instanceId" | "targetInstanceType">): Promise<MigrationReport> {
    const instance = await this.instances.getOne(caller, input.instanceId);
    const state = currentState(instance, this.clock.now());
    if (state === "terminated" || state === "shutting-down") throw Errors.incorrectInstanceState(instance.instanceId, state, "migrated");
    const target = this.catalog.get(input.targetInstanceType);
    if (!target) throw Errors.invalidInstanceType(input.targetInstanceType);
    const root = (await this.instances.attachedVolumes(caller, instance)).find(
      (volume) => volume.attachment.device === instance.rootDeviceName && !volume.attachment.detachAt,
    );
    const facts: MigrationFacts = {
      instanceId: instance.instanceId,
      instanceType: instance.instanceType,
      availabilityZone: instance.availabilityZone,
      sourceHypervisor: instance.hypervisor,
      ...(instance.platform ? { platform: instance.platform } : {}),
      virtualizationType: instance.virtualizationType,
      architecture: instance.architecture,
      instanceStoreDevices: instance.options.instanceStore ?? [],
      spot: instance.spotInstanceRequestId !== undefined,
      ...(root ? { rootVolume: { volumeId: root.volumeId, ...(root.guest ? { guest: root.guest } : {}) } } : {}),
      rootDeviceName: instance.rootDeviceName,
      target: {
        name: input.targetInstanceType,
        hypervisor: hypervisorOf(target),
        architectures: architecturesOf(target),
        zones: this.offerings.zonesOffering(caller.region, input.targetInstanceType).map((zone) => zone.zoneName),
      },
    };
    return { facts, checks: preliminaryChecks(facts), guest: guestReadiness(root?.guest) };
  }
}
