// The start-up rows of `npm run bench`: how long `npm start` takes to answer its health check, on a fresh database
// (cold: migrations and the Amazon catalog's seed) and on the database an earlier start left (warm), and how much
// memory the server holds once it idles. Each start is a process of its own, spawned as `npm start` runs it after
// its build (node dist/main.js), so that the process measured is the server. The
// times are wall-clock on a machine the bench shares with nothing else, or they mean little.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./processes.js";

export interface StartupMeasurement {
  name: string;
  starts: number;
  /** Spawn to the first answer of /_mini-ec2/health, median and worst of the starts. */
  p50Ms: number;
  maxMs: number;
  /** CPU time the server process (all its threads) had used when it first answered, median of the starts. */
  cpuMs: number;
  /** The server's resident memory a second after its first answer, the largest of the starts. */
  idleRssMiB: number;
}

const root = new URL("../", import.meta.url).pathname;

type Start = { ms: number; cpuMs: number; rssMiB: number };

async function oneStart(databaseUrl: string): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: "silent", DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "ignore"],
  });
  try {
    const ms = await untilHealthy(`http://127.0.0.1:${port}/_mini-ec2/health`, child, started);
    const cpuMs = cpuTimeMs(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { ms, cpuMs, rssMiB: residentMiB(child.pid!) };
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
  }
}

async function untilHealthy(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (performance.now() - started > 60_000) throw new Error(`${url} did not answer within 60 s`);
    try {
      if ((await fetch(url)).ok) return performance.now() - started;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

function residentMiB(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return kib ? Number(kib) / 1024 : Number.NaN;
}

/** utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
function cpuTimeMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
    .replace(/^.*\) /, "")
    .split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function summarize(name: string, runs: Start[]): StartupMeasurement {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const times = runs.map((run) => run.ms).sort((a, b) => a - b);
  return {
    name,
    starts: runs.length,
    p50Ms: median(times),
    maxMs: times.at(-1)!,
    cpuMs: median(runs.map((run) => run.cpuMs)),
    idleRssMiB: Math.max(...runs.map((run) => run.rssMiB)),
  };
}

/** Cold: each start on a database of its own that does not exist yet. Warm: starts again on one of those. */
export async function measureStartup(starts = 5): Promise<StartupMeasurement[]> {
  const dir = mkdtempSync(join(tmpdir(), "mini-ec2-bench-startup-"));
  try {
    const cold = [];
    for (let i = 0; i < starts; i++) cold.push(await oneStart(`file:${join(dir, `fresh-${i}.db`)}`));
    const warm = [];
    for (let i = 0; i < starts; i++) warm.push(await oneStart(`file:${join(dir, "fresh-0.db")}`));
    return [summarize("start-up, fresh database", cold), summarize("start-up, existing database", warm)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatStartupTable(rows: StartupMeasurement[]): string {
  const header = ["start-up", "starts", "p50 ms", "max ms", "cpu ms", "idle RSS MiB"];
  const body = rows.map((r) => [r.name, String(r.starts), r.p50Ms.toFixed(0), r.maxMs.toFixed(0), r.cpuMs.toFixed(0), r.idleRssMiB.toFixed(0)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

// `tsx bench/startup.ts`: the start-up rows alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${formatStartupTable(await measureStartup())}\n`);
}
