// Nothing is lost on restart or crash: the real server process (what `npm start` runs), stopped cleanly with
// SIGTERM or killed with SIGKILL, keeps what it acknowledged.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateKeyPairCommand, DescribeKeyPairsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../support/processes.js";
import { copyTemplateDatabase } from "../support/server.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-persist-"));
copyTemplateDatabase(join(dir, "persist.db"));
const env = { DATABASE_URL: `file:${join(dir, "persist.db")}`, LOG_LEVEL: "info" };
afterAll(async () => {
  // A failed test may leave the server it handed on running.
  running?.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const ec2 = (url: string, creds: object = credentials) =>
  new EC2Client({ endpoint: url, region: "us-east-1", credentials: creds as typeof credentials, maxAttempts: 1 });

// Each start of a server process is a Node boot: the tests hand the restarted server on (a session token made
// before the SIGTERM, the server the SIGKILL test kills) rather than start one more each.
let session: { accessKeyId: string; secretAccessKey: string; sessionToken: string } | undefined;
let running: ServerProcess | undefined;

describe("the server process", () => {
  it("prints where it listens, its database and its credentials; logs one JSON line per request; stops cleanly on SIGTERM", async () => {
    const server = await startServerProcess(env);
    await ec2(server.url).send(new CreateKeyPairCommand({ KeyName: "before-restart" }));
    const sts = new STSClient({ endpoint: server.url, region: "us-east-1", credentials, maxAttempts: 1 });
    const { Credentials } = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    expect(server.stderr()).toContain(`mini-ec2 listening on ${server.url}`);
    expect(server.stderr()).toContain(`database: ${join(dir, "persist.db")}`);
    expect(server.stderr()).toContain("access key 'test', secret 'test' (account 000000000000)");
    // The log line is written after the response is sent; give the pipe a moment.
    await expect.poll(() => server.stdout(), { timeout: 5000 }).toContain('"action":"CreateKeyPair"');
    const logLine = server
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .find((entry) => entry.action === "CreateKeyPair");
    expect(logLine).toMatchObject({ action: "CreateKeyPair", account: "000000000000", region: "us-east-1", status: 200 });
    expect(logLine.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof logLine.durationMs).toBe("number");

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toContain("SIGTERM received, shutting down");
  });

  it("keeps key pairs and session tokens across a restart", async () => {
    expect(session, "the first test made a session token before its SIGTERM").toBeDefined();
    running = await startServerProcess(env);
    const { KeyPairs } = await ec2(running.url).send(new DescribeKeyPairsCommand({ KeyNames: ["before-restart"] }));
    expect(KeyPairs).toHaveLength(1);
    expect((await ec2(running.url, session).send(new DescribeKeyPairsCommand({}))).KeyPairs!.map((k) => k.KeyName)).toContain("before-restart");
  });

  it("loses nothing it acknowledged when killed with SIGKILL", async () => {
    const server = running ?? (await startServerProcess(env));
    running = undefined;
    const client = ec2(server.url);
    const names = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
    await Promise.all(names.map((KeyName) => client.send(new CreateKeyPairCommand({ KeyName, KeyType: "ed25519" }))));
    server.child.kill("SIGKILL");
    expect(await server.exited).toBe("SIGKILL");

    const again = await startServerProcess(env);
    const { KeyPairs } = await ec2(again.url).send(new DescribeKeyPairsCommand({ KeyNames: names }));
    expect(KeyPairs!.map((k) => k.KeyName).sort()).toEqual([...names].sort());
    again.child.kill("SIGTERM");
    await again.exited;
  });

  it("refuses to start with a bad setting, saying which", async () => {
    const server = startServerProcess({ ...env, PORT: "not-a-port" });
    await expect(server).rejects.toThrow(/PORT must be a whole number from 0 to 65535, got 'not-a-port'/);
  });
});
