// CreateVolume, DescribeVolumes, DeleteVolume, ModifyVolume, DescribeVolumesModifications, DescribeVolumeStatus.
import type {
  CreateVolumeRequest,
  DeleteVolumeRequest,
  DescribeVolumesModificationsRequest,
  DescribeVolumesModificationsResult,
  DescribeVolumesRequest,
  DescribeVolumesResult,
  DescribeVolumeStatusRequest,
  DescribeVolumeStatusResult,
  ModifyVolumeRequest,
  ModifyVolumeResult,
  Volume as VolumeInfo,
  VolumeModification,
} from "@aws-sdk/client-ec2";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { awsManagedEbsKeyArn } from "../domain/kms-keys.js";
import { paginate } from "../domain/pagination.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import {
  attachmentState,
  liveAttachments,
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
import { refusedCreateVolumeMembers, refuseMembers } from "./refused-members.js";

/** DescribeVolumes and DescribeVolumeStatus page through all volumes or answer the ids named, not both. */
function refuseIdsWithMaxResults(input: { VolumeIds?: string[]; MaxResults?: number }): void {
  if (input.VolumeIds?.length && input.MaxResults !== undefined) {
    throw Errors.invalidParameterCombination("The parameter volumeSet cannot be used with the parameter maxResults");
  }
}

export function volumeOperations(volumes: VolumeService, clock: Clock): OperationTable {
  return {
    CreateVolume: operation<CreateVolumeRequest, VolumeInfo>({
      validate(input) {
        refuseMembers("CreateVolume", input, refusedCreateVolumeMembers);
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
          kmsKeyId: input.KmsKeyId,
          multiAttachEnabled: input.MultiAttachEnabled,
          tags: tagsFromSpecifications(input.TagSpecifications, "volume"),
        });
        return volumeInfo(volume, clock.now());
      },
    }),

    DescribeVolumes: operation<DescribeVolumesRequest, DescribeVolumesResult>({
      validate: refuseIdsWithMaxResults,
      async handle(input, caller) {
        const found = await volumes.describe(caller, input.VolumeIds, input.Filters);
        const page = paginate(found, (v) => v.volumeId, input, Number.MAX_SAFE_INTEGER);
        const now = clock.now();
        return { Volumes: page.items.map((volume) => volumeInfo(volume, now)), NextToken: page.nextToken };
      },
    }),

    DescribeVolumeStatus: operation<DescribeVolumeStatusRequest, DescribeVolumeStatusResult>({
      validate: refuseIdsWithMaxResults,
      async handle(input, caller) {
        const reports = await volumes.statuses(caller, input.VolumeIds, input.Filters);
        const page = paginate(reports, (report) => report.volumeId, input, Number.MAX_SAFE_INTEGER);
        const statuses = page.items.map((report) => ({
          VolumeId: report.volumeId,
          AvailabilityZone: report.availabilityZone,
          VolumeStatus: { Status: report.status, Details: report.details.map((detail) => ({ Name: detail.name, Status: detail.status })) },
          Events: [],
          Actions: [],
        }));
        return { VolumeStatuses: statuses, NextToken: page.nextToken };
      },
    }),

    DeleteVolume: operation<DeleteVolumeRequest, Record<string, never>>({
      async handle(input, caller) {
        await volumes.delete(caller, input.VolumeId!);
        return {};
      },
    }),

    ModifyVolume: operation<ModifyVolumeRequest, ModifyVolumeResult>({
      async handle(input, caller) {
        const modification = await volumes.modify(caller, input.VolumeId!, {
          size: input.Size,
          volumeType: input.VolumeType as VolumeType | undefined,
          iops: input.Iops,
          throughput: input.Throughput,
          multiAttachEnabled: input.MultiAttachEnabled,
        });
        return { VolumeModification: modificationInfo(modification, clock.now()) };
      },
    }),

    DescribeVolumesModifications: operation<DescribeVolumesModificationsRequest, DescribeVolumesModificationsResult>({
      async handle(input, caller) {
        const found = await volumes.modifications(caller, input.VolumeIds, input.Filters);
        const page = paginate(found, (m) => m.volumeId, input, 500);
        const now = clock.now();
        return { VolumesModifications: page.items.map((m) => modificationInfo(m, now)), NextToken: page.nextToken };
      },
    }),
  };
}

export function volumeInfo(volume: Volume, now: Date): VolumeInfo {
  return {
    VolumeId: volume.volumeId,
    Size: volume.size,
    SnapshotId: volume.snapshotId ?? "",
    AvailabilityZone: volume.availabilityZone,
    State: volumeState(volume, now),
    CreateTime: volume.createdAt,
    Attachments: liveAttachments(volume, now).map((attachment) => ({
      VolumeId: volume.volumeId,
      InstanceId: attachment.instanceId,
      Device: attachment.device,
      State: attachmentState(attachment, now),
      AttachTime: attachment.attachTime,
      DeleteOnTermination: attachment.deleteOnTermination,
    })),
    Encrypted: volume.encrypted,
    // Encrypted without a key of its own: the account's AWS managed key, as EC2 shows it.
    ...(volume.encrypted ? { KmsKeyId: volume.kmsKeyId ?? awsManagedEbsKeyArn(volume) } : {}),
    VolumeType: volume.volumeType,
    Iops: reportedIops(volume),
    Throughput: volume.throughput,
    MultiAttachEnabled: volume.multiAttachEnabled,
    Tags: volume.tags.length ? volume.tags : undefined,
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
    TargetMultiAttachEnabled: target.multiAttachEnabled,
    OriginalSize: original.size,
    OriginalIops: reportedIops(original),
    OriginalVolumeType: original.volumeType,
    OriginalThroughput: original.throughput,
    OriginalMultiAttachEnabled: original.multiAttachEnabled,
    Progress: modificationProgress(modification, now),
    StartTime: modification.startTime,
    ...(state === "completed" ? { EndTime: modification.completesAt } : {}),
  };
}
