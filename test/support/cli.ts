// Runs the mini-ec2 CLI against a server, with a clean environment of its own: as a child process (bin/mini-ec2.js,
// as `npx mini-ec2` would), or, for most tests, in the worker's long-lived CLI process (cli-runner.mjs), which runs
// the same compiled code without a process start per command. The AWS CLI's counterpart is test/support/aws-cli.ts.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CommandResult, type LineRunner, startLineRunner } from "./line-runner.js";

export type CliResult = CommandResult;

const root = new URL("../../", import.meta.url).pathname;
// No shared config or credentials files unless a test writes them: the machine's ~/.aws must not leak in.
const emptyHome = mkdtempSync(join(tmpdir(), "mini-ec2-cli-home-"));

/** The environment a user would have: the process's, minus every AWS_ setting, plus the given ones. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
  return {
    ...env,
    HOME: emptyHome,
    AWS_CONFIG_FILE: join(emptyHome, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(emptyHome, "credentials"),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_PAGER: "",
    ...extra,
  };
}

function runChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let runner: LineRunner | undefined;

/**
 * `mini-ec2 <args>` with the endpoint in AWS_ENDPOINT_URL and no credentials set (the CLI falls back to test/test),
 * run by the worker's CLI process; MINI_EC2_CLI=process runs each command as its own process.
 */
export function miniEc2(endpoint: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  if (process.env.MINI_EC2_CLI === "process") return miniEc2Process(endpoint, args, env);
  runner ??= startLineRunner(process.execPath, [fileURLToPath(new URL("./cli-runner.mjs", import.meta.url))]);
  return runner.send({ args, env: cleanEnv({ AWS_ENDPOINT_URL: endpoint, ...env }) });
}

/** `mini-ec2 <args>` as its own process, for the tests of what the process itself does (its exit code, its streams). */
export function miniEc2Process(endpoint: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runChild(process.execPath, [join(root, "bin/mini-ec2.js"), ...args], cleanEnv({ AWS_ENDPOINT_URL: endpoint, ...env }));
}
