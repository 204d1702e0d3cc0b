// One JSON-protocol request (awsJson1_1, as SSM speaks it), end to end: the X-Amz-Target header names the service
// and the operation, the signature is verified for the model's signing name, the JSON body is checked against the
// model, and the handler's output is written from it. Errors are JSON too: {"__type": code, "message": ...}.
// A target of a service mini-ec2 does not emulate is answered UnknownOperationException before any signature check.
import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { Ec2Error, Errors } from "../domain/errors.js";
import { authenticate, type DispatchDeps, internalError, startRequestTiming } from "./dispatch.js";
import { httpStatusOf, serializeJsonError } from "./error-envelope.js";
import { parseJsonInput, serializeJsonOutput } from "./json-codec.js";
import type { JsonServiceModel } from "./json-service-model.js";
import type { OperationTable, RequestContext } from "./operation.js";
import { coverageProblems } from "./operation-coverage.js";
import { displayNameOf, scopeServiceOf } from "./other-services.js";

export interface JsonService {
  model: JsonServiceModel;
  serviceName: string;
  operations: OperationTable;
  /** mini-ec2 implements few of the model's operations; the rest get this error. */
  unimplemented: "every operation without a handler";
  unsupported: (operation: string) => Ec2Error;
}

export interface JsonDispatchDeps extends Omit<DispatchDeps, "services"> {
  services: JsonService[];
}

export function jsonHandler(deps: JsonDispatchDeps) {
  const problems = deps.services.flatMap(coverageProblems);
  if (problems.length > 0) throw new Error(`The operation tables do not match their service models:\n${problems.join("\n")}`);
  const byPrefix = new Map(deps.services.map((service) => [service.model.targetPrefix, service]));

  return async (req: Request, res: Response): Promise<void> => {
    const timing = startRequestTiming();
    const requestId = randomUUID();
    const target = String(req.headers["x-amz-target"] ?? "");
    const dot = target.lastIndexOf(".");
    const [prefix, action] = dot < 0 ? [target, ""] : [target.slice(0, dot), target.slice(dot + 1)];
    const service = byPrefix.get(prefix);
    let context: RequestContext | undefined;
    let status = 200;
    let errorCode: string | undefined;
    try {
      if (!service) {
        const scope = scopeServiceOf(req.headers.authorization, queryOf(req)["X-Amz-Credential"] as string | undefined);
        throw Errors.otherJsonService(scope ? displayNameOf(scope) : `the service of '${prefix}'`, target);
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const caller = await authenticate(
        deps,
        { method: req.method, host: req.headers.host ?? "", path: req.path, query: queryOf(req), headers: req.headers, body },
        service.model.signingName,
      );
      context = { ...caller, requestId };
      const model = Object.hasOwn(service.model.operations, action) ? service.model.operations[action]! : undefined;
      if (!model) throw Errors.otherJsonService(`the ${service.serviceName} operation '${action}'`, target);
      const handler = Object.hasOwn(service.operations, action) ? service.operations[action]! : undefined;
      if (!handler) throw service.unsupported(action);
      const input = parseJsonInput(service.model, model.input?.shape, parseBody(body));
      await handler.validate?.(input, context);
      const output = await handler.handle(input, context);
      send(res, 200, serializeJsonOutput(service.model, model.output?.shape, output), requestId, service.model);
    } catch (thrown) {
      const error = thrown instanceof Ec2Error ? thrown : internalError(thrown, deps.log, requestId);
      status = httpStatusOf(error);
      errorCode = error.code;
      send(res, status, serializeJsonError(error), requestId, service?.model);
    } finally {
      deps.log({
        requestId,
        action: target,
        account: context?.accountId,
        region: context?.region,
        status,
        errorCode,
        ...timing(),
      });
    }
  };
}

/** The query string as the client signed it, not as express's parser reshapes it. */
function queryOf(req: Request): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  const at = req.originalUrl.indexOf("?");
  for (const [name, value] of new URLSearchParams(at < 0 ? "" : req.originalUrl.slice(at + 1))) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

function parseBody(body: Buffer): unknown {
  // An empty body is an empty input, as botocore sends `{}` for an operation without members.
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw Errors.jsonSerialization("The request body is not valid JSON.");
  }
}

function send(res: Response, status: number, json: string, requestId: string, model: JsonServiceModel | undefined): void {
  res
    .status(status)
    .set({ "Content-Type": `application/x-amz-json-${model?.jsonVersion ?? "1.1"}`, "x-amzn-RequestId": requestId })
    .send(json);
}
