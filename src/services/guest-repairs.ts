// RepairGuest (extension): one named repair applied to the guest on a volume, as an operator would apply it from a
// helper instance with the disk attached. The guest lives on the volume (the conversion's steps change it the same
// way, src/services/workflows/convert-pv-to-hvm.ts), so an instance booting from it boots the repaired guest.
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import type { GuestModel } from "../domain/guest.js";
import { applyGuestRepair, guestRepairNames, isGuestRepairName, RepairRefused } from "../domain/guest-repairs.js";
import { currentState } from "../domain/instances.js";
import { liveAttachments, volumeState } from "../domain/volumes.js";
import type { VolumesRepo } from "../store/volumes-repo.js";
import type { InstanceService } from "./instances.js";
import type { VolumeService } from "./volumes.js";

export interface GuestRepairResult {
  volumeId: string;
  repair: string;
  changed: boolean;
  commands: string[];
  guest: GuestModel;
}

export class GuestRepairService {
  constructor(
    private readonly volumes: VolumeService,
    private readonly volumesRepo: VolumesRepo,
    private readonly instances: InstanceService,
    private readonly clock: Clock,
  ) {}

  /** The volume a repair targets: the one given, or the root volume of a stopped instance. */
  async targetVolume(caller: Caller, target: { volumeId?: string; instanceId?: string }): Promise<string> {
    if ((target.volumeId === undefined) === (target.instanceId === undefined)) {
      throw Errors.invalidParameterCombination(
        `Pass exactly one of VolumeId and InstanceId${target.volumeId !== undefined ? ", not both" : ""}: the volume to repair, or the stopped instance whose root volume to repair.`,
      );
    }
    if (target.volumeId !== undefined) return target.volumeId;
    return this.rootVolumeOf(caller, target.instanceId!, { stopped: true });
  }

  /** The volume at an instance's root device; a repair needs the instance stopped. */
  async rootVolumeOf(caller: Caller, instanceId: string, options: { stopped: boolean }): Promise<string> {
    const instance = await this.instances.getOne(caller, instanceId);
    if (options.stopped && currentState(instance, this.clock.now()) !== "stopped") throw Errors.notStopped(instance.instanceId);
    const root = (await this.instances.attachedVolumes(caller, instance)).find((volume) => volume.attachment.device === instance.rootDeviceName);
    if (!root) throw Errors.noRootVolume(instance.instanceId, instance.rootDeviceName);
    return root.volumeId;
  }

  async repair(caller: Caller, target: { volumeId?: string; instanceId?: string }, repair: string): Promise<GuestRepairResult> {
    if (!isGuestRepairName(repair)) throw Errors.guestRepairUnknown(repair, guestRepairNames);
    const volumeId = await this.targetVolume(caller, target);
    const volume = await this.volumes.get(caller, volumeId);
    const now = this.clock.now();
    if (volumeState(volume, now) === "creating") throw Errors.incorrectState(`The volume '${volumeId}' is 'creating'. Repair it once it is 'available'.`);
    for (const attachment of liveAttachments(volume, now)) {
      const [instance] = await this.instances.get(caller, [attachment.instanceId]).catch(() => []);
      const state = instance ? currentState(instance, now) : "terminated";
      if (state !== "stopped" && state !== "terminated") throw Errors.guestVolumeInUse(volumeId, attachment.instanceId, state);
    }
    if (!volume.guest) throw Errors.guestBlankDisk(volumeId);
    try {
      const outcome = applyGuestRepair(volume.guest, repair);
      if (outcome.changed) await this.volumesRepo.setGuest(caller, volumeId, outcome.guest);
      return { volumeId, repair, ...outcome };
    } catch (error) {
      if (error instanceof RepairRefused) throw Errors.guestRepairRefused(repair, volumeId, error.message);
      throw error;
    }
  }
}
