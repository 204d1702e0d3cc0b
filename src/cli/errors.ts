// How the CLI ends: the AWS CLI v2's exit codes and its wording for each kind of failure.

export const exitCodes = {
  ok: 0,
  /** The service answered with an error (a 4xx or 5xx and its EC2 code). */
  serviceError: 254,
  /** The command line itself is wrong: unknown command or flag, a flag without its value, bad shorthand. */
  usage: 252,
  /** Anything else: no connection, no credentials, a waiter that gave up. */
  other: 255,
  /** Ctrl-C. */
  interrupted: 130,
} as const;

export const usageBanner = `usage: mini-ec2 [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  mini-ec2 help
  mini-ec2 <command> help
  mini-ec2 <command> <subcommand> help
`;

/** A mistake on the command line that argparse would reject: printed after the usage banner. */
export class UsageError extends Error {}

/** A flag whose value cannot be turned into the parameter it stands for (awscli's ParamError). */
export class ParamError extends Error {
  constructor(flag: string, reason: string) {
    super(`Error parsing parameter '${flag}': ${reason}`);
  }
}

/** Fails with a message and exit code 255, without the usage banner (a waiter that failed, a bad --query). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.other,
  ) {
    super(message);
  }
}

export interface ErrorContext {
  operation?: string;
  endpoint?: string;
}

export function describeError(error: unknown, context: ErrorContext = {}): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: `${usageBanner}\nmini-ec2: error: ${error.message}\n`, exitCode: exitCodes.usage };
  if (error instanceof ParamError) return { message: `\n${error.message}\n`, exitCode: exitCodes.usage };
  if (error instanceof CliFailure) return { message: `\n${error.message}\n`, exitCode: error.exitCode };
  const serviceError = asServiceError(error);
  if (serviceError) {
    const where = context.operation ? ` when calling the ${context.operation} operation` : "";
    return { message: `\nAn error occurred (${serviceError.code})${where}: ${serviceError.message}\n`, exitCode: exitCodes.serviceError };
  }
  return { message: `\n${connectionMessage(error, context.endpoint)}\n`, exitCode: exitCodes.other };
}

// The SDK throws a ServiceException with $fault and the EC2 code as its name for every error answer.
function asServiceError(error: unknown): { code: string; message: string } | undefined {
  const candidate = error as { $fault?: string; name?: string; message?: string; Code?: string };
  if (!candidate || typeof candidate !== "object" || !candidate.$fault) return undefined;
  return { code: candidate.Code ?? candidate.name ?? "Unknown", message: candidate.message ?? "" };
}

function connectionMessage(error: unknown, endpoint = ""): string {
  const failure = error as { code?: string; message?: string; name?: string; cause?: { code?: string } };
  const code = failure?.code ?? failure?.cause?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ECONNRESET" || code === "EHOSTUNREACH") {
    return `Could not connect to the endpoint URL: "${endpoint}"`;
  }
  return failure?.message ?? String(error);
}
