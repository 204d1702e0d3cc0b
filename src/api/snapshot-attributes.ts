// DescribeSnapshotAttribute, ModifySnapshotAttribute, ResetSnapshotAttribute.
import type {
  CreateVolumePermission,
  DescribeSnapshotAttributeRequest,
  DescribeSnapshotAttributeResult,
  ModifySnapshotAttributeRequest,
  ResetSnapshotAttributeRequest,
} from "@aws-sdk/client-ec2";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { SnapshotAttributeService } from "../services/snapshot-attributes.js";

export function snapshotAttributeOperations(attributes: SnapshotAttributeService): OperationTable {
  return {
    DescribeSnapshotAttribute: operation<DescribeSnapshotAttributeRequest, DescribeSnapshotAttributeResult>({
      async handle(input, caller) {
        const snapshot = await attributes.ownSnapshot(caller, input.SnapshotId!);
        if (input.Attribute === "productCodes") return { SnapshotId: snapshot.snapshotId, ProductCodes: [] };
        const permissions: CreateVolumePermission[] = [
          ...(snapshot.public ? [{ Group: "all" as const }] : []),
          ...snapshot.createVolumePermissions.map((UserId) => ({ UserId })),
        ];
        return { SnapshotId: snapshot.snapshotId, CreateVolumePermissions: permissions };
      },
    }),

    ModifySnapshotAttribute: operation<ModifySnapshotAttributeRequest, Record<string, never>>({
      async validate(input, caller) {
        await attributes.check(caller, input.SnapshotId!, input);
      },
      async handle(input, caller) {
        await attributes.modify(caller, input.SnapshotId!, input);
        return {};
      },
    }),

    ResetSnapshotAttribute: operation<ResetSnapshotAttributeRequest, Record<string, never>>({
      async handle(input, caller) {
        await attributes.reset(caller, input.SnapshotId!, input.Attribute!);
        return {};
      },
    }),
  };
}
