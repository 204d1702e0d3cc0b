// Runs mini-ec2 CLI commands in one long-lived process, for test/support/cli.ts: the code bin/mini-ec2.js runs
// (dist/cli/main.js's run, which runAsProcess calls with process.argv), without a Node start and the SDK's loading
// per command, which were most of a command's cost (0.55 s of CPU of 0.6, profiled). The AWS CLI's counterpart is
// aws-cli-runner.py. Reads one JSON request a line ({"args": [...], "env": {...}}) and answers one JSON line
// {"code", "stdout", "stderr"}, one command at a time: each runs in the request's environment, as a process would.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const { run } = await import(new URL("../../dist/cli/main.js", import.meta.url).href);
// The SDK's config-file reader keeps each file's first reading for the life of the process; a process per command
// read them afresh. Its interceptor's record goes before that cache: each command gets the files as they are now.
const interceptedFiles = createRequire(import.meta.url)("@smithy/shared-ini-file-loader").externalDataInterceptor.getFileRecord();

function readConfigFilesAfresh(env) {
  for (const path of Object.keys(interceptedFiles)) delete interceptedFiles[path];
  const home = env.HOME ?? homedir();
  for (const path of [env.AWS_CONFIG_FILE ?? join(home, ".aws", "config"), env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials")]) {
    let contents;
    try {
      contents = Promise.resolve(readFileSync(path, "utf8"));
    } catch (error) {
      // A missing file fails its reading, as the reader's own would (the SDK then treats it as empty).
      contents = Promise.reject(error);
      contents.catch(() => undefined);
    }
    interceptedFiles[path] = contents;
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, request.env);
  readConfigFilesAfresh(request.env);
  let stdout = "";
  let stderr = "";
  const code = await run(request.args, { out: (text) => (stdout += text) }, (text) => (stderr += text));
  process.stdout.write(`${JSON.stringify({ code, stdout, stderr })}\n`);
}
