// The HTTP app: opens the store, has src/composition.ts wire the services, maps the operation tables onto them,
// and serves them with express. Tests start it on port 0 and stop it; src/main.ts starts it from the environment.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import express, { type NextFunction, type Request, type Response } from "express";
import { attachmentOperations } from "./api/attachments.js";
import { clockOperations } from "./api/clock.js";
import { conversionExtensionOperations, conversionTaskOperations } from "./api/conversions.js";
import { creditSpecificationOperations } from "./api/credit-specifications.js";
import { settlingFirst, spotOperations } from "./api/spot.js";
import { nitroMigrationOperations } from "./api/nitro-migrations.js";
import { explainOperations } from "./api/explain.js";
import { explainMatrixOperations } from "./api/explain-matrix.js";
import { guestOperations } from "./api/guest.js";
import { hostOperations } from "./api/hosts.js";
import { imageAttributeOperations } from "./api/image-attributes.js";
import { placementGroupOperations } from "./api/placement-groups.js";
import { imageOperations } from "./api/images.js";
import { instanceOperations } from "./api/instances.js";
import { lifecycleOperations } from "./api/instance-lifecycle.js";
import { instancePasswordOperations } from "./api/instance-passwords.js";
import { deregisterImageOperations } from "./api/deregister-image.js";
import { ebsEncryptionOperations } from "./api/ebs-encryption.js";
import { iamProfileAssociationOperations } from "./api/iam-profile-associations.js";
import { instanceBootOperations } from "./api/instance-boot.js";
import { instanceSettingsOperations } from "./api/instance-settings.js";
import { instanceTypeOperations } from "./api/instance-types.js";
import { securityGroupOperations } from "./api/security-groups.js";
import { keyPairOperations } from "./api/key-pairs.js";
import { launchTemplateOperations } from "./api/launch-templates.js";
import { regionOperations } from "./api/regions.js";
import { instanceUefiDataOperations } from "./api/instance-uefi-data.js";
import { snapshotAttributeOperations } from "./api/snapshot-attributes.js";
import { snapshotOperations } from "./api/snapshots.js";
import { ssmOperations } from "./api/ssm.js";
import { stsOperations, stsUnimplemented } from "./api/sts.js";
import { tagOperations } from "./api/tags.js";
import { volumeOperations } from "./api/volumes.js";
import { addressOperations } from "./api/addresses.js";
import { networkInterfaceOperations } from "./api/network-interfaces.js";

// net-vpc
import { internetGatewayOperations } from "./api/internet-gateways.js";
import { networkAclOperations } from "./api/network-acls.js";
import { routeTableOperations } from "./api/route-tables.js";
import { subnetOperations } from "./api/subnets.js";
import { vpcOperations } from "./api/vpcs.js";
import { workloadOperations } from "./api/workloads.js";
import { instanceMetricsOperations } from "./api/instance-metrics.js";
import { migrationOperations } from "./api/migrations.js";
import { instanceEventOperations, maintenanceOperations } from "./api/maintenance.js";
import { type AppServices, composeServices } from "./composition.js";
import type { Config } from "./config.js";
import type { SigningIdentity } from "./domain/caller.js";
import { type Clock, systemClock } from "./domain/clock.js";
import { Ec2Error, Errors } from "./domain/errors.js";
import { type FleetConfig, parseFleetConfig } from "./domain/fleet.js";
import { parseTopology, type Topology } from "./domain/regions.js";
import { createLogger, type Logger } from "./log.js";
import { queryHandler } from "./protocol/dispatch.js";
import { type JsonService, jsonHandler } from "./protocol/json-dispatch.js";
import { ssmServiceModel } from "./protocol/json-service-model.js";
import { httpStatusOf, serializeError, serializeJsonError } from "./protocol/error-envelope.js";
import type { QueryService } from "./protocol/operation.js";
import { ec2ServiceModel, extensionServiceModel, stsServiceModel } from "./protocol/service-model.js";
import type { WorkflowDefinition } from "./services/workflows/registry.js";
import type { WorkflowRunner } from "./services/workflows/runner.js";
import { openStore, type Store } from "./store/database.js";
import { dryRunWithoutWrites } from "./store/write-barrier.js";

/** The console's bundle: src/server.ts and dist/server.js both sit one level below the project's root. */
const consoleDirectory = fileURLToPath(new URL("../dist/console/", import.meta.url));

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  topology: Topology;
  workflows: WorkflowRunner;
  /** The Query services dispatch answers, their operation tables included (the tests walk them). */
  queryServices: QueryService[];
  close(): Promise<void>;
}

export interface ServerOptions {
  /** The wall clock; resources live on a virtual clock that runs with it and that AdvanceClock moves ahead. */
  clock?: Clock;
  log?: Logger;
  /** Workflow definitions the runner knows beside the PV->HVM conversion, which is always there. */
  workflows?: readonly WorkflowDefinition[];
  /** Test hook: called after each conversion step's effect, before its result is stored. */
  afterConversionStep?: (step: string) => void;
}

export function loadTopology(path: string): Topology {
  return parseTopology(JSON.parse(readFileSync(path, "utf8")), path);
}

export function loadFleetConfig(path: string): FleetConfig {
  return parseFleetConfig(JSON.parse(readFileSync(path, "utf8")), path);
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const wallClock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.logLevel);
  const topology = loadTopology(config.regionsFile);
  const fleetConfig = loadFleetConfig(config.fleetFile);
  const store = await openStore(config.databaseUrl);
  try {
    const services = await composeServices(store, config, {
      topology,
      fleetConfig,
      wallClock,
      log,
      ...(options.workflows ? { workflows: options.workflows } : {}),
      ...(options.afterConversionStep ? { afterConversionStep: options.afterConversionStep } : {}),
    });
    const { workflows } = services;
    await services.images.seedAmazonCatalog(topology, services.catalogVersion);

    const app = express();
    app.disable("x-powered-by");
    app.set("etag", false);
    app.get("/_mini-ec2/health", (_req, res) => {
      res.json({ status: "ok" });
    });
    // The teaching console (docs/console.md): a browser app built into dist/console/, a client of this same API.
    app.use("/console", express.static(consoleDirectory));
    app.use(express.raw({ type: () => true, limit: config.maxBodyBytes }));
    const dispatchDeps = {
      resolveCredentials: (identity: SigningIdentity) => services.credentials.resolve(identity),
      isKnownRegion: (region: string) => topology.region(region) !== undefined,
      now: () => wallClock.now(),
      log,
      dryRunWithoutWrites,
    };
    const answeredServices = queryServices(services, topology);
    const answerQuery = queryHandler({ ...dispatchDeps, services: answeredServices });
    const answerJson = jsonHandler({ ...dispatchDeps, services: jsonServices(services) });
    // The JSON protocol names its operation in X-Amz-Target; the Query protocol in the Action parameter.
    app.all("/", (req, res) => (req.headers["x-amz-target"] !== undefined ? answerJson(req, res) : answerQuery(req, res)));
    app.use((req: Request, res: Response) => {
      sendError(req, res, Errors.notQueryPath(req.path), 404);
    });
    app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
      const { type, status } = error as { type?: string; status?: number };
      if (type === "entity.too.large") return sendError(req, res, Errors.requestTooLarge(config.maxBodyBytes));
      // Anything else the body reader refuses (a corrupt gzip body, an aborted upload) is the client's.
      if (status !== undefined && status < 500) {
        return sendError(req, res, Errors.malformedQueryString(`The request body could not be read: ${(error as Error).message}.`));
      }
      log({ level: "error", error: error instanceof Error ? error.stack : String(error) });
      return sendError(req, res, Errors.internalError());
    });

    const server = app.listen(config.port, config.host);
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    // Runs a previous process left in flight go on from their last completed step.
    await workflows.resumeInFlight();
    const { port } = server.address() as AddressInfo;
    const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
    return {
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      port,
      store,
      topology,
      workflows,
      queryServices: answeredServices,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2000).unref();
        });
        // Runs stop at their next step boundary and give up their leases before the store closes.
        await workflows.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The operation tables of the three services dispatch answers, keyed by their models' operation names. */
export function queryServices(services: AppServices, topology: Topology): QueryService[] {
  const { clock } = services;
  return [
    {
      model: ec2ServiceModel(),
      serviceName: "AmazonEC2",
      // mini-ec2 implements a part of EC2; docs/operations.md lists which.
      unimplemented: "every operation without a handler",
      operations: {
        ...regionOperations(services.regions),
        ...imageOperations(services.images, services.copies, services.imageCreator, clock),
        ...imageAttributeOperations(services.imageAttributes),
        ...instanceTypeOperations(services.instanceTypes),
        ...settlingFirst(
          instanceOperations(services.launcher, services.instanceQueries, topology, clock, services.launchTemplates, (type) =>
            services.instanceTypes.defaultCpu(type),
          ),
          services.spot,
          ["DescribeInstances"],
        ),
        ...launchTemplateOperations(services.launchTemplates),
        ...lifecycleOperations(services.instances, services.instanceQueries, clock, (caller, ids) => services.maintenance.afterReboot(caller, ids)),
        ...instanceSettingsOperations(services.instances),
        ...creditSpecificationOperations(services.creditSpecifications),
        ...hostOperations(services.hosts, topology),
        ...placementGroupOperations(services.groups),
        ...keyPairOperations(services.keyPairs),
        ...volumeOperations(services.volumes, clock),
        ...attachmentOperations(services.attachments),
        ...snapshotOperations(services.snapshots, services.snapshotSets, clock),
        ...snapshotAttributeOperations(services.snapshotAttributes),
        ...instanceUefiDataOperations(services.uefiData),
        ...instancePasswordOperations(services.instancePasswords),
        ...deregisterImageOperations(services.images, services.snapshots),
        ...ebsEncryptionOperations(services.ebsEncryption),
        ...iamProfileAssociationOperations(services.iamProfileAssociations),
        ...conversionTaskOperations(services.conversions),
        ...tagOperations(services.tags),
        // Network interfaces and Elastic IPs (net-eni).
        ...networkInterfaceOperations(services.networkInterfaces),
        ...addressOperations(services.addresses),

        ...securityGroupOperations(services.securityGroups),

        // net-vpc
        ...vpcOperations(services.vpcs),
        ...subnetOperations(services.subnets),
        ...internetGatewayOperations(services.internetGateways),
        ...routeTableOperations(services.routeTables),
        ...networkAclOperations(services.networkAcls),
        ...instanceEventOperations(services.maintenance, services.instances),
        // Spot (docs/spot.md).
        ...spotOperations(services.spot, services.spotMarket, topology, clock),
      },
    },
    {
      model: extensionServiceModel(),
      serviceName: "MiniEc2",
      unimplemented: [],
      operations: {
        ...guestOperations(services.images, services.volumes, services.guestRepairs),
        ...conversionExtensionOperations(services.conversions),
        ...nitroMigrationOperations(services.nitroMigrations),
        ...explainOperations(services.launcher, services.fleetView, services.launchTemplates),
        ...explainMatrixOperations(services.launchMatrix),
        ...clockOperations(clock, services.saveClockOffset),
        ...workloadOperations(services.workloads),
        ...instanceMetricsOperations(services.instanceMetrics),
        ...migrationOperations(services.migrations),
        ...maintenanceOperations(services.maintenance),
        // The console's instance page (console2).
        ...instanceBootOperations(services.instances, clock),
      },
    },
    {
      model: stsServiceModel(),
      serviceName: "AWSSecurityTokenServiceV20110615",
      operations: stsOperations(services.sessions),
      unimplemented: stsUnimplemented,
    },
  ];
}

/** The JSON-protocol services dispatch answers: SSM, for its public AMI parameters. */
export function jsonServices(services: AppServices): JsonService[] {
  return [
    {
      model: ssmServiceModel(),
      serviceName: "SSM",
      operations: ssmOperations(services.publicParameters),
      unimplemented: "every operation without a handler",
      unsupported: (operation) => Errors.ssmUnsupportedOperation(operation),
    },
  ];
}

/** An error before dispatch (a body too large, say), in the format of the request's protocol: JSON when it names an X-Amz-Target. */
function sendError(req: Request, res: Response, error: Ec2Error, status = httpStatusOf(error)): void {
  const requestId = crypto.randomUUID();
  if (req.headers["x-amz-target"] !== undefined) {
    res.status(status).set({ "Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": requestId }).send(serializeJsonError(error));
    return;
  }
  res
    .status(status)
    .set({ "Content-Type": "text/xml;charset=UTF-8", "x-amzn-RequestId": requestId })
    .send(serializeError("ec2", error, requestId));
}
