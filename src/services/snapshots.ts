// Snapshot use cases: create from a volume (freezing its guest), describe (owners, restorable-by, ids), delete
// (not while an image maps it), and copy from another region into the signing one.
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { snapshotFilters } from "../domain/filters/snapshots.js";
import { isWellFormedId } from "../domain/ids.js";
import type { Topology } from "../domain/regions.js";
import { isRestorableBy, newSnapshot, type Snapshot, snapshotState, type TaggedSnapshot, usableSnapshot } from "../domain/snapshots.js";
import type { Tag } from "../domain/tags.js";
import { volumeState } from "../domain/volumes.js";
import type { SnapshotsRepo } from "../store/snapshots-repo.js";
import type { VolumesRepo } from "../store/volumes-repo.js";
import { ownVolume } from "./volumes.js";
import type { EbsEncryptionRepo } from "../store/ebs-encryption-repo.js";

export interface SnapshotQuery {
  snapshotIds?: string[];
  ownerIds?: string[];
  restorableBy?: string[];
  filters?: readonly Filter[];
}

/** EC2 reports this volume id on a copied snapshot: the copy comes from no volume of the caller's. */
const copiedVolumeId = "vol-ffffffff";

/** One snapshot's outcome in DeregisterImage's DeleteSnapshotResults, in EC2's return codes. */
export interface SnapshotDeletion {
  snapshotId: string;
  returnCode: "success" | "skipped" | "missing-permissions";
}

export class SnapshotService {
  constructor(
    private readonly snapshots: SnapshotsRepo,
    private readonly volumes: VolumesRepo,
    private readonly topology: Topology,
    private readonly clock: Clock,
    private readonly delays: Delays,
    /** EBS encryption by default: every copy encrypted while the account has it on. */
    private readonly ebsEncryption: EbsEncryptionRepo,
  ) {}

  async create(caller: Caller, volumeId: string, description: string | undefined, tags: Tag[]): Promise<TaggedSnapshot> {
    const volume = await ownVolume(this.volumes, caller, volumeId);
    if (volumeState(volume, this.clock.now()) === "creating") {
      throw Errors.incorrectState(`The volume '${volumeId}' is 'creating'. Snapshot it once it is 'available' or 'in-use'.`);
    }
    const snapshot = this.newSnapshot(caller, {
      volumeId,
      volumeSize: volume.size,
      description: description ?? "",
      encrypted: volume.encrypted,
      ...(volume.guest ? { guest: volume.guest } : {}),
    });
    await this.snapshots.insert(snapshot, tags);
    return { ...snapshot, tags };
  }

  async describe(caller: Caller, query: SnapshotQuery): Promise<TaggedSnapshot[]> {
    for (const id of query.snapshotIds ?? []) if (!isWellFormedId(id, "snap")) throw Errors.snapshotMalformed(id);
    const owners = query.ownerIds?.map((owner) => {
      if (owner === "self") return caller.accountId;
      if (owner === "amazon" || /^\d{12}$/.test(owner)) return owner;
      throw Errors.invalidUserId(owner);
    });
    for (const user of query.restorableBy ?? []) if (user !== "self" && user !== "all" && !/^\d{12}$/.test(user)) throw Errors.invalidUserId(user);

    let found = await this.snapshots.visible(caller, { snapshotIds: query.snapshotIds, owners });
    const missing = (query.snapshotIds ?? []).find((id) => !found.some((s) => s.snapshotId === id));
    if (missing) throw Errors.snapshotNotFound(missing);
    if (query.restorableBy?.length) {
      const users = query.restorableBy;
      found = found.filter((s) => users.some((user) => isRestorableBy(s, user, caller.accountId)));
    }
    return applyFilters(found, query.filters, snapshotFilters(this.clock.now()));
  }

  async delete(caller: Caller, snapshotId: string): Promise<void> {
    if (!isWellFormedId(snapshotId, "snap")) throw Errors.snapshotMalformed(snapshotId);
    const snapshot = usableSnapshot(await this.snapshots.find(caller.region, snapshotId), snapshotId, caller.accountId);
    if (snapshot.accountId !== caller.accountId) throw Errors.notSnapshotOwner(snapshotId, snapshot.accountId);
    const result = await this.snapshots.delete(caller, snapshotId);
    if (result === "missing") throw Errors.snapshotNotFound(snapshotId);
    if (result !== "deleted") throw Errors.snapshotInUse(snapshotId, result.inUseBy);
  }

  /**
   * DeregisterImage's DeleteAssociatedSnapshots: each snapshot the deregistered image named, deleted when the caller
   * owns it and no other image uses it (success), kept when another image does (skipped, as EC2 documents) or when it
   * is another account's (missing-permissions: the caller may not delete it). One already gone is not reported.
   */
  async deleteOfDeregisteredImage(caller: Caller, snapshotIds: readonly string[]): Promise<SnapshotDeletion[]> {
    const results: SnapshotDeletion[] = [];
    for (const snapshotId of new Set(snapshotIds)) {
      const snapshot = await this.snapshots.find(caller.region, snapshotId);
      if (!snapshot) continue;
      if (snapshot.accountId !== caller.accountId) {
        results.push({ snapshotId, returnCode: "missing-permissions" });
        continue;
      }
      const result = await this.snapshots.delete(caller, snapshotId);
      if (result !== "missing") results.push({ snapshotId, returnCode: result === "deleted" ? "success" : "skipped" });
    }
    return results;
  }

  /** Copies a completed snapshot the caller may use, from `sourceRegion` into the region the request is signed for. */
  async copy(
    caller: Caller,
    input: { sourceRegion: string; sourceSnapshotId: string; description?: string; encrypted?: boolean; destinationRegion?: string; tags: Tag[] },
  ): Promise<Snapshot> {
    if (!this.topology.region(input.sourceRegion))
      throw Errors.invalidParameterValue(`Invalid value '${input.sourceRegion}' for SourceRegion: not a region of describe-regions.`);
    if (input.destinationRegion && input.destinationRegion !== caller.region) {
      throw Errors.invalidParameterValue(
        `DestinationRegion '${input.destinationRegion}' differs from the region this request is signed for (${caller.region}). Send CopySnapshot to the destination region.`,
      );
    }
    if (!isWellFormedId(input.sourceSnapshotId, "snap")) throw Errors.snapshotMalformed(input.sourceSnapshotId);
    const source = usableSnapshot(await this.snapshots.find(input.sourceRegion, input.sourceSnapshotId), input.sourceSnapshotId, caller.accountId);
    if (snapshotState(source, this.clock.now()) !== "completed") {
      throw Errors.incorrectState(`Snapshot '${source.snapshotId}' is not completed yet (pending). Copy it once describe-snapshots shows it completed.`);
    }
    const snapshot = this.newSnapshot(caller, {
      volumeId: copiedVolumeId,
      volumeSize: source.volumeSize,
      description: input.description ?? `[Copied ${source.snapshotId} from ${input.sourceRegion}]`,
      encrypted: source.encrypted || input.encrypted === true || (await this.ebsEncryption.isEnabled(caller)),
      ...(source.guest ? { guest: source.guest } : {}),
    });
    await this.snapshots.insert(snapshot, input.tags);
    return snapshot;
  }

  private newSnapshot(caller: Caller, fields: Pick<Snapshot, "volumeId" | "volumeSize" | "description" | "encrypted" | "guest">): Snapshot {
    const now = this.clock.now();
    return newSnapshot(caller, fields, { startTime: now, completesAt: new Date(now.getTime() + this.delays.snapshotCompleteMs) });
  }
}
