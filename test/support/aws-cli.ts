// Runs the AWS CLI on the machine against a test server, with mini-ec2's extension model on its data path, so
// that `aws mini-ec2 …` works as it does for a user who ran `aws configure add-model`.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

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
    ...process.env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_DATA_PATH: extensionDataPath(),
    ...env,
  };
  let result: Omit<CliResult, "json">;
  try {
    const { stdout, stderr } = await run("aws", ["--endpoint-url", endpoint, "--output", "json", ...args], { env: fullEnv });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    result = { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
  return { ...result, json: parseJson(result.stdout) };
}

// Undefined for empty output, and for --output text or table.
function parseJson(stdout: string): any {
  try {
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    return undefined;
  }
}
