import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One seeded database per run, which every test server copies (test/support/server.ts).
    globalSetup: ["test/support/template-database.ts"],
    pool: "forks",
    // vitest's default on this 2-core machine is one worker, and the files ran one after the other while most of
    // their time is spent waiting on a child (the AWS CLI, mini-ec2's CLI, a server process) or on the loopback.
    // Two workers keep both cores busy. The files share no global state (no env or module mocks), so a worker
    // runs its files in one process and imports the SDK, Prisma and the server once instead of once per file.
    maxWorkers: 2,
    // As many workers at least as at most: tinypool terminating an idle fork mid-run fails the run with an
    // unhandled "Terminating worker thread" (vitest-dev/vitest#8564).
    minWorkers: 2,
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The AWS SDK warns once per process that Node 20 support ends in 2027; it is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", LOG_LEVEL: "silent" },
  },
});
