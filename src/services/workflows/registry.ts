// The workflow definitions a server knows, by name and version. A run records both, so a run started under
// version 1 resumes under version 1 even after version 2 is registered.
import type { RetryPolicy } from "../../domain/workflows.js";

export interface StepContext {
  runId: string;
  attempt: number;
  /** Stable across attempts and restarts: give it to any side effect outside the database so it happens once. */
  idempotencyKey: string;
  /** Waits on the wall clock (for a resource to settle); cut short when the runner stops, which ends the attempt. */
  sleep(ms: number): Promise<void>;
}

export interface StepOptions<T> {
  retry?: Partial<RetryPolicy>;
  /** Undoes the step's effect when the run fails or is cancelled later; gets the step's stored result. */
  compensate?: (result: T, context: StepContext) => Promise<void>;
}

export interface WorkflowContext<Input> {
  runId: string;
  input: Input;
  accountId?: string;
  region?: string;
  step: {
    /** Runs `fn` once per run: on replay a completed step returns its stored result without running again. */
    run<T>(name: string, fn: (context: StepContext) => Promise<T>, options?: StepOptions<T>): Promise<T>;
  };
}

export interface WorkflowDefinition<Input = any, Output = any> {
  name: string;
  version: number;
  /** Must be deterministic outside its steps: it is replayed from the top after a restart. */
  run(context: WorkflowContext<Input>): Promise<Output>;
}

export class WorkflowRegistry {
  private readonly definitions = new Map<string, WorkflowDefinition>();

  constructor(definitions: readonly WorkflowDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: WorkflowDefinition): void {
    const key = `${definition.name}@${definition.version}`;
    if (this.definitions.has(key)) throw new Error(`workflow ${key} is registered twice`);
    this.definitions.set(key, definition);
  }

  get(name: string, version: number): WorkflowDefinition | undefined {
    return this.definitions.get(`${name}@${version}`);
  }

  latest(name: string): WorkflowDefinition | undefined {
    let found: WorkflowDefinition | undefined;
    for (const definition of this.definitions.values()) {
      if (definition.name === name && (!found || definition.version > found.version)) found = definition;
    }
    return found;
  }
}
