// Runs the mini-ec2 CLI (bin/mini-ec2.js, as `npx mini-ec2` would) as a child process against a server, with a
// clean environment of its own. The AWS CLI's counterpart is test/support/aws-cli.ts.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

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

/** `mini-ec2 <args>` with the endpoint in AWS_ENDPOINT_URL and no credentials set (the CLI falls back to test/test). */
export function miniEc2(endpoint: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runChild(process.execPath, [join(root, "bin/mini-ec2.js"), ...args], cleanEnv({ AWS_ENDPOINT_URL: endpoint, ...env }));
}
