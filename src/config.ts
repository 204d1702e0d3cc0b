// The server's settings, read from the environment once and checked before anything starts.
import { fileURLToPath } from "node:url";
import { type Delays, delaysByName } from "./domain/delays.js";

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  regionsFile: string;
  fleetFile: string;
  maxBodyBytes: number;
  logLevel: "info" | "silent";
  delays: Delays;
  /** How long a workflow runner's lease on a run lasts; a killed server's runs resume once it lapses. */
  workflowLeaseMs?: number;
  /** Test only (MINI_EC2_TEST_CRASH_AFTER_STEP): the server SIGKILLs itself after this workflow step's effect (a conversion's or a Xen to Nitro migration's). */
  crashAfterConversionStep?: string;
  defaultCredentials: { accessKeyId: string; secretAccessKey: string; accountId: string };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const accountId = env.MINI_EC2_ACCOUNT_ID ?? "000000000000";
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`MINI_EC2_ACCOUNT_ID must be 12 digits, got '${accountId}'`);
  const logLevel = env.LOG_LEVEL ?? "info";
  if (logLevel !== "info" && logLevel !== "silent") throw new ConfigError(`LOG_LEVEL must be info or silent, got '${logLevel}'`);
  const delays = env.MINI_EC2_DELAYS ?? "real";
  if (!Object.hasOwn(delaysByName, delays)) throw new ConfigError(`MINI_EC2_DELAYS must be ${Object.keys(delaysByName).join(", ")}, got '${delays}'`);
  const databaseUrl = env.DATABASE_URL ?? "file:./data/mini-ec2.db";
  if (!databaseUrl.startsWith("file:")) throw new ConfigError(`DATABASE_URL must be a SQLite file: URL, got '${databaseUrl}'`);
  return {
    port: integer(env, "PORT", 4566, 0, 65535),
    host: env.HOST ?? "127.0.0.1",
    databaseUrl,
    regionsFile: env.MINI_EC2_REGIONS_FILE ?? fileURLToPath(new URL("../config/regions.json", import.meta.url)),
    fleetFile: env.MINI_EC2_FLEET_FILE ?? fileURLToPath(new URL("../config/fleet.json", import.meta.url)),
    maxBodyBytes: integer(env, "MINI_EC2_MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel,
    delays: delaysByName[delays]!,
    ...(env.MINI_EC2_WORKFLOW_LEASE_MS ? { workflowLeaseMs: integer(env, "MINI_EC2_WORKFLOW_LEASE_MS", 30_000, 100, 3_600_000) } : {}),
    ...(env.MINI_EC2_TEST_CRASH_AFTER_STEP ? { crashAfterConversionStep: env.MINI_EC2_TEST_CRASH_AFTER_STEP } : {}),
    defaultCredentials: {
      accessKeyId: env.MINI_EC2_ACCESS_KEY_ID ?? "test",
      secretAccessKey: env.MINI_EC2_SECRET_ACCESS_KEY ?? "test",
      accountId,
    },
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}
