// GetInstanceUefiData.
import type { GetInstanceUefiDataRequest, GetInstanceUefiDataResult } from "@aws-sdk/client-ec2";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceUefiDataService } from "../services/instance-uefi-data.js";

export function instanceUefiDataOperations(uefi: InstanceUefiDataService): OperationTable {
  return {
    GetInstanceUefiData: operation<GetInstanceUefiDataRequest, GetInstanceUefiDataResult>({
      async handle(input, caller) {
        return { InstanceId: input.InstanceId!, UefiData: await uefi.uefiData(caller, input.InstanceId!) };
      },
    }),
  };
}
