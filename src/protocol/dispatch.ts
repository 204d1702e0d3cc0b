// One Query request, end to end: read the parameters, find the service by Version and the operation by Action,
// verify the signature, parse the input from the model, answer DryRun, call the handler, and render XML.
// Every failure becomes AWS's error envelope; nothing else reaches the client.
import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { Ec2Error, Errors } from "../domain/errors.js";
import type { Logger } from "../log.js";
import type { Caller, SigningIdentity } from "../domain/caller.js";
import { httpStatusOf, serializeError } from "./error-envelope.js";
import type { QueryService, RequestContext } from "./operation.js";
import { applyInputLimits, checkMaxResultsCoverage } from "./input-limits.js";
import { checkCoverage } from "./operation-coverage.js";
import { otherQueryService, scopeServiceOf } from "./other-services.js";
import { parseOperationInput } from "./query-parser.js";
import type { Protocol } from "./service-model.js";
import { type IncomingSignedRequest, verifySignature } from "./sigv4.js";
import { serializeOutput } from "./xml-serializer.js";

export interface DispatchDeps {
  services: QueryService[];
  /** The secret to verify a signature with, and who it speaks for; throws EC2's error for bad credentials. */
  resolveCredentials: (identity: SigningIdentity) => Promise<{ secretAccessKey: string; caller: Caller }>;
  isKnownRegion: (region: string) => boolean;
  now: () => Date;
  log: Logger;
  /**
   * Runs a handler as a dry run, the store's writes barred (src/store/write-barrier.ts): "reached-write" once it got
   * as far as changing something, an error of a check before that rethrown. Without it, DryRun follows validate().
   */
  dryRunWithoutWrites?: (work: () => Promise<unknown>) => Promise<"reached-write" | "changes-nothing">;
}

/** Query parameters that carry a presigned signature, not operation input. */
const signatureParams = /^(X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token))$/;

export function queryHandler(deps: DispatchDeps) {
  checkCoverage(deps.services);
  checkMaxResultsCoverage(deps.services);
  const byVersion = new Map(deps.services.map((service) => [service.model.apiVersion, service]));
  const ec2 = deps.services[0]!;
  const ownSigningNames = new Set(deps.services.map((service) => service.model.signingName));

  return async (req: Request, res: Response): Promise<void> => {
    const timing = startRequestTiming();
    const requestId = randomUUID();
    let service = ec2;
    let action: string | undefined;
    let context: RequestContext | undefined;
    let status = 200;
    let errorCode: string | undefined;
    let errorProtocol: Protocol | undefined;
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const queryString = new URLSearchParams(req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "");
      const params = readParams(req, queryString, body);
      action = lastValue(params, "Action");
      const version = lastValue(params, "Version");
      if (version !== undefined) {
        service = byVersion.get(version) ?? service;
        if (!byVersion.has(version)) {
          // Another service's request (IAM, ELB...) is told so in the awsQuery envelope its client reads.
          const scope = scopeServiceOf(req.headers.authorization, queryString.get("X-Amz-Credential") ?? undefined);
          const other = otherQueryService(version, scope, ownSigningNames);
          if (other) {
            errorProtocol = "query";
            throw Errors.otherQueryService(other, action, version);
          }
          throw Errors.noSuchVersion(version, ec2.serviceName);
        }
      }
      const caller = await authenticate(
        deps,
        { method: req.method, host: req.headers.host ?? "", path: req.path, query: asRecord(queryString), headers: req.headers, body },
        service.model.signingName,
      );
      context = { ...caller, requestId };
      if (!action) throw Errors.missingParameter("Action");
      if (version === undefined) throw Errors.missingParameter("Version");
      // Own properties only: Action=constructor must not find Object.prototype's.
      const model = Object.hasOwn(service.model.operations, action) ? service.model.operations[action]! : undefined;
      if (!model) throw Errors.invalidAction(action);
      // An operation of the model without a handler is one mini-ec2 knowingly leaves out (see operation-coverage.ts).
      const handler = Object.hasOwn(service.operations, action) ? service.operations[action]! : undefined;
      if (!handler) throw Errors.unsupportedOperation(action);

      const parsed = parseOperationInput(
        service.model,
        model.input?.shape,
        params.filter(([name]) => name !== "Action" && name !== "Version" && !signatureParams.test(name)),
      );
      const input = applyInputLimits(service.model, action, parsed);
      await handler.validate?.(input, context);
      if (input.DryRun === true) {
        // EC2 makes every check that changes nothing before it answers DryRunOperation: the handler's own dryRun
        // where it has one, else the real handler up to its first write. Either runs with the writes barred.
        const caller = context;
        const checks = handler.dryRun ? async () => handler.dryRun!(input, caller) : async () => handler.handle(input, caller);
        if (deps.dryRunWithoutWrites) await deps.dryRunWithoutWrites(checks);
        else await handler.dryRun?.(input, caller);
        throw Errors.dryRunOperation();
      }
      const output = await handler.handle(input, context);
      send(res, 200, serializeOutput(service.model, action, output, requestId), requestId);
    } catch (thrown) {
      const error = thrown instanceof Ec2Error ? thrown : internalError(thrown, deps.log, requestId);
      status = httpStatusOf(error);
      errorCode = error.code;
      send(res, status, serializeError(errorProtocol ?? service.model.protocol, error, requestId), requestId);
    } finally {
      deps.log({
        requestId,
        action,
        account: context?.accountId,
        region: context?.region,
        status,
        errorCode,
        ...timing(),
      });
    }
  };
}

/**
 * What the request log records of a request's cost, for every protocol: its wall time, and the process's CPU time
 * (user + system, all threads) from its arrival to its answer. Alone, that is the request's own cost; under
 * concurrency it also holds whatever else ran meanwhile (other requests' steps interleaved at each await,
 * workflows, the checkpointer), so it is an upper bound: a small value proves the request cheap, a large one names a
 * request worth running alone to confirm.
 */
export function startRequestTiming(): () => { durationMs: number; cpuMs: number } {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  return () => {
    const { user, system } = process.cpuUsage(cpuAtStart);
    return { durationMs: Math.round((performance.now() - started) * 100) / 100, cpuMs: Math.round((user + system) / 10) / 100 };
  };
}

export async function authenticate(deps: Omit<DispatchDeps, "services">, request: IncomingSignedRequest, expectedService: string): Promise<Caller> {
  let caller: Caller | undefined;
  await verifySignature(request, {
    now: deps.now(),
    expectedService,
    isKnownRegion: deps.isKnownRegion,
    secretFor: async (identity) => {
      const resolved = await deps.resolveCredentials(identity);
      caller = resolved.caller;
      return resolved.secretAccessKey;
    },
  });
  return caller!;
}

function readParams(req: Request, queryString: URLSearchParams, body: Buffer): Array<[string, string]> {
  const params: Array<[string, string]> = [...queryString];
  if (body.length > 0) {
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    if (contentType && !contentType.startsWith("application/x-www-form-urlencoded")) {
      throw Errors.invalidHttpRequest(`Unable to parse request: the body must be application/x-www-form-urlencoded, not '${contentType}'.`);
    }
    params.push(...new URLSearchParams(body.toString("utf8")));
  }
  return params;
}

function asRecord(search: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of search) {
    const existing = record[name];
    record[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return record;
}

function lastValue(params: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  for (let i = params.length - 1; i >= 0; i--) if (params[i]![0] === name) return params[i]![1];
  return undefined;
}

export function internalError(thrown: unknown, log: Logger, requestId: string): Ec2Error {
  log({ requestId, level: "error", error: thrown instanceof Error ? thrown.stack : String(thrown) });
  return Errors.internalError("The request ID identifies it in the server's log.");
}

/** Straight to Node's response: Express's send would work out again the type and length of a body known here. */
function send(res: Response, status: number, xml: string | Buffer, requestId: string): void {
  const body = typeof xml === "string" ? Buffer.from(xml, "utf8") : xml;
  res.writeHead(status, { "Content-Type": "text/xml;charset=UTF-8", "Content-Length": body.length, "x-amzn-RequestId": requestId, Server: "AmazonEC2" });
  res.end(body);
}
