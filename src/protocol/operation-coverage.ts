// Start-up check that an operation table and its service model agree, as Smithy's SchemaServiceHandler checks
// its handlers: every handler answers an operation of the model, and every operation of the model has a handler
// or is knowingly left out. Dispatch answers a left-out operation `Unsupported` (Errors.unsupportedOperation).
import type { QueryService } from "./operation.js";

/** What disagrees between a service's handlers and its model; empty when they agree. */
export function coverageProblems(service: Pick<QueryService, "operations" | "unimplemented" | "serviceName"> & { model: { operations: object } }): string[] {
  const { model, operations, unimplemented, serviceName } = service;
  const inModel = (name: string) => Object.hasOwn(model.operations, name);
  const handled = (name: string) => Object.hasOwn(operations, name);
  const problems = Object.keys(operations)
    .filter((name) => !inModel(name))
    .map((name) => `${serviceName}: the handler ${name} answers no operation of the model`);
  if (unimplemented === "every operation without a handler") return problems;
  for (const name of unimplemented) {
    if (!inModel(name)) problems.push(`${serviceName}: ${name}, listed as unimplemented, is no operation of the model`);
    else if (handled(name)) problems.push(`${serviceName}: ${name} is listed as unimplemented but has a handler`);
  }
  for (const name of Object.keys(model.operations)) {
    if (!handled(name) && !unimplemented.includes(name))
      problems.push(`${serviceName}: the operation ${name} has no handler and is not listed as unimplemented`);
  }
  return problems;
}

export function checkCoverage(services: readonly QueryService[]): void {
  const problems = services.flatMap(coverageProblems);
  if (problems.length > 0) throw new Error(`The operation tables do not match their service models:\n${problems.join("\n")}`);
}
