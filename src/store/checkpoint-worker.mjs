// The checkpoint worker that checkpointer.ts starts (see there for why): a connection of its own that checkpoints
// the WAL every `intervalMs`, PASSIVE, or TRUNCATE once the WAL is past `truncateAtBytes`; on any message, a last
// TRUNCATE checkpoint, then it closes. Plain JavaScript: a worker thread may run without the TypeScript loader
// the main thread uses (tsx), so this file must need none.
import { statSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { filePath, intervalMs, truncateAtBytes } = workerData;
const db = new Database(filePath, { timeout: 5000 });

/** The WAL's size, measured as checkpointer.ts's walBytes measures it. */
function walSize() {
  try {
    return statSync(`${filePath}-wal`).size;
  } catch {
    return 0;
  }
}

function checkpoint(mode) {
  try {
    db.pragma(`wal_checkpoint(${mode})`);
  } catch {
    // Busy or closing: the next tick, or the last checkpoint on stop, tries again.
  }
}

const timer = setInterval(() => checkpoint(walSize() > truncateAtBytes ? "TRUNCATE" : "PASSIVE"), intervalMs);

parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint("TRUNCATE");
  db.close();
  parentPort.close();
});
