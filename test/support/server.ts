// Starts a real mini-ec2 server on a free port with its own empty database, and gives tests clients for it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EC2Client } from "@aws-sdk/client-ec2";
import { STSClient } from "@aws-sdk/client-sts";
import { loadConfig } from "../../src/config.js";
import type { Clock } from "../../src/domain/clock.js";
import { type RunningServer, startServer } from "../../src/server.js";

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

export const defaultCredentials = { accessKeyId: "test", secretAccessKey: "test" };

export async function startTestServer(env: Record<string, string> = {}, clock?: Clock): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "mini-ec2-test-"));
  const databaseUrl = `file:${join(dir, "test.db")}`;
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: databaseUrl, MINI_EC2_DELAYS: "zero", ...env });
  const server = await startServer(config, clock ? { clock } : {});
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
