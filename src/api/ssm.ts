// SSM Parameter Store's three read operations, for the public AMI parameters (/aws/service/...). The SSM SDK is
// not a dependency, so the input and output types are written here from the model's shapes (models/ssm-*.json.gz).
import { Errors } from "../domain/errors.js";
import type { PublicParameter } from "../domain/public-parameters.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { PublicParameterService } from "../services/public-parameters.js";

interface Parameter {
  Name: string;
  Type: "String";
  Value: string;
  Version: number;
  LastModifiedDate: Date;
  ARN: string;
  DataType: "aws:ec2:image";
}

interface GetParameterRequest {
  Name: string;
  WithDecryption?: boolean;
}

interface GetParametersRequest {
  Names: string[];
  WithDecryption?: boolean;
}

interface GetParametersByPathRequest {
  Path: string;
  Recursive?: boolean;
  ParameterFilters?: unknown[];
  WithDecryption?: boolean;
  MaxResults?: number;
  NextToken?: string;
}

/** As SSM shows a public AMI parameter: a plain String whose DataType says it holds an image id. */
const shown = (parameter: PublicParameter): Parameter => ({
  Name: parameter.name,
  Type: "String",
  Value: parameter.value,
  Version: parameter.version,
  LastModifiedDate: parameter.lastModifiedDate,
  ARN: parameter.arn,
  DataType: "aws:ec2:image",
});

export function ssmOperations(parameters: PublicParameterService): OperationTable {
  return {
    GetParameter: operation<GetParameterRequest, { Parameter: Parameter }>({
      async handle(input, caller) {
        return { Parameter: shown(await parameters.get(caller, input.Name)) };
      },
    }),
    GetParameters: operation<GetParametersRequest, { Parameters: Parameter[]; InvalidParameters: string[] }>({
      async handle(input, caller) {
        const { found, invalid } = await parameters.getMany(caller, input.Names);
        return { Parameters: found.map(shown), InvalidParameters: invalid };
      },
    }),
    GetParametersByPath: operation<GetParametersByPathRequest, { Parameters: Parameter[]; NextToken?: string }>({
      validate(input) {
        // Public AMI parameters are all of Type String with no labels: a filter could only ever keep or drop them all.
        if (input.ParameterFilters?.length)
          throw Errors.ssmValidation("mini-ec2 does not apply ParameterFilters to the public AMI parameters; leave them out.");
      },
      async handle(input, caller) {
        const page = await parameters.byPath(caller, input.Path, {
          recursive: input.Recursive ?? false,
          ...(input.MaxResults !== undefined ? { maxResults: input.MaxResults } : {}),
          ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
        });
        return { Parameters: page.parameters.map(shown), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
      },
    }),
  };
}
