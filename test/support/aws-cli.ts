// Runs the AWS CLI on the machine against a test server, with mini-ec2's extension model on its data path, so
// that `aws mini-ec2 …` works as it does for a user who ran `aws configure add-model`.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type LineRunner, startLineRunner } from "./line-runner.js";

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON; undefined when empty or not JSON. */
  json: any;
}

let dataPath: string | undefined;

function extensionDataPath(): string {
  if (!dataPath) {
    dataPath = mkdtempSync(join(tmpdir(), "mini-ec2-aws-data-"));
    const dir = join(dataPath, "mini-ec2", "2026-11-22");
    mkdirSync(dir, { recursive: true });
    copyFileSync(new URL("../../models/mini-ec2-2026-11-22.json", import.meta.url), join(dir, "service-2.json"));
  }
  return dataPath;
}

export async function aws(endpoint: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const fullEnv = {
    ...(process.env as Record<string, string>),
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_DATA_PATH: extensionDataPath(),
    ...env,
  };
  const argv = ["--endpoint-url", endpoint, "--output", "json", ...args];
  const result = (await inProcessRunner()) ? await runInProcess(argv, fullEnv) : await runCommand(argv, fullEnv);
  return { ...result, json: parseJson(result.stdout) };
}

/** The `aws` command as its own process: what a user runs, and the fallback where awscli cannot be imported. */
async function runCommand(argv: string[], env: Record<string, string>): Promise<Omit<CliResult, "json">> {
  try {
    const { stdout, stderr } = await run("aws", argv, { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The same awscli code in one Python process per test worker (aws-cli-runner.py): a command then costs its own
// work, not a Python start and botocore's imports. MINI_EC2_AWS_CLI=process runs the command as its own process.
let runner: Promise<LineRunner | undefined> | undefined;

function inProcessRunner() {
  runner ??= startRunner();
  return runner;
}

async function startRunner() {
  if (process.env.MINI_EC2_AWS_CLI === "process") return undefined;
  const started = startLineRunner("python3", [fileURLToPath(new URL("./aws-cli-runner.py", import.meta.url))]);
  // awscli missing for this python3: fall back to the aws command.
  const probe = await Promise.race([started.send({ args: ["--version"], env: { PATH: process.env.PATH ?? "" } }).catch(() => undefined), started.exited]);
  return probe && probe.code === 0 ? started : undefined;
}

async function runInProcess(argv: string[], env: Record<string, string>): Promise<Omit<CliResult, "json">> {
  const runnerProcess = (await inProcessRunner())!;
  return runnerProcess.send({ args: argv, env });
}

// Undefined for empty output, and for --output text or table.
function parseJson(stdout: string): any {
  try {
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    return undefined;
  }
}
