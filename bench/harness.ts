// Measures one operation: a warm-up, then a fixed number of calls at a fixed concurrency, timed one by one.
export interface Scenario {
  name: string;
  /** Runs once before measuring (seed data). */
  setup?: () => Promise<void>;
  call: (i: number) => Promise<unknown>;
  calls?: number;
  concurrency?: number;
  /** Calls made before measuring (default: up to 50). */
  warmup?: number;
}

export interface Measurement {
  name: string;
  calls: number;
  concurrency: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function measure(scenario: Scenario): Promise<Measurement> {
  const calls = scenario.calls ?? 500;
  const concurrency = scenario.concurrency ?? 4;
  await scenario.setup?.();
  for (let i = 0; i < (scenario.warmup ?? Math.min(50, calls)); i++) await scenario.call(-1 - i);

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const i = next++;
        const t0 = performance.now();
        await scenario.call(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { name: scenario.name, calls, concurrency, callsPerSecond: calls / elapsedSeconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}

export function formatTable(rows: Measurement[]): string {
  const header = ["operation", "calls", "conc", "calls/s", "p50 ms", "p99 ms"];
  const body = rows.map((r) => [r.name, String(r.calls), String(r.concurrency), r.callsPerSecond.toFixed(0), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
