// Boot: configuration -> store (migrations) -> server; clean shutdown on SIGINT and SIGTERM.
import { ConfigError, loadConfig } from "./config.js";
import { startServer } from "./server.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const crashAfter = config.crashAfterConversionStep;
  // The crash test's hook: die the hardest way right after a conversion step's effect, before its result is stored.
  const server = await startServer(config, crashAfter ? { afterConversionStep: (step) => step === crashAfter && process.kill(process.pid, "SIGKILL") } : {});
  const { accessKeyId, secretAccessKey, accountId } = config.defaultCredentials;
  const lines = [
    `mini-ec2 listening on ${server.url}`,
    `database: ${server.store.filePath}${server.store.appliedMigrations.length ? ` (applied ${server.store.appliedMigrations.join(", ")})` : ""}`,
    `credentials: access key '${accessKeyId}', secret '${secretAccessKey}' (account ${accountId}); any region of DescribeRegions, e.g. us-east-1`,
    `try: aws --endpoint-url ${server.url} ec2 describe-regions`,
  ];
  process.stderr.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`mini-ec2: ${signal} received, shutting down\n`);
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mini-ec2 failed to start: ${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
