// DeregisterImage, with DeleteAssociatedSnapshots: the image goes first, then the snapshots it named.
import type { DeregisterImageRequest, DeregisterImageResult } from "@aws-sdk/client-ec2";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { ImageService } from "../services/images.js";
import type { SnapshotService } from "../services/snapshots.js";

export function deregisterImageOperations(images: ImageService, snapshots: SnapshotService): OperationTable {
  return {
    DeregisterImage: operation<DeregisterImageRequest, DeregisterImageResult>({
      async handle(input, caller) {
        const image = await images.deregister(caller, input.ImageId!);
        if (input.DeleteAssociatedSnapshots !== true) return { Return: true };
        const snapshotIds = image.blockDeviceMappings.flatMap((mapping) => (mapping.Ebs?.SnapshotId ? [mapping.Ebs.SnapshotId] : []));
        const results = await snapshots.deleteOfDeregisteredImage(caller, snapshotIds);
        return {
          Return: true,
          DeleteSnapshotResults: results.map((result) => ({ SnapshotId: result.snapshotId, ReturnCode: result.returnCode })),
        };
      },
    }),
  };
}
