// AttachVolume and DetachVolume: a volume of the caller's goes onto an instance in its zone, at a free device name
// valid for the instance's virtualization type; attaching then attached, detaching then gone, on the clock. A
// Multi-Attach volume goes onto up to 16 Nitro instances at once. Only the VolumeAttachment table changes, so
// DescribeInstances (which derives its block devices from it) follows at once.
import { checkAttachState, checkDetach, checkDeviceName, sameSlot } from "../domain/attachments.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { hypervisorOf } from "../domain/fleet.js";
import { currentState } from "../domain/instances.js";
import { type Attachment, liveAttachments, maxMultiAttachments, volumeState } from "../domain/volumes.js";
import type { VolumesRepo } from "../store/volumes-repo.js";
import type { InstanceService } from "./instances.js";
import { ownVolume } from "./volumes.js";

export interface AttachmentInfo extends Attachment {
  volumeId: string;
  state: "attaching" | "attached" | "detaching";
}

export class AttachmentService {
  constructor(
    private readonly volumes: VolumesRepo,
    private readonly instances: InstanceService,
    private readonly clock: Clock,
    private readonly delays: Delays,
  ) {}

  async attach(caller: Caller, input: { volumeId: string; instanceId: string; device: string }): Promise<AttachmentInfo> {
    const volume = await ownVolume(this.volumes, caller, input.volumeId);
    const instance = await this.instances.getOne(caller, input.instanceId);
    const now = this.clock.now();
    if (volume.availabilityZone !== instance.availabilityZone) {
      throw Errors.volumeZoneMismatch(volume.volumeId, instance.instanceId);
    }
    const state = volumeState(volume, now);
    if (state === "creating") throw Errors.incorrectState(`The volume '${volume.volumeId}' is 'creating'. Attach it once it is 'available'.`);
    const live = liveAttachments(volume, now);
    if (!volume.multiAttachEnabled && live.length > 0) throw Errors.volumeAlreadyAttached(volume.volumeId, live[0]!.instanceId);
    if (live.some((attachment) => attachment.instanceId === instance.instanceId)) throw Errors.volumeAlreadyAttached(volume.volumeId, instance.instanceId);
    // Bare metal (no hypervisor) is Nitro hardware too.
    if (volume.multiAttachEnabled && hypervisorOf(this.instances.type(instance.instanceType)) === "xen") {
      throw Errors.multiAttachNitroOnly(volume.volumeId, instance.instanceId, instance.instanceType);
    }
    if (live.length >= maxMultiAttachments) throw Errors.multiAttachLimit(volume.volumeId, maxMultiAttachments);
    checkAttachState(instance.instanceId, currentState(instance, now));
    checkDeviceName(input.device, instance.virtualizationType);
    const attachment: Attachment = {
      instanceId: instance.instanceId,
      device: input.device,
      attachTime: now,
      attachedAt: new Date(now.getTime() + this.delays.volumeAttachMs),
      deleteOnTermination: false,
    };
    const limit = volume.multiAttachEnabled ? maxMultiAttachments : 1;
    const outcome = await this.volumes.attach(caller, volume.volumeId, attachment, limit, (device) => sameSlot(device, input.device));
    if (outcome === "device-busy")
      throw Errors.invalidParameterValue(`Invalid value '${input.device}' for unixDevice. Attachment point ${input.device} is already in use`);
    if (outcome === "already-attached") throw Errors.volumeAlreadyAttached(volume.volumeId, instance.instanceId);
    // Another attach got in first since the checks above.
    if (outcome === "volume-busy")
      throw volume.multiAttachEnabled ? Errors.multiAttachLimit(volume.volumeId, limit) : Errors.volumeAlreadyAttached(volume.volumeId);
    return { ...attachment, volumeId: volume.volumeId, state: this.delays.volumeAttachMs === 0 ? "attached" : "attaching" };
  }

  async detach(caller: Caller, input: { volumeId: string; instanceId?: string; device?: string; force?: boolean }): Promise<AttachmentInfo> {
    const volume = await ownVolume(this.volumes, caller, input.volumeId);
    const now = this.clock.now();
    const live = liveAttachments(volume, now);
    if (live.length === 0) throw Errors.incorrectState(`Volume '${volume.volumeId}' is in the '${volumeState(volume, now)}' state.`);
    if (volume.multiAttachEnabled && !input.instanceId) throw Errors.multiAttachDetachNeedsInstance(volume.volumeId);
    const attachment = live.find(
      (candidate) => (!input.instanceId || candidate.instanceId === input.instanceId) && (!input.device || candidate.device === input.device),
    );
    if (!attachment) throw Errors.attachmentNotFound(volume.volumeId, input, live[0]!);
    if (attachment.detachAt && !input.force) throw Errors.incorrectState(`Volume '${volume.volumeId}' is in the 'detaching' state.`);
    const instance = await this.instances.getOne(caller, attachment.instanceId);
    checkDetach(volume, attachment, { rootDeviceName: instance.rootDeviceName, state: currentState(instance, now) });
    const detachAt = new Date(now.getTime() + (input.force ? 0 : this.delays.volumeDetachMs));
    if (!(await this.volumes.detach(caller, volume.volumeId, attachment.instanceId, detachAt, input.force === true))) {
      throw Errors.incorrectState(`Volume '${volume.volumeId}' is no longer attached to '${attachment.instanceId}'.`);
    }
    return { ...attachment, detachAt, volumeId: volume.volumeId, state: "detaching" };
  }
}
