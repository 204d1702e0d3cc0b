// `mini-ec2 ec2 wait <waiter>`: one generic poller driven by botocore's waiters-2.json, so every waiter works
// as soon as the operation it polls exists. Acceptors are matched in order, as botocore's Waiter does.
import jmespath from "jmespath";
import { CliFailure, exitCodes } from "./errors.js";
import { type CliModel, type Waiter, xformName } from "./model.js";

export function waiterNames(model: CliModel): string[] {
  return Object.keys(model.waiters).map(xformName).sort();
}

export function findWaiter(model: CliModel, name: string): { name: string; waiter: Waiter } | undefined {
  const entry = Object.entries(model.waiters).find(([waiterName]) => xformName(waiterName) === name);
  return entry && { name: entry[0], waiter: entry[1] };
}

export interface PollResult {
  output?: Record<string, unknown>;
  errorCode?: string;
  status: number;
}

export type Poll = () => Promise<PollResult>;

/** Polls until an acceptor says success (resolves) or failure, or the attempts run out (throws, exit 255). */
export async function wait(name: string, waiter: Waiter, poll: Poll, sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<void> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= waiter.maxAttempts; attempt++) {
    const result = await poll();
    const state = matchAcceptors(waiter, result);
    if (state === "success") return;
    if (state === "failure")
      throw new CliFailure(`Waiter ${name} failed: Waiter encountered a terminal failure state: ${describeMatch(waiter, result)}`, exitCodes.other);
    if (state === undefined && result.errorCode) {
      throw new CliFailure(`Waiter ${name} failed: An error occurred (${result.errorCode}): Unexpected error encountered`, exitCodes.other);
    }
    lastProblem = result.errorCode ? `Error ${result.errorCode}` : "";
    if (attempt < waiter.maxAttempts) await sleep(waiter.delay * 1000);
  }
  throw new CliFailure(`Waiter ${name} failed: Max attempts exceeded${lastProblem ? `. Previously accepted state: ${lastProblem}` : ""}`, exitCodes.other);
}

function matchAcceptors(waiter: Waiter, result: PollResult): string | undefined {
  for (const acceptor of waiter.acceptors) {
    if (matches(acceptor, result)) return acceptor.state;
  }
  return undefined;
}

function matches(acceptor: Waiter["acceptors"][number], result: PollResult): boolean {
  switch (acceptor.matcher) {
    case "error":
      // expected: an error code, or true/false for "any error" / "no error".
      return typeof acceptor.expected === "boolean" ? (result.errorCode !== undefined) === acceptor.expected : result.errorCode === acceptor.expected;
    case "status":
      return result.status === acceptor.expected;
    default: {
      if (!result.output) return false;
      const found = jmespath.search(result.output as any, acceptor.argument!);
      if (acceptor.matcher === "path") return deepEqual(found, acceptor.expected);
      if (!Array.isArray(found) || found.length === 0) return false;
      return acceptor.matcher === "pathAll"
        ? found.every((item) => deepEqual(item, acceptor.expected))
        : found.some((item) => deepEqual(item, acceptor.expected));
    }
  }
}

function describeMatch(waiter: Waiter, result: PollResult): string {
  const failure = waiter.acceptors.find((acceptor) => acceptor.state === "failure" && matches(acceptor, result));
  if (!failure) return "";
  if (failure.matcher === "error") return `An error occurred (${result.errorCode})`;
  return `For expression "${failure.argument}" we matched expected path: "${String(failure.expected)}"${failure.matcher === "pathAny" ? " at least once" : ""}`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
