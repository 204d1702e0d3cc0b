// CreateSnapshots: a crash-consistent snapshot set of an instance's EBS volumes. Every attached volume (less the boot
// volume and the data volumes excluded) is snapshotted at the same point in time: one start time for all, and all
// stored in one transaction, so a reader sees the whole set or none of it.
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { isWellFormedId } from "../domain/ids.js";
import { currentState } from "../domain/instances.js";
import { newSnapshot, type TaggedSnapshot } from "../domain/snapshots.js";
import { type Tag, withTags } from "../domain/tags.js";
import { attachmentState } from "../domain/volumes.js";
import type { SnapshotsRepo } from "../store/snapshots-repo.js";
import type { VolumesRepo } from "../store/volumes-repo.js";
import type { InstanceService } from "./instances.js";

export interface CreateSnapshotsInput {
  instanceId: string;
  excludeBootVolume?: boolean;
  excludeDataVolumeIds?: string[];
  description?: string;
  /** "volume": each snapshot also gets the caller's tags of its volume. */
  copyTagsFromSource?: string;
  tags: Tag[];
}

export class CreateSnapshotsService {
  constructor(
    private readonly instances: InstanceService,
    private readonly volumes: VolumesRepo,
    private readonly snapshots: SnapshotsRepo,
    private readonly clock: Clock,
    private readonly delays: Delays,
  ) {}

  async create(caller: Caller, input: CreateSnapshotsInput): Promise<TaggedSnapshot[]> {
    for (const id of input.excludeDataVolumeIds ?? []) if (!isWellFormedId(id, "vol")) throw Errors.volumeMalformed(id);
    const instance = await this.instances.getOne(caller, input.instanceId);
    const now = this.clock.now();
    const state = currentState(instance, now);
    if (state === "shutting-down" || state === "terminated") throw Errors.incorrectInstanceState(instance.instanceId, state, "snapshotted");

    // With their guest models (the frozen disks) and, for CopyTagsFromSource, with the caller's tags.
    const attached = (await this.instances.attachedVolumes(caller, instance)).filter((v) => attachmentState(v.attachment, now) !== "detaching");
    const tagged = new Map(
      (
        await this.volumes.list(
          caller,
          attached.map((v) => v.volumeId),
        )
      ).map((v) => [v.volumeId, v.tags]),
    );
    const excluded = new Set(input.excludeDataVolumeIds ?? []);
    for (const id of excluded) {
      const volume = attached.find((v) => v.volumeId === id);
      if (!volume) throw Errors.invalidParameterValue(`The volume '${id}' in ExcludeDataVolumeIds is not attached to instance '${instance.instanceId}'.`);
      if (volume.attachment.device === instance.rootDeviceName) {
        throw Errors.invalidParameterValue(
          `The volume '${id}' is the root volume of '${instance.instanceId}': exclude it with ExcludeBootVolume, not ExcludeDataVolumeIds.`,
        );
      }
    }
    const chosen = attached.filter((v) => !excluded.has(v.volumeId) && !(input.excludeBootVolume && v.attachment.device === instance.rootDeviceName));
    if (chosen.length === 0)
      throw Errors.invalidParameterValue(`Instance '${instance.instanceId}' has no volume left to snapshot once the exclusions are applied.`);

    const completesAt = new Date(now.getTime() + this.delays.snapshotCompleteMs);
    const set: TaggedSnapshot[] = chosen.map((volume) => ({
      ...newSnapshot(
        caller,
        { volumeId: volume.volumeId, volumeSize: volume.size, description: input.description ?? "", encrypted: volume.encrypted, guest: volume.guest },
        { startTime: now, completesAt },
      ),
      // The request's tags win over a volume's tag of the same key.
      tags: input.copyTagsFromSource === "volume" ? withTags(tagged.get(volume.volumeId) ?? [], input.tags) : input.tags,
    }));
    await this.snapshots.insertSet(set);
    return set;
  }
}
