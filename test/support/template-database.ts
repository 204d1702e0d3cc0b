// vitest's globalSetup: one start of the server, once per run, on a database of its own, which then serves as the
// template every test server copies (test/support/server.ts). A first start migrates and seeds the Amazon catalog
// into every region row by row; the copies start from that and skip the seed (the catalog's version is unchanged).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The path of the seeded template database, for test/support/server.ts to copy. */
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  // The tests that start the server or the CLI as a process run the compiled copy: build it from these sources.
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  const dir = mkdtempSync(join(tmpdir(), "mini-ec2-template-"));
  const path = join(dir, "template.db");
  const server = await startServer(loadConfig({ PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: `file:${path}`, MINI_EC2_DELAYS: "zero" }));
  await server.close();
  const db = new Database(path);
  try {
    // Each server makes its own session-token signing key, as on a first start; the copy is one file, no WAL.
    db.prepare(`DELETE FROM "ServerSecret" WHERE "name" = ?`).run("session-token-signing-key");
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  project.provide("templateDatabase", path);
  return () => rmSync(dir, { recursive: true, force: true });
}
