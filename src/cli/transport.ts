// The only way the CLI talks to the server: the official SDK's EC2Client for EC2's operations, and for mini-ec2's
// own the Query client of extension-client.ts, so every request is the real EC2 Query protocol signed with SigV4.
// Endpoint, region and credentials are found where the AWS CLI finds them.
import { createRequire } from "node:module";
import type * as Ec2Sdk from "@aws-sdk/client-ec2";
import type * as CredentialProviders from "@aws-sdk/credential-provider-node";
import type { GlobalOptions } from "./argv.js";
import { CliFailure } from "./errors.js";
import { extensionClient } from "./extension-client.js";
import type { CliModel } from "./model.js";
import type { Settings } from "./settings.js";

// The SDK's CommonJS build, loaded on first use: it loads in a third of the time of its ES modules (the CLI
// starts for every command), and help or a usage error never loads it at all.
const require = createRequire(import.meta.url);
const loadSdk = () => require("@aws-sdk/client-ec2") as typeof Ec2Sdk;
const loadCredentialProviders = () => require("@aws-sdk/credential-provider-node") as typeof CredentialProviders;

/** The server's own default key (see README): the last place credentials come from, so a fresh machine just works. */
const fallbackCredentials = { accessKeyId: "test", secretAccessKey: "test" };

export interface Connection {
  endpoint: string;
  region: string;
  /** Sends one operation of the model and returns its output without `$metadata`. */
  send(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export function connect(globals: GlobalOptions, settings: Settings, model: CliModel, env: NodeJS.ProcessEnv = process.env): Connection {
  const { endpoint, region, profile } = settings;
  // Never ask the instance metadata service (169.254.169.254): this is a local tool, and the SDK's chain would
  // otherwise try it last, which costs a timeout and sends traffic off the machine.
  process.env.AWS_EC2_METADATA_DISABLED ??= "true";
  const chain = loadCredentialProviders().defaultProvider(profile ? { profile } : {});
  // The SDK's chain (environment, the profile's shared files, SSO, credential_process, web identity), then the
  // server's default key.
  const credentials = async () => {
    try {
      return await chain();
    } catch {
      return fallbackCredentials;
    }
  };
  // The AWS CLI v2's default: standard retry mode, 3 attempts, unless AWS_MAX_ATTEMPTS says otherwise.
  const maxAttempts = Number(env.AWS_MAX_ATTEMPTS) || 3;
  const readTimeoutMs = (globals.readTimeout ?? 60) * 1000 || undefined;
  const connectTimeoutMs = (globals.connectTimeout ?? 60) * 1000 || undefined;
  if (model.group !== "ec2") {
    const send = extensionClient(model, {
      endpoint,
      region,
      credentials: globals.noSignRequest ? undefined : credentials,
      maxAttempts,
      readTimeoutMs,
      connectTimeoutMs,
    });
    return { endpoint, region, send };
  }
  const config: Ec2Sdk.EC2ClientConfig = {
    endpoint,
    region,
    credentials,
    maxAttempts,
    requestHandler: { requestTimeout: readTimeoutMs, connectionTimeout: connectTimeoutMs },
    ...(globals.noSignRequest ? { signer: { sign: async (request: any) => request } } : {}),
  };
  const sdk = loadSdk();
  const client = new sdk.EC2Client(config);
  return {
    endpoint,
    region,
    send(operation, input) {
      // EC2's operations go as the SDK's own `${Operation}Command`.
      const CommandClass = (sdk as unknown as Record<string, new (input: unknown) => any>)[`${operation}Command`];
      if (!CommandClass) throw new CliFailure(`The AWS SDK installed here has no ${operation}Command.`);
      return sendCommand(client, new CommandClass(input));
    },
  };
}

async function sendCommand(client: Ec2Sdk.EC2Client, command: any): Promise<Record<string, unknown>> {
  const { $metadata: _metadata, ...output } = await client.send(command);
  return output;
}
