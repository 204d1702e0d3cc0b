// The contract between the protocol layer and the API handlers: a table of operations keyed by the exact
// operation name on the wire, each taking the typed input the model describes and returning the typed output.
import type { Caller } from "../domain/caller.js";
import type { ServiceModel } from "./service-model.js";

export interface RequestContext extends Caller {
  requestId: string;
}

export interface Operation<Input = any, Output = any> {
  /** Checks that need the store; runs before DryRun is answered, so a dry run reports them too. */
  validate?(input: Input, context: RequestContext): Promise<void> | void;
  /**
   * Under DryRun, after validate(): the rest of the checks handle() makes (existence, permissions, the launch rules),
   * none of its side effects. Without it, DryRun is answered after validate() alone.
   */
  dryRun?(input: Input, context: RequestContext): Promise<void> | void;
  handle(input: Input, context: RequestContext): Promise<Output> | Output;
}

export type OperationTable = Record<string, Operation>;

/** Types one handler with the AWS SDK's own input and output types. */
export function operation<Input, Output>(definition: Operation<Input, Output>): Operation<Input, Output> {
  return definition;
}

/**
 * The model's operations without a handler, which dispatch answers Unsupported: a list, each checked against the
 * model (src/protocol/operation-coverage.ts); or, for a model far larger than what mini-ec2 implements (EC2's
 * ~765 operations), every operation without one. docs/operations.md lists what is implemented.
 */
export type Unimplemented = readonly string[] | "every operation without a handler";

/** One service dispatch answers: its model, its handlers, and what it knowingly leaves out. */
export interface QueryService {
  model: ServiceModel;
  /** The service name in EC2's NoSuchVersion message, e.g. AmazonEC2. */
  serviceName: string;
  operations: OperationTable;
  unimplemented: Unimplemented;
}
