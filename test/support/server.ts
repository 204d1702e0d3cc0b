// Starts a real mini-ec2 server on a free port with a database of its own, and gives tests clients for it. The
// database is a copy of the run's template (test/support/template-database.ts: migrated, the Amazon catalog seeded),
// so a start skips the seed; a setting that shapes what a first start writes gets an empty database instead.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EC2Client } from "@aws-sdk/client-ec2";
import { STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, inject } from "vitest";
import { loadConfig } from "../../src/config.js";
import type { Clock } from "../../src/domain/clock.js";
import type { Logger } from "../../src/log.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { defaultCredentials } from "./signed-request.js";

export interface TestServer extends RunningServer {
  dir: string;
  databaseUrl: string;
  ec2(options?: ClientOptions): EC2Client;
  sts(options?: ClientOptions): STSClient;
  stop(): Promise<void>;
}

export interface ClientOptions {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export { defaultCredentials } from "./signed-request.js";

/** What the template was made without: the regions seeded, and the default account and its key. */
const settingsOfTheTemplate = ["MINI_EC2_REGIONS_FILE", "MINI_EC2_ACCOUNT_ID", "MINI_EC2_ACCESS_KEY_ID", "MINI_EC2_SECRET_ACCESS_KEY"];

/**
 * Puts a copy of the run's seeded template at `file`, for a server (in-process or a process) to start on: a first
 * start on an empty database spends seconds seeding the catalog, a copy's start skips that. False outside the suite.
 */
export function copyTemplateDatabase(file: string): boolean {
  const template = inject("templateDatabase");
  if (template) copyFileSync(template, file);
  return Boolean(template);
}

export async function startTestServer(env: Record<string, string> = {}, clock?: Clock, log?: Logger): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "mini-ec2-test-"));
  const databaseUrl = `file:${join(dir, "test.db")}`;
  if (!settingsOfTheTemplate.some((name) => name in env)) copyTemplateDatabase(join(dir, "test.db"));
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: databaseUrl, MINI_EC2_DELAYS: "zero", ...env });
  const server = await startServer(config, { ...(clock ? { clock } : {}), ...(log ? { log } : {}) });
  const clientConfig = (options: ClientOptions = {}) => ({
    endpoint: server.url,
    region: options.region ?? "us-east-1",
    credentials: options.credentials ?? defaultCredentials,
    maxAttempts: 1,
  });
  return {
    ...server,
    dir,
    databaseUrl,
    ec2: (options) => new EC2Client(clientConfig(options)),
    sts: (options) => new STSClient(clientConfig(options)),
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One server for a test file (or describe block), started before its tests and stopped after them: what the caller
 * gets is the server itself, usable from the first hook or test on (before that, any use of it throws). `env` may be
 * a function, called when the server starts, for settings that need files made first. `log` receives the server's
 * log events (the request log included) in place of the silent default.
 */
export function testServer(env: Record<string, string> | (() => Record<string, string>) = {}, options: { log?: Logger } = {}): TestServer {
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startTestServer(typeof env === "function" ? env() : env, undefined, options.log);
  });
  afterAll(() => started?.stop());
  return new Proxy({} as TestServer, {
    get(_target, key) {
      if (!started) throw new Error(`the test server is not started yet (read of ${String(key)} outside a test or hook)`);
      return Reflect.get(started, key);
    },
  });
}

/** Runs `test` against a server with real delays on a clock the test moves by hand with `advance(ms)`. */
export async function withClockedServer(test: (server: TestServer, advance: (ms: number) => void) => Promise<void>): Promise<void> {
  let now = Date.now();
  const server = await startTestServer({ MINI_EC2_DELAYS: "real" }, { now: () => new Date(now) });
  try {
    await test(server, (ms) => {
      now += ms;
    });
  } finally {
    await server.stop();
  }
}
