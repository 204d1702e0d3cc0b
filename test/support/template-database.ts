// vitest's globalSetup: one start of the server, once per run, on a database of its own, which then serves as the
// template every test server copies (test/support/server.ts). A first start migrates and seeds the Amazon catalog
// into every region row by row; the copies start from that and skip the seed (the catalog's version is unchanged).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
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

const root = new URL("../../", import.meta.url).pathname;
/** What dist/ is built from (scripts/build.mjs): the sources, the build scripts, and the locked compilers. */
const buildInputs = ["src", "scripts/build.mjs", "scripts/build-console.mjs", "package-lock.json"];

const filesUnder = (path: string): string[] => (statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => filesUnder(join(path, name))) : [path]);
const mtimes = (paths: string[]) => paths.flatMap((path) => filesUnder(join(root, path))).map((file) => statSync(file).mtimeMs);

/**
 * dist/ is current when every file in it was written after the last change to what it is built from, as make
 * judges: a clean checkout's `npm ci` has just built it (postinstall), and an edited source is newer than the
 * build. The build is most of the suite's setup (the console's Vite bundle alone takes seconds), so it runs only then.
 */
function distIsCurrent(): boolean {
  if (!existsSync(join(root, "dist/main.js")) || !existsSync(join(root, "dist/console/index.html"))) return false;
  return Math.max(...mtimes(buildInputs)) < Math.min(...mtimes(["dist"]));
}

export default async function setup(project: TestProject): Promise<() => void> {
  // The tests that start the server or the CLI as a process run the compiled copy: build it from these sources.
  if (!distIsCurrent()) execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
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
