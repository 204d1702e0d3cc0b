// Runs `prisma generate` offline (npm's postinstall). The Prisma CLI downloads its native schema engine before
// every command, even `generate`, which never runs it; pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing file
// skips the download. A real engine path set by the user is kept. See docs/persistence.md.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync(process.execPath, [prismaCli, "generate"], { stdio: "inherit", env });
if (result.error) console.error(result.error.message);
process.exit(result.status ?? 1);
