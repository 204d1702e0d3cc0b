// Runs mini-ec2's own commands as child processes, as a user would: the server (npm start's entry) and the admin.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";

const run = promisify(execFile);
const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;

export async function admin(databaseUrl: string, ...args: string[]): Promise<any> {
  const { stdout } = await run(tsx, ["src/cli/admin.ts", ...args], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } });
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

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Waits for the process to end and returns its exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals>;
}

/** Starts `src/main.ts` (what `npm start` runs) and waits until it answers. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(tsx, ["src/main.ts"], { cwd: root, env: { ...process.env, PORT: String(port), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal!)));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${stderr}`);
    try {
      if ((await fetch(`${url}/_mini-ec2/health`)).ok) return { url, child, exited, stderr: () => stderr, stdout: () => stdout };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`server did not start: ${stderr}`);
}
