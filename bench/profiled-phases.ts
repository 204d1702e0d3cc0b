// The measuring half of the profile scripts (bench/profile-*.ts): one mini-ec2 run with --cpu-prof, phases of calls
// timed on the server's side (its process CPU from /proc, the request log's cpuMs) and, from the profile sliced to
// each phase's window, the functions with the most self time.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BenchServer, startMiniEc2 } from "./processes.js";

interface Phase {
  name: string;
  calls: number;
  startUs: number;
  endUs: number;
  cpuMs: number[];
  processCpuMs: number;
}

export interface ProfiledServer {
  server: BenchServer;
  /** Runs `call` `calls` times, one after another, as one phase of the report. */
  phase(name: string, calls: number, call: () => Promise<unknown>): Promise<void>;
  /** Stops the server (which writes its profile) and prints each phase. */
  stopAndReport(): Promise<void>;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export async function profiledServer(dir: string, fleet?: object): Promise<ProfiledServer> {
  mkdirSync(dir, { recursive: true });
  const phases: Phase[] = [];
  let current: Phase | undefined;
  const server = await startMiniEc2({
    ...(fleet ? { fleet } : {}),
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=200"],
    onLog: (event) => {
      if (current && typeof event.cpuMs === "number") current.cpuMs.push(event.cpuMs);
    },
  });
  /** The server process's user and system time (all its threads), from /proc: the same measure for any version. */
  const processCpuMs = () => {
    const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  return {
    server,
    async phase(name, calls, call) {
      const cpuBefore = processCpuMs();
      current = { name, calls, startUs: nowUs(), endUs: 0, cpuMs: [], processCpuMs: 0 };
      for (let i = 0; i < calls; i++) await call();
      current.endUs = nowUs();
      current.processCpuMs = processCpuMs() - cpuBefore;
      phases.push(current);
      current = undefined;
    },
    async stopAndReport() {
      await server.stop();
      writeFileSync(join(dir, "phases.json"), JSON.stringify(phases.map(({ cpuMs: _, ...phase }) => phase)));
      report(dir, phases);
    },
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function report(dir: string, phases: readonly Phase[]): void {
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"))!;
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const frameName = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*\/(node_modules|dist|src)\//, "$1/");
    return `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
  };
  for (const { name, calls, startUs, endUs, cpuMs, processCpuMs } of phases) {
    const self = new Map<string, number>();
    let at = profile.startTime;
    let total = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i]!;
      const delta = profile.timeDeltas[i + 1] ?? 0;
      if (at < startUs || at > endUs) continue;
      const node = nodes.get(profile.samples[i]!)!;
      if (node.callFrame.functionName === "(idle)") continue;
      const key = frameName(node);
      self.set(key, (self.get(key) ?? 0) + delta);
      total += delta;
    }
    const sorted = [...cpuMs].sort((a, b) => a - b);
    const mean = cpuMs.reduce((sum, ms) => sum + ms, 0) / cpuMs.length;
    process.stdout.write(
      `\n${name}: ${calls} calls, ${((endUs - startUs) / 1000 / calls).toFixed(2)} ms wall a call; server process CPU ${(processCpuMs / calls).toFixed(2)} ms a call; request log cpuMs mean ${mean.toFixed(2)}, p50 ${sorted[Math.floor(sorted.length / 2)]}; profile (non-idle) ${(total / 1000 / calls).toFixed(2)} ms a call\n`,
    );
    for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
      process.stdout.write(`  ${(us / 1000 / calls).toFixed(3).padStart(7)} ms  ${key}\n`);
  }
  process.stdout.write(`\nprofile: ${join(dir, file)}\n`);
}
