// The servers a benchmark drives, each a process of its own on a free port: mini-ec2 on a fresh database (with
// an optional fleet file), and moto's EC2 server for the comparison.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BenchServer {
  endpoint: string;
  databaseUrl?: string;
  /** mini-ec2's process id, for reading its CPU time. */
  pid?: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startMiniEc2(
  options: { fleet?: object; onLog?: (event: Record<string, unknown>) => void /** node's own flags, e.g. --cpu-prof */; nodeArgs?: string[] } = {},
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), "mini-ec2-bench-"));
  const port = await freePort();
  const root = new URL("../", import.meta.url).pathname;
  const databaseUrl = `file:${join(dir, "bench.db")}`;
  const env: Record<string, string> = { PORT: String(port), LOG_LEVEL: options.onLog ? "info" : "silent", MINI_EC2_DELAYS: "zero", DATABASE_URL: databaseUrl };
  if (options.fleet) {
    env.MINI_EC2_FLEET_FILE = join(dir, "fleet.json");
    writeFileSync(env.MINI_EC2_FLEET_FILE, JSON.stringify(options.fleet));
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "dist/main.js"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", options.onLog ? "pipe" : "ignore", "inherit"],
  });
  if (options.onLog) readLogLines(child, options.onLog);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${endpoint}/_mini-ec2/health`, child);
  return { endpoint, databaseUrl, pid: child.pid, stop: () => stopProcess(child, () => rmSync(dir, { recursive: true, force: true })) };
}

/** moto's server (python3 -m moto.server), when the machine has it; undefined otherwise. */
export async function startMoto(): Promise<BenchServer | undefined> {
  const port = await freePort();
  const child = spawn("python3", ["-m", "moto.server", "-p", String(port)], { stdio: ["ignore", "ignore", "ignore"] });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(`${endpoint}/moto-api/`, child);
  } catch {
    child.kill("SIGKILL");
    return undefined;
  }
  return { endpoint, stop: () => stopProcess(child) };
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not answer within 60 s`);
}

/** The server's log, one JSON object per line on stdout. */
function readLogLines(child: ChildProcess, onLog: (event: Record<string, unknown>) => void): void {
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      try {
        onLog(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
}

async function stopProcess(child: ChildProcess, after?: () => void): Promise<void> {
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  after?.();
}
