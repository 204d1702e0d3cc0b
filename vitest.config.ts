import { defineConfig } from "vitest/config";
import { SlowestFirstSequencer } from "./test/support/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One seeded database per run, which every test server copies (test/support/server.ts).
    globalSetup: ["test/support/template-database.ts"],
    pool: "forks",
    // vitest's default on this 2-core machine is one worker, and the files ran one after the other while most of
    // their time is spent waiting on a child (the AWS CLI, mini-ec2's CLI, a server process) or on the loopback.
    // Three workers keep both cores busy (two left a core idle while both waited: 168 s against 157 s for the 792
    // tests of 2026-11-30), and npm test's type checks run beside them (scripts/test.mjs). The files share no global state (no env or module mocks), so a worker
    // runs its files in one process and imports the SDK, Prisma and the server once instead of once per file.
    maxWorkers: 3,
    // As many workers at least as at most: tinypool terminating an idle fork mid-run fails the run with an
    // unhandled "Terminating worker thread" (vitest-dev/vitest#8564).
    minWorkers: 3,
    isolate: false,
    // The slowest files start first (test/support/sequencer.ts).
    sequence: { sequencer: SlowestFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The AWS SDK warns once per process that Node 20 support ends in 2027; it is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", LOG_LEVEL: "silent" },
  },
});
