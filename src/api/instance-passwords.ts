// GetPasswordData.
import type { GetPasswordDataRequest, GetPasswordDataResult } from "@aws-sdk/client-ec2";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstancePasswordService } from "../services/instance-passwords.js";

export function instancePasswordOperations(passwords: InstancePasswordService): OperationTable {
  return {
    GetPasswordData: operation<GetPasswordDataRequest, GetPasswordDataResult>({
      async handle(input, caller) {
        const data = await passwords.passwordData(caller, input.InstanceId!);
        return { InstanceId: data.instanceId, Timestamp: data.timestamp, PasswordData: data.passwordData };
      },
    }),
  };
}
