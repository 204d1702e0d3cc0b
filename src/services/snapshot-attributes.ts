// DescribeSnapshotAttribute, ModifySnapshotAttribute, ResetSnapshotAttribute: find the snapshot the caller may see,
// check that the caller owns it, and change who else may use it (domain/snapshot-attributes.ts has the rules).
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { isWellFormedId } from "../domain/ids.js";
import {
  type CreateVolumePermissionChange,
  changedPermissions,
  checkMayModifySnapshot,
  createVolumePermissionChange,
  type ModifySnapshotAttributeInput,
} from "../domain/snapshot-attributes.js";
import { type Snapshot, usableSnapshot } from "../domain/snapshots.js";
import type { SnapshotsRepo } from "../store/snapshots-repo.js";

export class SnapshotAttributeService {
  constructor(private readonly snapshots: SnapshotsRepo) {}

  /** The caller's own snapshot; another's it may see answers UnauthorizedOperation, one it may not see NotFound. */
  async ownSnapshot(caller: Caller, snapshotId: string): Promise<Snapshot> {
    if (!isWellFormedId(snapshotId, "snap")) throw Errors.snapshotMalformed(snapshotId);
    const snapshot = usableSnapshot(await this.snapshots.find(caller.region, snapshotId), snapshotId, caller.accountId);
    checkMayModifySnapshot(snapshot, caller.accountId);
    return snapshot;
  }

  /** Checks the request without changing anything (DryRun runs this too). */
  async check(caller: Caller, snapshotId: string, input: ModifySnapshotAttributeInput): Promise<{ snapshot: Snapshot; change: CreateVolumePermissionChange }> {
    const change = createVolumePermissionChange(input);
    const snapshot = await this.ownSnapshot(caller, snapshotId);
    checkMayModifySnapshot(snapshot, caller.accountId, change);
    return { snapshot, change };
  }

  async modify(caller: Caller, snapshotId: string, input: ModifySnapshotAttributeInput): Promise<void> {
    const { snapshot, change } = await this.check(caller, snapshotId, input);
    await this.snapshots.setCreateVolumePermissions(caller.region, snapshotId, changedPermissions(snapshot, change));
  }

  /** Only createVolumePermission can be reset: the snapshot becomes private to its owner again. */
  async reset(caller: Caller, snapshotId: string, attribute: string): Promise<void> {
    if (attribute !== "createVolumePermission") {
      throw Errors.invalidParameterValue(`Invalid value '${attribute}' for Attribute. Only createVolumePermission can be reset.`);
    }
    await this.ownSnapshot(caller, snapshotId);
    await this.snapshots.setCreateVolumePermissions(caller.region, snapshotId, { public: false, createVolumePermissions: [] });
  }
}
