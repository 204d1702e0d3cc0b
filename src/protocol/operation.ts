// The contract between the protocol layer and the API handlers: a table of operations keyed by the exact
// operation name on the wire, each taking the typed input the model describes and returning the typed output.
import type { Caller } from "../domain/caller.js";

export interface RequestContext extends Caller {
  requestId: string;
}

export interface Operation<Input = any, Output = any> {
  /** Checks that need the store; runs before DryRun is answered, so a dry run reports them too. */
  validate?(input: Input, context: RequestContext): Promise<void> | void;
  handle(input: Input, context: RequestContext): Promise<Output> | Output;
}

export type OperationTable = Record<string, Operation>;

/** Types one handler with the AWS SDK's own input and output types. */
export function operation<Input, Output>(definition: Operation<Input, Output>): Operation<Input, Output> {
  return definition;
}
