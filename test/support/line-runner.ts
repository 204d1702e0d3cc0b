// A long-lived child that runs one command a request for a test worker: a JSON request a line on its stdin, a JSON
// answer a line on its stdout, in order. The AWS CLI's (aws-cli-runner.py) and mini-ec2's (cli-runner.mjs) runners
// are such children: a command then costs its own work, not a process start and its imports.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LineRunner {
  send(request: { args: string[]; env: Record<string, string | undefined> }): Promise<CommandResult>;
  /** Resolves when the child has ended (it should not, before the worker does). */
  exited: Promise<undefined>;
}

export function startLineRunner(command: string, args: string[]): LineRunner {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  // The worker may end with the runner still waiting for a request.
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref?.();
  (child.stdout as unknown as { unref(): void }).unref?.();
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<{ resolve(line: string): void; reject(error: Error): void }> = [];
  lines.on("line", (line) => waiting.shift()?.resolve(line));
  let gone = false;
  child.stdin.on("error", () => undefined);
  const exited = new Promise<undefined>((resolve) =>
    child.once("exit", () => {
      gone = true;
      for (const request of waiting.splice(0)) request.reject(new Error(`the runner ${args.join(" ")} exited`));
      resolve(undefined);
    }),
  );
  let queue = Promise.resolve();
  const send = (request: object): Promise<CommandResult> => {
    const answer = queue.then(
      () =>
        new Promise<CommandResult>((resolve, reject) => {
          if (gone) return reject(new Error(`the runner ${args.join(" ")} exited`));
          waiting.push({ resolve: (line) => resolve(JSON.parse(line)), reject });
          child.stdin.write(`${JSON.stringify(request)}\n`);
        }),
    );
    queue = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer;
  };
  return { send, exited };
}
