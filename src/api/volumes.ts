// CreateVolume, DescribeVolumes, DeleteVolume, ModifyVolume, DescribeVolumesModifications.
import type {
  CreateVolumeRequest,
  DeleteVolumeRequest,
  DescribeVolumesModificationsRequest,
  DescribeVolumesModificationsResult,
  DescribeVolumesRequest,
  DescribeVolumesResult,
  ModifyVolumeRequest,
  ModifyVolumeResult,
  Volume as VolumeInfo,
  VolumeModification,
} from "@aws-sdk/client-ec2";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type FilterSpec } from "../domain/filters.js";
import { checkMaxResults, paginate } from "../domain/pagination.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import {
  attachmentState,
  currentAttachment,
  type Modification,
  modificationProgress,
  modificationState,
  reportedIops,
  type Volume,
  type VolumeType,
  volumeState,
} from "../domain/volumes.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { VolumeService } from "../services/volumes.js";

export function volumeOperations(volumes: VolumeService, clock: Clock): OperationTable {
  return {
    CreateVolume: operation<CreateVolumeRequest, VolumeInfo>({
      validate(input) {
        tagsFromSpecifications(input.TagSpecifications, "volume");
      },
      async handle(input, caller) {
        const volume = await volumes.create(caller, {
          availabilityZone: input.AvailabilityZone,
          availabilityZoneId: input.AvailabilityZoneId,
          size: input.Size,
          volumeType: input.VolumeType as VolumeType | undefined,
          iops: input.Iops,
          throughput: input.Throughput,
          snapshotId: input.SnapshotId,
          encrypted: input.Encrypted,
          multiAttachEnabled: input.MultiAttachEnabled,
          tags: tagsFromSpecifications(input.TagSpecifications, "volume"),
        });
        return volumeInfo(volume, clock.now());
      },
    }),

    DescribeVolumes: operation<DescribeVolumesRequest, DescribeVolumesResult>({
      validate(input) {
        if (input.VolumeIds?.length && input.MaxResults !== undefined) {
          throw Errors.invalidParameterCombination("The parameter volumeSet cannot be used with the parameter maxResults");
        }
        checkMaxResults(input.MaxResults, 5, 500);
      },
      async handle(input, caller) {
        const now = clock.now();
        const found = await volumes.describe(caller, input.VolumeIds);
        const page = paginate(applyFilters(found, input.Filters, volumeFilters(now)), (v) => v.volumeId, input, Number.MAX_SAFE_INTEGER);
        return { Volumes: page.items.map((volume) => volumeInfo(volume, now)), NextToken: page.nextToken };
      },
    }),

    DeleteVolume: operation<DeleteVolumeRequest, Record<string, never>>({
      async handle(input, caller) {
        await volumes.delete(caller, input.VolumeId!);
        return {};
      },
    }),

    ModifyVolume: operation<ModifyVolumeRequest, ModifyVolumeResult>({
      validate(input) {
        if (input.MultiAttachEnabled) throw Errors.unsupportedOperation("ModifyVolume with MultiAttachEnabled (mini-ec2 attaches a volume to one instance at a time)");
      },
      async handle(input, caller) {
        const modification = await volumes.modify(caller, input.VolumeId!, {
          size: input.Size,
          volumeType: input.VolumeType as VolumeType | undefined,
          iops: input.Iops,
          throughput: input.Throughput,
        });
        return { VolumeModification: modificationInfo(modification, clock.now()) };
      },
    }),

    DescribeVolumesModifications: operation<DescribeVolumesModificationsRequest, DescribeVolumesModificationsResult>({
      validate(input) {
        checkMaxResults(input.MaxResults, 1, 500);
      },
      async handle(input, caller) {
        const now = clock.now();
        const found = (await volumes.modifications(caller, input.VolumeIds)).map((m) => modificationInfo(m, now));
        const matching = applyFilters(found, input.Filters, modificationFilters);
        const page = paginate(matching, (m) => m.VolumeId!, input, 500);
        return { VolumesModifications: page.items, NextToken: page.nextToken };
      },
    }),
  };
}

export function volumeInfo(volume: Volume, now: Date): VolumeInfo {
  const attachment = currentAttachment(volume, now);
  return {
    VolumeId: volume.volumeId,
    Size: volume.size,
    SnapshotId: volume.snapshotId ?? "",
    AvailabilityZone: volume.availabilityZone,
    State: volumeState(volume, now),
    CreateTime: volume.createdAt,
    Attachments: attachment
      ? [{ VolumeId: volume.volumeId, InstanceId: attachment.instanceId, Device: attachment.device, State: attachmentState(attachment, now), AttachTime: attachment.attachTime, DeleteOnTermination: attachment.deleteOnTermination }]
      : [],
    Encrypted: volume.encrypted,
    VolumeType: volume.volumeType,
    Iops: reportedIops(volume),
    Throughput: volume.throughput,
    MultiAttachEnabled: false,
    Tags: volume.tags.length ? volume.tags : undefined,
  };
}

function volumeFilters(now: Date): FilterSpec<Volume> {
  const attached = (v: Volume) => currentAttachment(v, now);
  return {
    fields: {
      "attachment.attach-time": (v) => attached(v)?.attachTime.toISOString(),
      "attachment.delete-on-termination": (v) => attached(v)?.deleteOnTermination,
      "attachment.device": (v) => attached(v)?.device,
      "attachment.instance-id": (v) => attached(v)?.instanceId,
      "attachment.status": (v) => {
        const attachment = attached(v);
        return attachment ? attachmentState(attachment, now) : undefined;
      },
      "availability-zone": (v) => v.availabilityZone,
      "create-time": (v) => v.createdAt.toISOString(),
      encrypted: (v) => v.encrypted,
      iops: (v) => reportedIops(v),
      "multi-attach-enabled": () => false,
      size: (v) => v.size,
      "snapshot-id": (v) => v.snapshotId,
      status: (v) => volumeState(v, now),
      throughput: (v) => v.throughput,
      "volume-id": (v) => v.volumeId,
      "volume-type": (v) => v.volumeType,
    },
    tags: (v) => v.tags,
  };
}

function modificationInfo(modification: Modification, now: Date): VolumeModification {
  const { original, target } = modification;
  const state = modificationState(modification, now);
  return {
    VolumeId: modification.volumeId,
    ModificationState: state,
    TargetSize: target.size,
    TargetIops: reportedIops(target),
    TargetVolumeType: target.volumeType,
    TargetThroughput: target.throughput,
    TargetMultiAttachEnabled: false,
    OriginalSize: original.size,
    OriginalIops: reportedIops(original),
    OriginalVolumeType: original.volumeType,
    OriginalThroughput: original.throughput,
    OriginalMultiAttachEnabled: false,
    Progress: modificationProgress(modification, now),
    StartTime: modification.startTime,
    ...(state === "completed" ? { EndTime: modification.completesAt } : {}),
  };
}

const modificationFilters: FilterSpec<VolumeModification> = {
  fields: {
    "modification-state": (m) => m.ModificationState,
    "original-iops": (m) => m.OriginalIops,
    "original-size": (m) => m.OriginalSize,
    "original-volume-type": (m) => m.OriginalVolumeType,
    "start-time": (m) => m.StartTime?.toISOString(),
    "target-iops": (m) => m.TargetIops,
    "target-size": (m) => m.TargetSize,
    "target-volume-type": (m) => m.TargetVolumeType,
    "volume-id": (m) => m.VolumeId,
  },
};
