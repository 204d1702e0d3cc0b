// ExplainLaunchMatrix (extension): ExplainLaunch's verdicts for many images and types at once (the console's matrix).
import { type OperationTable, operation } from "../protocol/operation.js";
import type { LaunchMatrixService } from "../services/launch-matrix.js";

interface MatrixInput {
  ImageIds: string[];
  InstanceTypes: string[];
  AvailabilityZone?: string;
}

export function explainMatrixOperations(matrix: LaunchMatrixService): OperationTable {
  return {
    ExplainLaunchMatrix: operation<MatrixInput, object>({
      async handle(input, caller) {
        const cells = await matrix.explain(caller, input.ImageIds, input.InstanceTypes, input.AvailabilityZone);
        return {
          Cells: cells.map((cell) => ({
            ImageId: cell.imageId,
            InstanceType: cell.instanceType,
            Launchable: cell.launchable,
            WouldBoot: cell.wouldBoot,
            FailedRuleIds: cell.failedRuleIds,
            WarningRuleIds: cell.warningRuleIds,
          })),
        };
      },
    }),
  };
}
