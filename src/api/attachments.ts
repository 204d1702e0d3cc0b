// AttachVolume and DetachVolume.
import type { AttachVolumeRequest, DetachVolumeRequest, VolumeAttachment } from "@aws-sdk/client-ec2";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { AttachmentInfo, AttachmentService } from "../services/attachments.js";

export function attachmentOperations(attachments: AttachmentService): OperationTable {
  return {
    AttachVolume: operation<AttachVolumeRequest, VolumeAttachment>({
      async handle(input, caller) {
        return attachmentInfo(await attachments.attach(caller, { volumeId: input.VolumeId!, instanceId: input.InstanceId!, device: input.Device! }));
      },
    }),
    DetachVolume: operation<DetachVolumeRequest, VolumeAttachment>({
      async handle(input, caller) {
        return attachmentInfo(
          await attachments.detach(caller, {
            volumeId: input.VolumeId!,
            ...(input.InstanceId !== undefined ? { instanceId: input.InstanceId } : {}),
            ...(input.Device !== undefined ? { device: input.Device } : {}),
            force: input.Force === true,
          }),
        );
      },
    }),
  };
}

function attachmentInfo(attachment: AttachmentInfo): VolumeAttachment {
  return {
    VolumeId: attachment.volumeId,
    InstanceId: attachment.instanceId,
    Device: attachment.device,
    State: attachment.state,
    AttachTime: attachment.attachTime,
    DeleteOnTermination: attachment.deleteOnTermination,
  };
}
