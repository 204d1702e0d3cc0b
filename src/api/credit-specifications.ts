// Burstable instances' credit option: DescribeInstanceCreditSpecifications, ModifyInstanceCreditSpecification, and the
// account's default per family, GetDefaultCreditSpecification and ModifyDefaultCreditSpecification.
import type {
  DescribeInstanceCreditSpecificationsRequest,
  DescribeInstanceCreditSpecificationsResult,
  GetDefaultCreditSpecificationRequest,
  GetDefaultCreditSpecificationResult,
  ModifyDefaultCreditSpecificationRequest,
  ModifyDefaultCreditSpecificationResult,
  ModifyInstanceCreditSpecificationRequest,
  ModifyInstanceCreditSpecificationResult,
  UnsuccessfulInstanceCreditSpecificationErrorCode,
} from "@aws-sdk/client-ec2";
import type { BurstableFamily } from "../domain/credit-specification.js";
import { parseCreditMode } from "../domain/credit-specification.js";
import { Errors } from "../domain/errors.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { CreditSpecificationService } from "../services/credit-specifications.js";

export function creditSpecificationOperations(credits: CreditSpecificationService): OperationTable {
  return {
    DescribeInstanceCreditSpecifications: operation<DescribeInstanceCreditSpecificationsRequest, DescribeInstanceCreditSpecificationsResult>({
      validate(input) {
        if (input.InstanceIds?.length && input.MaxResults !== undefined) {
          throw Errors.invalidParameterCombination("The parameter instancesSet cannot be used with the parameter maxResults");
        }
      },
      async handle(input, caller) {
        const { specifications, nextToken } = await credits.describe(caller, {
          ...(input.InstanceIds?.length ? { instanceIds: input.InstanceIds } : {}),
          ...(input.Filters ? { filters: input.Filters } : {}),
          ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
          want: input.MaxResults ?? Number.MAX_SAFE_INTEGER,
        });
        return {
          InstanceCreditSpecifications: specifications.map((s) => ({ InstanceId: s.instanceId, CpuCredits: s.cpuCredits })),
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        };
      },
    }),
    ModifyInstanceCreditSpecification: operation<ModifyInstanceCreditSpecificationRequest, ModifyInstanceCreditSpecificationResult>({
      validate(input) {
        for (const item of input.InstanceCreditSpecifications ?? []) {
          if (item.CpuCredits === undefined) throw Errors.missingParameter("InstanceCreditSpecification.N.CpuCredits");
          parseCreditMode(item.CpuCredits, "CpuCredits");
        }
      },
      async handle(input, caller) {
        const result = await credits.modify(
          caller,
          (input.InstanceCreditSpecifications ?? []).map((item) => ({ instanceId: item.InstanceId!, cpuCredits: item.CpuCredits! })),
        );
        return {
          SuccessfulInstanceCreditSpecifications: result.successful.map((instanceId) => ({ InstanceId: instanceId })),
          UnsuccessfulInstanceCreditSpecifications: result.unsuccessful.map(({ instanceId, code, message }) => ({
            InstanceId: instanceId,
            Error: { Code: code as UnsuccessfulInstanceCreditSpecificationErrorCode, Message: message },
          })),
        };
      },
    }),
    GetDefaultCreditSpecification: operation<GetDefaultCreditSpecificationRequest, GetDefaultCreditSpecificationResult>({
      async handle(input, caller) {
        const family = input.InstanceFamily as BurstableFamily;
        return { InstanceFamilyCreditSpecification: { InstanceFamily: family, CpuCredits: await credits.getDefault(caller, family) } };
      },
    }),
    ModifyDefaultCreditSpecification: operation<ModifyDefaultCreditSpecificationRequest, ModifyDefaultCreditSpecificationResult>({
      validate(input) {
        parseCreditMode(input.CpuCredits!, "CpuCredits");
      },
      async handle(input, caller) {
        const family = input.InstanceFamily as BurstableFamily;
        return { InstanceFamilyCreditSpecification: { InstanceFamily: family, CpuCredits: await credits.modifyDefault(caller, family, input.CpuCredits!) } };
      },
    }),
  };
}
