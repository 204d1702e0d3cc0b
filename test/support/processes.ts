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

/**
 * Starts the server as `npm start` does, on a port the system picks (PORT=0), and resolves once it prints where it
 * listens, which it does once it answers. A port picked here and handed over could be taken by another worker's
 * server in between, and a health check would then pass against that one.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const started = spawnScript(serverEntry, { PORT: "0", ...env });
  return { url: await listeningUrl(started), ...started };
}

/** The URL a server process prints once it listens; rejects if the process ends first. */
export function listeningUrl(started: ScriptProcess, withinMs = 120_000): Promise<string> {
  const { child } = started;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      done(new Error(`server did not start within ${withinMs} ms: ${started.stderr()}`));
    }, withinMs);
    const check = () => {
      const url = /mini-ec2 listening on (http:\/\/\S+)/.exec(started.stderr())?.[1];
      if (url) done(undefined, url);
    };
    const exited = () => done(new Error(`server exited early: ${started.stderr()}`));
    function done(error: Error | undefined, url?: string) {
      clearTimeout(timer);
      child.stderr!.off("data", check);
      child.off("exit", exited);
      if (error) reject(error);
      else resolve(url!);
    }
    child.stderr!.on("data", check);
    child.once("exit", exited);
  });
}
