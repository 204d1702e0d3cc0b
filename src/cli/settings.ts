// Where the AWS CLI finds its settings, in its order: flags, then environment, then the profile in
// ~/.aws/config (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), then a default that suits a local server.
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import type { GlobalOptions, OutputFormat } from "./argv.js";
import { CliFailure } from "./errors.js";

export const defaultEndpoint = "http://localhost:4566";

export interface Settings {
  endpoint: string;
  region: string;
  /** The profile to read credentials from, when one was named (--profile or AWS_PROFILE). */
  profile?: string;
  output: OutputFormat;
}

const outputFormats = new Set(["json", "yaml", "yaml-stream", "text", "table"]);

export async function resolveSettings(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Promise<Settings> {
  const profile = globals.profile ?? env.AWS_PROFILE;
  const files = await loadSharedConfigFiles();
  if (profile && !files.configFile[profile] && !files.credentialsFile[profile]) {
    throw new CliFailure(`The config profile (${profile}) could not be found`);
  }
  const config = files.configFile[profile ?? "default"] ?? {};
  const output = globals.output ?? env.AWS_DEFAULT_OUTPUT ?? config.output ?? "json";
  if (!outputFormats.has(output)) throw new CliFailure(`Unknown output type: ${output}`);
  return {
    endpoint: globals.endpointUrl ?? env.AWS_ENDPOINT_URL_EC2 ?? env.AWS_ENDPOINT_URL ?? config.endpoint_url ?? defaultEndpoint,
    region: globals.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? config.region ?? "us-east-1",
    profile,
    output: output as OutputFormat,
  };
}
