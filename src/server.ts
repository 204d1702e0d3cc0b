// Builds the application from its parts (store, topology, services, operation tables) and serves it over HTTP.
// Tests start it on port 0 and stop it; src/main.ts starts it from the environment.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { attachmentOperations } from "./api/attachments.js";
import { clockOperations } from "./api/clock.js";
import { conversionExtensionOperations, conversionTaskOperations } from "./api/conversions.js";
import { explainOperations } from "./api/explain.js";
import { guestOperations } from "./api/guest.js";
import { hostOperations } from "./api/hosts.js";
import { imageAttributeOperations } from "./api/image-attributes.js";
import { placementGroupOperations } from "./api/placement-groups.js";
import { imageOperations } from "./api/images.js";
import { instanceOperations } from "./api/instances.js";
import { lifecycleOperations } from "./api/instance-lifecycle.js";
import { instanceTypeOperations } from "./api/instance-types.js";
import { keyPairOperations } from "./api/key-pairs.js";
import { regionOperations } from "./api/regions.js";
import { snapshotOperations } from "./api/snapshots.js";
import { stsOperations } from "./api/sts.js";
import { tagOperations } from "./api/tags.js";
import { volumeOperations } from "./api/volumes.js";
import type { Config } from "./config.js";
import { InstanceTypeCatalog } from "./domain/catalog/instance-types.js";
import { Offerings } from "./domain/catalog/offerings.js";
import { type Clock, systemClock, VirtualClock } from "./domain/clock.js";
import { Ec2Error, Errors } from "./domain/errors.js";
import { type FleetConfig, parseFleetConfig, serversForZone } from "./domain/fleet.js";
import { parseTopology, type Topology } from "./domain/regions.js";
import { createLogger, type Logger } from "./log.js";
import { queryHandler } from "./protocol/dispatch.js";
import { httpStatusOf, serializeError } from "./protocol/error-envelope.js";
import { ec2ServiceModel, extensionServiceModel, stsServiceModel } from "./protocol/service-model.js";
import { CredentialResolver } from "./services/credentials.js";
import { AttachmentService } from "./services/attachments.js";
import { CopyImageService } from "./services/copy-image.js";
import { CreateImageService } from "./services/create-image.js";
import { ImageAttributeService } from "./services/image-attributes.js";
import { ImageService } from "./services/images.js";
import { HostService } from "./services/hosts.js";
import { PlacementGroupService } from "./services/placement-groups.js";
import { InstanceService } from "./services/instances.js";
import { LaunchService } from "./services/launch.js";
import { SnapshotService } from "./services/snapshots.js";
import { TagService } from "./services/tags.js";
import { VolumeService } from "./services/volumes.js";
import { ImageConversionService } from "./services/image-conversions.js";
import { conversionWorkflow } from "./services/workflows/convert-pv-to-hvm.js";
import { type WorkflowDefinition, WorkflowRegistry } from "./services/workflows/registry.js";
import { WorkflowRunner } from "./services/workflows/runner.js";
import { KeyPairService } from "./services/key-pairs.js";
import { newSigningKey, SessionCredentials } from "./services/session-credentials.js";
import { AccountsRepo } from "./store/accounts-repo.js";
import { FleetRepo } from "./store/fleet-repo.js";
import { HostsRepo } from "./store/hosts-repo.js";
import { ImagesRepo } from "./store/images-repo.js";
import { InstancesRepo } from "./store/instances-repo.js";
import { PlacementGroupsRepo } from "./store/placement-groups-repo.js";
import { readInstanceTypes, readOfferings } from "./store/catalog-files.js";
import { openStore, type Store } from "./store/database.js";
import { KeyPairsRepo } from "./store/key-pairs-repo.js";
import { ServerSecretsRepo } from "./store/server-secrets-repo.js";
import { SnapshotsRepo } from "./store/snapshots-repo.js";
import { TagsRepo } from "./store/tags-repo.js";
import { VolumesRepo } from "./store/volumes-repo.js";
import { WorkflowRepo } from "./store/workflow-repo.js";

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  topology: Topology;
  workflows: WorkflowRunner;
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

const clockOffsetKey = "virtual-clock-offset-ms";
const catalogVersionKey = "amazon-catalog-version";

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
    const accounts = new AccountsRepo(store.prisma, store.sql);
    await accounts.ensureKey(config.defaultCredentials);
    const serverSecrets = new ServerSecretsRepo(store.prisma);
    const signingKey = await serverSecrets.getOrCreate("session-token-signing-key", newSigningKey);
    const sessions = new SessionCredentials(signingKey, wallClock);
    const clock = new VirtualClock(wallClock, Number(await serverSecrets.getOrCreate(clockOffsetKey, () => "0")));
    const credentials = new CredentialResolver(accounts, sessions);
    const imagesRepo = new ImagesRepo(store.prisma, store.sql);
    const keyPairsRepo = new KeyPairsRepo(store.prisma);
    const tagsRepo = new TagsRepo(store.prisma);
    const volumesRepo = new VolumesRepo(store.prisma);
    const snapshotsRepo = new SnapshotsRepo(store.prisma);
    const images = new ImageService(imagesRepo, clock, config.delays);
    await images.seedAmazonCatalog(topology, { get: () => serverSecrets.get(catalogVersionKey), put: (version) => serverSecrets.put(catalogVersionKey, version) });
    const fleet = new FleetRepo(store.prisma, store.sql, (regionName) => (topology.region(regionName)?.zones ?? []).flatMap((zone) => serversForZone(fleetConfig, regionName, zone)));
    const catalog = new InstanceTypeCatalog(readInstanceTypes());
    const offerings = new Offerings(readOfferings(), topology);
    const instancesRepo = new InstancesRepo(store.sql);
    const hostsRepo = new HostsRepo(store.prisma);
    const groupsRepo = new PlacementGroupsRepo(store.prisma);
    const launcher = new LaunchService({
      instances: instancesRepo,
      images: imagesRepo,
      fleet,
      hosts: hostsRepo,
      groups: groupsRepo,
      keyPairs: keyPairsRepo,
      catalog,
      offerings,
      topology,
      fleetConfig,
      clock,
      delays: config.delays,
    });
    const hostService = new HostService(hostsRepo, fleet, instancesRepo, catalog, fleetConfig, topology, clock);
    const instances = new InstanceService({ instances: instancesRepo, images: imagesRepo, catalog, offerings, fleetConfig, fleet, clock, delays: config.delays });
    const volumeService = new VolumeService(volumesRepo, snapshotsRepo, topology, clock, config.delays);
    const snapshotService = new SnapshotService(snapshotsRepo, volumesRepo, topology, clock, config.delays);
    const attachments = new AttachmentService(volumesRepo, instances, clock, config.delays);
    const workflowRepo = new WorkflowRepo(store.prisma);
    const convert = conversionWorkflow({
      images,
      imagesRepo,
      volumes: volumeService,
      volumesRepo,
      snapshots: snapshotService,
      launcher,
      instances,
      attachments,
      tags: tagsRepo,
      clock,
      ...(options.afterConversionStep ? { afterStepEffect: options.afterConversionStep } : {}),
    });
    const workflows = new WorkflowRunner(workflowRepo, new WorkflowRegistry([convert, ...(options.workflows ?? [])]), { clock, log, ...(config.workflowLeaseMs ? { leaseMs: config.workflowLeaseMs } : {}) });
    const conversions = new ImageConversionService(workflows, workflowRepo, imagesRepo, catalog);

    const app = express();
    app.disable("x-powered-by");
    app.set("etag", false);
    app.get("/_mini-ec2/health", (_req, res) => {
      res.json({ status: "ok" });
    });
    app.use(express.raw({ type: () => true, limit: config.maxBodyBytes }));
    app.all(
      "/",
      queryHandler({
        services: [
          {
            model: ec2ServiceModel(),
            serviceName: "AmazonEC2",
            operations: {
              ...regionOperations(topology),
              ...imageOperations(images, new CopyImageService(imagesRepo, clock, config.delays, topology), new CreateImageService(imagesRepo, instances, clock, config.delays), clock),
              ...imageAttributeOperations(new ImageAttributeService(imagesRepo)),
              ...instanceTypeOperations(catalog, offerings),
              ...instanceOperations(launcher, instances, topology, clock),
              ...lifecycleOperations(instances, clock, config.delays),
              ...hostOperations(hostService, topology),
              ...placementGroupOperations(new PlacementGroupService(groupsRepo, clock)),
              ...keyPairOperations(new KeyPairService(keyPairsRepo, clock)),
              ...volumeOperations(volumeService, clock),
              ...attachmentOperations(attachments),
              ...snapshotOperations(snapshotService, clock),
              ...conversionTaskOperations(conversions),
              ...tagOperations(
                new TagService(tagsRepo, imagesRepo, keyPairsRepo, volumesRepo, {
                  i: async (caller, id) => (await instances.get(caller, [id]), "instance"),
                  h: async (caller, id) => (await hostService.describe(caller, [id]), "dedicated-host"),
                  pg: async (caller, id) => {
                    if ((await groupsRepo.list(caller, { ids: [id] })).length === 0) throw new Ec2Error("InvalidPlacementGroupId.NotFound", `The Placement Group ID '${id}' does not exist.`);
                    return "placement-group";
                  },
                }),
                tagsRepo,
              ),
            },
          },
          {
            model: extensionServiceModel(),
            serviceName: "MiniEc2",
            operations: {
              ...guestOperations(images, volumeService),
              ...conversionExtensionOperations(conversions),
              ...explainOperations(launcher, fleet, instancesRepo),
              ...clockOperations(clock, (offsetMs) => serverSecrets.put(clockOffsetKey, String(offsetMs))),
            },
          },
          { model: stsServiceModel(), serviceName: "AWSSecurityTokenServiceV20110615", operations: stsOperations(sessions) },
        ],
        resolveCredentials: (identity) => credentials.resolve(identity),
        isKnownRegion: (region) => topology.region(region) !== undefined,
        now: () => wallClock.now(),
        log,
      }),
    );
    app.use((req: Request, res: Response) => {
      sendError(res, new Ec2Error("InvalidAction", `mini-ec2 answers the EC2 Query API at path '/', not '${req.path}'.`), 404);
    });
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const { type, status } = error as { type?: string; status?: number };
      if (type === "entity.too.large") return sendError(res, Errors.requestTooLarge(config.maxBodyBytes));
      // Anything else the body reader refuses (a corrupt gzip body, an aborted upload) is the client's.
      if (status !== undefined && status < 500) {
        return sendError(res, Errors.malformedQueryString(`The request body could not be read: ${(error as Error).message}.`));
      }
      log({ level: "error", error: error instanceof Error ? error.stack : String(error) });
      return sendError(res, new Ec2Error("InternalError", "An internal error has occurred."));
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

function sendError(res: Response, error: Ec2Error, status = httpStatusOf(error)): void {
  const requestId = crypto.randomUUID();
  res.status(status).set({ "Content-Type": "text/xml;charset=UTF-8", "x-amzn-RequestId": requestId }).send(serializeError("ec2", error, requestId));
}
