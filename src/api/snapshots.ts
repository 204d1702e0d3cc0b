// CreateSnapshot, CreateSnapshots, DescribeSnapshots, DeleteSnapshot, CopySnapshot.
import type {
  CopySnapshotRequest,
  CopySnapshotResult,
  CreateSnapshotRequest,
  CreateSnapshotsRequest,
  CreateSnapshotsResult,
  DeleteSnapshotRequest,
  DescribeSnapshotsRequest,
  DescribeSnapshotsResult,
  Snapshot as SnapshotInfo,
} from "@aws-sdk/client-ec2";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { paginate } from "../domain/pagination.js";
import { snapshotProgress, snapshotState, type TaggedSnapshot } from "../domain/snapshots.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { CreateSnapshotsService } from "../services/create-snapshots.js";
import type { SnapshotService } from "../services/snapshots.js";
import { refusedCopySnapshotMembers, refuseMembers } from "./refused-members.js";

export function snapshotOperations(snapshots: SnapshotService, snapshotSets: CreateSnapshotsService, clock: Clock): OperationTable {
  return {
    CreateSnapshot: operation<CreateSnapshotRequest, SnapshotInfo>({
      validate(input) {
        tagsFromSpecifications(input.TagSpecifications, "snapshot");
      },
      async handle(input, caller) {
        const snapshot = await snapshots.create(caller, input.VolumeId!, input.Description, tagsFromSpecifications(input.TagSpecifications, "snapshot"));
        return snapshotInfo(snapshot, clock.now());
      },
    }),

    CreateSnapshots: operation<CreateSnapshotsRequest, CreateSnapshotsResult>({
      validate(input) {
        tagsFromSpecifications(input.TagSpecifications, "snapshot");
        if (input.OutpostArn !== undefined || input.Location === "local")
          throw Errors.unsupportedOperation("CreateSnapshots on an Outpost or in a Local Zone (mini-ec2 stores snapshots in the region)");
        if (!input.InstanceSpecification?.InstanceId) throw Errors.missingParameter("InstanceSpecification.InstanceId");
      },
      async handle(input, caller) {
        const spec = input.InstanceSpecification!;
        const set = await snapshotSets.create(caller, {
          instanceId: spec.InstanceId!,
          excludeBootVolume: spec.ExcludeBootVolume,
          excludeDataVolumeIds: spec.ExcludeDataVolumeIds,
          description: input.Description,
          copyTagsFromSource: input.CopyTagsFromSource,
          tags: tagsFromSpecifications(input.TagSpecifications, "snapshot"),
        });
        const now = clock.now();
        return { Snapshots: set.map((snapshot) => snapshotInfo(snapshot, now)) };
      },
    }),

    DescribeSnapshots: operation<DescribeSnapshotsRequest, DescribeSnapshotsResult>({
      async handle(input, caller) {
        const found = await snapshots.describe(caller, {
          snapshotIds: input.SnapshotIds,
          ownerIds: input.OwnerIds,
          restorableBy: input.RestorableByUserIds,
          filters: input.Filters,
        });
        const page = paginate(found, (s) => s.snapshotId, input, Number.MAX_SAFE_INTEGER);
        const now = clock.now();
        return { Snapshots: page.items.map((snapshot) => snapshotInfo(snapshot, now)), NextToken: page.nextToken };
      },
    }),

    DeleteSnapshot: operation<DeleteSnapshotRequest, Record<string, never>>({
      async handle(input, caller) {
        await snapshots.delete(caller, input.SnapshotId!);
        return {};
      },
    }),

    CopySnapshot: operation<CopySnapshotRequest, CopySnapshotResult>({
      validate(input) {
        refuseMembers("CopySnapshot", input, refusedCopySnapshotMembers);
        if (input.KmsKeyId !== undefined)
          throw Errors.unsupportedParameter("CopySnapshot", "KmsKeyId", "snapshots keep no KMS key here; Encrypted=true uses the account's default key");
        tagsFromSpecifications(input.TagSpecifications, "snapshot");
      },
      async handle(input, caller) {
        const tags = tagsFromSpecifications(input.TagSpecifications, "snapshot");
        const snapshot = await snapshots.copy(caller, {
          sourceRegion: input.SourceRegion!,
          sourceSnapshotId: input.SourceSnapshotId!,
          description: input.Description,
          encrypted: input.Encrypted,
          destinationRegion: input.DestinationRegion,
          tags,
        });
        return { SnapshotId: snapshot.snapshotId, Tags: tags.length ? tags : undefined };
      },
    }),
  };
}

function snapshotInfo(snapshot: TaggedSnapshot, now: Date): SnapshotInfo {
  return {
    SnapshotId: snapshot.snapshotId,
    VolumeId: snapshot.volumeId ?? "vol-ffffffff",
    State: snapshotState(snapshot, now),
    StartTime: snapshot.startTime,
    Progress: snapshotProgress(snapshot, now),
    OwnerId: snapshot.accountId,
    OwnerAlias: snapshot.ownerAlias,
    Description: snapshot.description,
    VolumeSize: snapshot.volumeSize,
    Encrypted: snapshot.encrypted,
    StorageTier: "standard",
    Tags: snapshot.tags.length ? snapshot.tags : undefined,
  };
}
