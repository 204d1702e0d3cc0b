// What the workflows' crash tests share: the id of the one run a fresh database holds, and a server process's end.
import { openStore } from "../../src/store/database.js";
import type { ScriptProcess } from "./processes.js";

/** The run the database holds (the tests start one): read there, since the server may die before it answers. */
export async function storedRunId(databaseUrl: string): Promise<string> {
  const store = await openStore(databaseUrl);
  try {
    return (await store.prisma.workflowRun.findFirstOrThrow({ select: { runId: true } })).runId;
  } finally {
    await store.close();
  }
}

/** The process's end, or "timeout" (and a kill) when it outlives `ms`: a step that never ran again would hang here. */
export async function exitedWithin(server: ScriptProcess, ms: number) {
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
  const outcome = await Promise.race([server.exited, timer]);
  if (outcome === "timeout") server.child.kill("SIGKILL");
  return outcome;
}
