// Moves WAL checkpoints off the request path. By default SQLite checkpoints inside whichever commit crosses 1,000
// WAL pages: that request copies the pages into the database file and syncs it, on the event loop, about once
// every 70 launches (a launch writes some 15 pages). Here the connections that serve requests never checkpoint;
// a worker thread with a connection of its own does, on the other core, while they go on reading and writing.
//
// A PASSIVE checkpoint never waits for anyone; under writes that never pause it may keep finding new frames, and
// the WAL, which only rewinds once fully copied, would grow. Past `truncateAtBytes` the worker runs a TRUNCATE
// checkpoint instead: it waits for the writer in progress, copies everything, and empties the WAL file.
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";

export interface CheckpointerOptions {
  intervalMs?: number;
  truncateAtBytes?: number;
}

/** The worker's own file: plain JavaScript, so that it runs without the TypeScript loader the main thread may use. */
const workerFile = new URL("./checkpoint-worker.mjs", import.meta.url);

export interface Checkpointer {
  /** A last full checkpoint, then the worker ends. */
  stop(): Promise<void>;
}

/** `onFailure` runs if the worker cannot start or dies: the caller turns SQLite's own checkpoints back on. */
export function startCheckpointer(filePath: string, onFailure: (error: Error) => void, options: CheckpointerOptions = {}): Checkpointer {
  const worker = new Worker(workerFile, {
    workerData: {
      filePath,
      intervalMs: options.intervalMs ?? 200,
      truncateAtBytes: options.truncateAtBytes ?? 64 * 1024 * 1024,
    },
  });
  // The worker must not keep a finished process alive; closing the store stops it explicitly.
  worker.unref();
  worker.once("error", onFailure);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      // Referenced again, or a process with nothing else left would exit before the worker's last checkpoint.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}

/** The WAL's current size (checkpoint-worker.mjs, which cannot import this module, measures it the same way). */
export function walBytes(filePath: string): number {
  try {
    return statSync(`${filePath}-wal`).size;
  } catch {
    return 0;
  }
}
