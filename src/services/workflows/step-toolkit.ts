// What every durable workflow's steps share (the PV to HVM conversion, the Xen to Nitro migration): the run's
// caller, the tags that mark what a step made (so a resumed step finds it instead of making it twice), and a wait
// that sleeps on the workflow's clock until a probe answers.
import type { Caller } from "../../domain/caller.js";
import { Ec2Error } from "../../domain/errors.js";
import type { Tag } from "../../domain/tags.js";
import { PermanentFailure } from "../../domain/workflows.js";
import type { TagsRepo } from "../../store/tags-repo.js";
import type { RetryPolicy } from "../../domain/workflows.js";
import type { StepContext, StepOptions, WorkflowContext } from "./registry.js";

const maxWaitMs = 15 * 60 * 1000;

export interface StepToolkitSettings {
  runId: string;
  accountId: string;
  region: string;
  /** Who the workflow's calls are made as (the access key id the request log shows). */
  actor: string;
  /** The tag keys naming the run and the step on everything a step makes. */
  taskTagKey: string;
  stepTagKey: string;
  tags: TagsRepo;
  pollMs: number;
}

export function stepToolkit(settings: StepToolkitSettings) {
  const caller: Caller = { accountId: settings.accountId, region: settings.region, accessKeyId: settings.actor };
  const tags = (name: string, label: string): Tag[] => [
    { Key: settings.taskTagKey, Value: settings.runId },
    { Key: settings.stepTagKey, Value: name },
    { Key: "Name", Value: `${label} (${settings.runId})` },
  ];
  /** What an earlier attempt of this step made, found by its tags. */
  const made = async (resourceType: string, name: string) => (await settings.tags.idsTaggedWith(caller, resourceType, tags(name, "").slice(0, 2)))[0];
  const until = async <T>(context: StepContext, what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await context.sleep(settings.pollMs);
    }
  };
  return { caller, tags, made, until };
}

/**
 * The workflow's step.run with its retry policy, and the crash tests' hook called after a step's effect, before its
 * result is stored (a process killed there makes the resumed step find what it made).
 */
export function stepRunner(
  step: WorkflowContext<unknown>["step"],
  retry: Partial<RetryPolicy>,
  afterStepEffect: ((step: string) => void) | undefined,
): <T>(name: string, body: (context: StepContext) => Promise<T>, options?: StepOptions<T>) => Promise<T> {
  return (name, body, options = {}) =>
    step.run(
      name,
      async (context) => {
        const result = await body(context);
        afterStepEffect?.(name);
        return result;
      },
      { retry, ...options },
    );
}

/** EC2's answer to a request the workflow made wrong will not change on retry. */
export async function permanent<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Ec2Error) throw new PermanentFailure(`${error.code}: ${error.message}`);
    throw error;
  }
}

/** Clean-up of something already gone is done. */
export async function ignoreMissing(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Ec2Error && /NotFound$/.test(error.code)) return;
    throw error;
  }
}
