// Runs mini-ec2's own commands as child processes, as a user would: the server (npm start's entry) and the admin.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;

/** `npm run admin -- <args>`, compiled: the suite's global setup builds dist/, and the build starts in half tsx's time. */
export async function admin(databaseUrl: string, ...args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, ["dist/cli/admin.js", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return JSON.parse(stdout);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

export interface ScriptProcess {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Waits for the process to end and returns its exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals>;
}

export interface ServerProcess extends ScriptProcess {
  url: string;
}

/** What `npm start` runs: the compiled server (the suite's global setup builds dist/ first). */
export const serverEntry = "dist/main.js";

/**
 * Runs a file of the project as its own process, collecting its output. A TypeScript file gets tsx loaded
 * in-process (`--import tsx`) rather than through the tsx command, which runs the script in a grandchild: a
 * SIGKILL must reach the process that does the work.
 */
export function spawnScript(script: string, env: Record<string, string>): ScriptProcess {
  const child = spawn(process.execPath, [...(script.endsWith(".ts") ? ["--import", "tsx"] : []), script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal!)));
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
}

/** Starts the server as `npm start` does and waits until it answers. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const started = spawnScript(serverEntry, { PORT: String(port), ...env });
  const { child } = started;
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${started.stderr()}`);
    try {
      if ((await fetch(`${url}/_mini-ec2/health`)).ok) return { url, ...started };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`server did not start: ${started.stderr()}`);
}
