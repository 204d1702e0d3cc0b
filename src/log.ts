// Structured logs: one JSON object per line on stdout.
export type Logger = (event: Record<string, unknown>) => void;

export function createLogger(level: "info" | "silent"): Logger {
  if (level === "silent") return () => {};
  return (event) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
}
