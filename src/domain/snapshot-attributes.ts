// ModifySnapshotAttribute, DescribeSnapshotAttribute, ResetSnapshotAttribute: which change a request names, in the
// current form (CreateVolumePermission.Add/Remove) or the legacy one (Attribute with OperationType, UserId.N,
// UserGroup.N), who may read or change it, and the permissions a change leaves behind.
import { Errors } from "./errors.js";
import type { Snapshot } from "./snapshots.js";

export interface CreateVolumePermissionItem {
  UserId?: string;
  Group?: string;
}

/** The members of EC2's ModifySnapshotAttributeRequest this file reads (the SDK's type, narrowed). */
export interface ModifySnapshotAttributeInput {
  Attribute?: string;
  CreateVolumePermission?: { Add?: CreateVolumePermissionItem[]; Remove?: CreateVolumePermissionItem[] };
  OperationType?: string;
  UserIds?: string[];
  GroupNames?: string[];
}

export interface CreateVolumePermissionChange {
  addUserIds: string[];
  removeUserIds: string[];
  addAll: boolean;
  removeAll: boolean;
}

export type SnapshotPermissions = Pick<Snapshot, "public" | "createVolumePermissions">;

/** The createVolumePermission change a ModifySnapshotAttribute request asks for, checked. productCodes are read-only. */
export function createVolumePermissionChange(input: ModifySnapshotAttributeInput): CreateVolumePermissionChange {
  if (input.Attribute === "productCodes") {
    throw Errors.invalidParameterValue("The productCodes attribute of a snapshot is read-only: only createVolumePermission can be modified.");
  }
  const change: CreateVolumePermissionChange = { addUserIds: [], removeUserIds: [], addAll: false, removeAll: false };
  const put = (operation: string, item: CreateVolumePermissionItem) => {
    if (operation !== "add" && operation !== "remove")
      throw Errors.invalidParameterValue(`Invalid value '${operation}' for OperationType. It is add or remove.`);
    if ((item.UserId === undefined) === (item.Group === undefined)) {
      throw Errors.invalidParameterCombination("Each create volume permission names exactly one of UserId and Group.");
    }
    if (item.UserId !== undefined) {
      if (!/^\d{12}$/.test(item.UserId)) throw Errors.invalidUserId(item.UserId, "A create volume permission names a 12-digit account id.");
      (operation === "add" ? change.addUserIds : change.removeUserIds).push(item.UserId);
    } else {
      if (item.Group !== "all") throw Errors.invalidParameterValue(`Invalid value '${item.Group}' for Group. The only group is 'all'.`);
      change[operation === "add" ? "addAll" : "removeAll"] = true;
    }
  };
  for (const item of input.CreateVolumePermission?.Add ?? []) put("add", item);
  for (const item of input.CreateVolumePermission?.Remove ?? []) put("remove", item);

  const legacyItems = [...(input.UserIds ?? []).map((UserId) => ({ UserId })), ...(input.GroupNames ?? []).map((Group) => ({ Group }))];
  if (input.OperationType === undefined && legacyItems.length > 0) throw Errors.missingParameter("OperationType");
  if (input.OperationType !== undefined) {
    if (legacyItems.length === 0) throw Errors.missingParameter("UserId.N or UserGroup.N");
    for (const item of legacyItems) put(input.OperationType, item);
  }
  if (!change.addAll && !change.removeAll && change.addUserIds.length === 0 && change.removeUserIds.length === 0) {
    throw Errors.missingParameter("CreateVolumePermission.Add.N or CreateVolumePermission.Remove.N");
  }
  return change;
}

/**
 * Only the owner reads or changes a snapshot's attributes, even an account the snapshot is shared with; an encrypted
 * snapshot may be shared with accounts but never made public.
 */
export function checkMayModifySnapshot(
  snapshot: Pick<Snapshot, "snapshotId" | "accountId" | "encrypted">,
  accountId: string,
  change?: CreateVolumePermissionChange,
): void {
  if (snapshot.accountId !== accountId) throw Errors.notSnapshotOwner(snapshot.snapshotId, snapshot.accountId);
  if (change?.addAll && snapshot.encrypted) throw Errors.encryptedSnapshotPublic();
}

/** The permissions after a change: removals after additions, as EC2 applies one request's lists. */
export function changedPermissions(current: SnapshotPermissions, change: CreateVolumePermissionChange): SnapshotPermissions {
  const accounts = new Set([...current.createVolumePermissions, ...change.addUserIds]);
  for (const removed of change.removeUserIds) accounts.delete(removed);
  return { public: (current.public || change.addAll) && !change.removeAll, createVolumePermissions: [...accounts].sort() };
}
