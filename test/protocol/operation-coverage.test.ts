// The operation tables against their service models: every handler answers a model operation, and every model
// operation has a handler or is knowingly unimplemented (answered Unsupported), checked when dispatch is built.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeServices } from "../../src/composition.js";
import { loadConfig } from "../../src/config.js";
import { systemClock } from "../../src/domain/clock.js";
import { queryHandler } from "../../src/protocol/dispatch.js";
import { type QueryService, operation } from "../../src/protocol/operation.js";
import { coverageProblems } from "../../src/protocol/operation-coverage.js";
import type { ServiceModel } from "../../src/protocol/service-model.js";
import { loadFleetConfig, loadTopology, queryServices } from "../../src/server.js";
import { openStore, type Store } from "../../src/store/database.js";

const model = {
  operations: { DescribeThings: { name: "DescribeThings" }, CreateThing: { name: "CreateThing" }, DeleteThing: { name: "DeleteThing" } },
} as unknown as ServiceModel;
const handler = operation({ handle: () => ({}) });
const service = (operations: Record<string, typeof handler>, unimplemented: QueryService["unimplemented"]): QueryService => ({
  model,
  serviceName: "Things",
  operations,
  unimplemented,
});

describe("operation coverage", () => {
  it("accepts handlers and a list that together cover the model", () => {
    expect(coverageProblems(service({ DescribeThings: handler, CreateThing: handler }, ["DeleteThing"]))).toEqual([]);
  });

  it("names a handler for no operation of the model, and an operation neither handled nor listed", () => {
    expect(coverageProblems(service({ DescribeThings: handler, DescribeThngs: handler }, ["DeleteThing"]))).toEqual([
      "Things: the handler DescribeThngs answers no operation of the model",
      "Things: the operation CreateThing has no handler and is not listed as unimplemented",
    ]);
  });

  it("names a listed operation that has a handler or is not in the model", () => {
    expect(coverageProblems(service({ DescribeThings: handler, CreateThing: handler }, ["DeleteThing", "CreateThing", "Constructor"]))).toEqual([
      "Things: CreateThing is listed as unimplemented but has a handler",
      "Things: Constructor, listed as unimplemented, is no operation of the model",
    ]);
  });

  it("leaves every unhandled operation to Unsupported when told so, still checking the handlers' names", () => {
    expect(coverageProblems(service({ DescribeThings: handler }, "every operation without a handler"))).toEqual([]);
    expect(coverageProblems(service({ constructor: handler }, "every operation without a handler"))).toEqual([
      "Things: the handler constructor answers no operation of the model",
    ]);
  });

  it("stops dispatch from being built over tables that disagree with their models", () => {
    const deps = { resolveCredentials: async () => Promise.reject(new Error("unused")), isKnownRegion: () => true, now: () => new Date(), log: () => {} };
    expect(() => queryHandler({ ...deps, services: [service({ DescribeThngs: handler }, "every operation without a handler")] })).toThrow(
      /DescribeThngs answers no operation/,
    );
  });
});

describe("mini-ec2's operation tables", () => {
  let dir: string;
  let store: Store;
  let services: QueryService[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mini-ec2-coverage-"));
    const config = loadConfig({ LOG_LEVEL: "silent", DATABASE_URL: `file:${join(dir, "test.db")}`, MINI_EC2_DELAYS: "zero" });
    const topology = loadTopology(config.regionsFile);
    store = await openStore(config.databaseUrl);
    const composed = await composeServices(store, config, { topology, fleetConfig: loadFleetConfig(config.fleetFile), wallClock: systemClock, log: () => {} });
    services = queryServices(composed, topology);
  });

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("cover EC2, the extensions and STS: each handler an operation, each operation handled or knowingly unimplemented", () => {
    expect(services.map((service) => service.serviceName)).toEqual(["AmazonEC2", "MiniEc2", "AWSSecurityTokenServiceV20110615"]);
    expect(services.flatMap(coverageProblems)).toEqual([]);
  });

  it("implement every extension operation, and leave only EC2's unimplemented ones to a blanket Unsupported", () => {
    const [ec2, extensions, sts] = services;
    expect(extensions!.unimplemented).toEqual([]);
    expect(Object.keys(extensions!.operations).sort()).toEqual(Object.keys(extensions!.model.operations).sort());
    expect(ec2!.unimplemented).toBe("every operation without a handler");
    expect(Object.keys(sts!.operations).sort()).toEqual(["GetCallerIdentity", "GetSessionToken"]);
  });
});
