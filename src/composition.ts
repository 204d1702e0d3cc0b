// The composition root: the repositories over one store and the services over them, wired once at start-up.
// The HTTP app (src/server.ts) maps operations onto these; nothing here knows HTTP.
import type { Config } from "./config.js";
import { InstanceTypeCatalog } from "./domain/catalog/instance-types.js";
import { Offerings } from "./domain/catalog/offerings.js";
import { type Clock, VirtualClock } from "./domain/clock.js";
import { type FleetConfig, footprintOf, serversForZone } from "./domain/fleet.js";
import type { Topology } from "./domain/regions.js";
import type { Logger } from "./log.js";
import { AttachmentService } from "./services/attachments.js";
import { CopyImageService } from "./services/copy-image.js";
import { CreateImageService } from "./services/create-image.js";
import { CreditSpecificationService } from "./services/credit-specifications.js";
import { CredentialResolver } from "./services/credentials.js";
import { FleetViewService } from "./services/fleet-view.js";
import { HostService } from "./services/hosts.js";
import { ImageAttributeService } from "./services/image-attributes.js";
import { ImageConversionService } from "./services/image-conversions.js";
import { ImageService } from "./services/images.js";
import { InstanceQueryService } from "./services/instance-queries.js";
import { InstanceTypeService } from "./services/instance-types.js";
import { InstanceService } from "./services/instances.js";
import { InstancePasswordService } from "./services/instance-passwords.js";
import { EbsEncryptionService } from "./services/ebs-encryption.js";
import { IamProfileAssociationService } from "./services/iam-profile-associations.js";
import { KeyPairService } from "./services/key-pairs.js";
import { LaunchService } from "./services/launch.js";
import { LaunchMatrixService } from "./services/launch-matrix.js";
import { LaunchTemplateService } from "./services/launch-templates.js";
import { PlacementGroupService } from "./services/placement-groups.js";
import { PublicParameterService } from "./services/public-parameters.js";
import { RegionService } from "./services/regions.js";
import { newSigningKey, SessionCredentials } from "./services/session-credentials.js";
import { CreateSnapshotsService } from "./services/create-snapshots.js";
import { InstanceUefiDataService } from "./services/instance-uefi-data.js";
import { SnapshotAttributeService } from "./services/snapshot-attributes.js";
import { SnapshotService } from "./services/snapshots.js";
import { TagService } from "./services/tags.js";
import { VolumeService } from "./services/volumes.js";
import { GuestRepairService } from "./services/guest-repairs.js";
// net-vpc: VPCs, subnets, internet gateways, route tables, network ACLs
import { InternetGatewayService } from "./services/internet-gateways.js";
import { NetworkAclService } from "./services/network-acls.js";
import { RouteTableService } from "./services/route-tables.js";
import { SubnetService } from "./services/subnets.js";
import { VpcService } from "./services/vpcs.js";
import { VpcTopologyRepo } from "./store/vpc-topology-repo.js";
import { WorkloadService } from "./services/workloads.js";
import { InstanceMetricsService } from "./services/instance-metrics.js";
import { MetricsRepo } from "./store/metrics-repo.js";
import { MigrationService } from "./services/migrations.js";
import { MigrationsRepo } from "./store/migrations-repo.js";
import { MaintenanceService } from "./services/maintenance.js";
import { DedicatedHostLife } from "./services/host-life.js";
import { HostLifeRepo } from "./store/host-life-repo.js";
import { MaintenanceRepo } from "./store/maintenance-repo.js";
import { conversionWorkflow } from "./services/workflows/convert-pv-to-hvm.js";
import { nitroMigrationWorkflow } from "./services/workflows/migrate-xen-to-nitro.js";
import { NitroMigrationChecks } from "./services/nitro-migration-checks.js";
import { NitroMigrationService } from "./services/nitro-migrations.js";
import { type WorkflowDefinition, WorkflowRegistry } from "./services/workflows/registry.js";
import { WorkflowRunner } from "./services/workflows/runner.js";
import { AccountsRepo } from "./store/accounts-repo.js";
import { readInstanceTypes, readOfferings } from "./store/catalog-files.js";
import { CreditDefaultsRepo } from "./store/credit-defaults-repo.js";
import { EbsEncryptionRepo } from "./store/ebs-encryption-repo.js";
import { LaunchTokensRepo } from "./store/launch-tokens-repo.js";
import { SpotRepo } from "./store/spot-repo.js";
import { SpotMarket } from "./services/spot-market.js";
import { SpotService } from "./services/spot.js";
import { zonesOffering } from "./domain/launch-context.js";
import { spotHistoryDays } from "./domain/spot-price.js";
import { InterfacesRepo } from "./store/interfaces-repo.js";
import type { Store } from "./store/database.js";
import { FleetRepo } from "./store/fleet-repo.js";
import { HostsRepo } from "./store/hosts-repo.js";
import { ImagesRepo } from "./store/images-repo.js";
import { InstancesRepo } from "./store/instances-repo.js";
import { KeyPairsRepo } from "./store/key-pairs-repo.js";
import { LaunchTemplatesRepo } from "./store/launch-templates-repo.js";
import { DefaultNetwork } from "./services/default-network.js";
import { AddressService } from "./services/addresses.js";
import { NetworkInterfaceService } from "./services/network-interfaces.js";
import { NetworkRepo } from "./store/network-repo.js";
import { SecurityGroupService } from "./services/security-groups.js";
import { SecurityGroupsRepo } from "./store/security-groups-repo.js";

import { InstanceNetworkRepo } from "./store/instance-network-repo.js";
import { LaunchNetwork } from "./services/launch-network.js";
import { PlacementGroupsRepo } from "./store/placement-groups-repo.js";
import { ServerSecretsRepo } from "./store/server-secrets-repo.js";
import { SnapshotsRepo } from "./store/snapshots-repo.js";
import { TagsRepo } from "./store/tags-repo.js";
import { VolumesRepo } from "./store/volumes-repo.js";
import { WorkflowRepo } from "./store/workflow-repo.js";
import { WorkloadsRepo } from "./store/workloads-repo.js";

export interface CompositionSettings {
  topology: Topology;
  fleetConfig: FleetConfig;
  /** The wall clock; resources live on a virtual clock that runs with it and that AdvanceClock moves ahead. */
  wallClock: Clock;
  log: Logger;
  /** Workflow definitions the runner knows beside the PV->HVM conversion, which is always there. */
  workflows?: readonly WorkflowDefinition[];
  /** Test hook: called after each workflow step's effect (a conversion's or a Xen to Nitro migration's), before its result is stored. */
  afterConversionStep?: (step: string) => void;
}

export type AppServices = Awaited<ReturnType<typeof composeServices>>;

const clockOffsetKey = "virtual-clock-offset-ms";
const catalogVersionKey = "amazon-catalog-version";

export async function composeServices(store: Store, config: Config, settings: CompositionSettings) {
  const { topology, fleetConfig, wallClock, log } = settings;
  const accounts = new AccountsRepo(store.sql);
  await accounts.ensureKey(config.defaultCredentials);
  const serverSecrets = new ServerSecretsRepo(store.sql);
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
  const fleet = new FleetRepo(store.prisma, store.sql, (regionName) =>
    (topology.region(regionName)?.zones ?? []).flatMap((zone) => serversForZone(fleetConfig, regionName, zone)),
  );
  const catalog = new InstanceTypeCatalog(readInstanceTypes);
  const offerings = new Offerings(readOfferings, topology);
  const network = new NetworkRepo(store.sql);
  const instanceNetwork = new InstanceNetworkRepo(store.sql, network);
  const instancesRepo = new InstancesRepo(store.sql, instanceNetwork);
  const defaultNetwork = new DefaultNetwork(network, topology, clock);
  const interfacesRepo = new InterfacesRepo(store.sql, network);
  const hostsRepo = new HostsRepo(store.prisma);
  const groupsRepo = new PlacementGroupsRepo(store.prisma);
  const creditDefaults = new CreditDefaultsRepo(store.sql);
  const ebsEncryptionRepo = new EbsEncryptionRepo(store.sql);
  // Spot (docs/spot.md): the market sits in the launch path; the requests' service settles them on the clock.
  const spotRepo = new SpotRepo(store.sql);
  const spotMarket = new SpotMarket(spotRepo, store.sql, catalog, fleetConfig);
  // One per server: each region's parameters are resolved from the catalog once, for GetParameter and resolve:ssm: alike.
  const publicParameters = new PublicParameterService(imagesRepo);
  const launcher = new LaunchService({
    instances: instancesRepo,
    images: imagesRepo,
    fleet,
    hosts: hostsRepo,
    groups: groupsRepo,
    keyPairs: keyPairsRepo,
    creditDefaults,
    ebsEncryption: ebsEncryptionRepo,
    catalog,
    offerings,
    topology,
    fleetConfig,
    clock,
    delays: config.delays,
    launchNetwork: new LaunchNetwork(network, defaultNetwork),
    instanceNetwork,
    spotMarket,
    launchTokens: new LaunchTokensRepo(store.sql),
    // RunInstances' ImageId resolve:ssm:<parameter> (docs/ssm.md): the parameters SSM serves, cached per region.
    publicParameters,
  });
  const spot = new SpotService({
    repo: spotRepo,
    market: spotMarket,
    launcher,
    instances: instancesRepo,
    fleet,
    clock,
    delays: config.delays,
    zonesOffering: (region, instanceType) => zonesOffering(offerings, region, instanceType),
    originMs: clock.now().getTime() - spotHistoryDays * 24 * 3600 * 1000,
  });
  const hostService = new HostService(hostsRepo, fleet, instancesRepo, catalog, fleetConfig, topology, clock, () => maintenance.settle());
  const instances = new InstanceService({
    instances: instancesRepo,
    images: imagesRepo,
    catalog,
    offerings,
    fleetConfig,
    fleet,
    clock,
    delays: config.delays,
    network,
    instanceNetwork,
    spotRequestType: (id) => spotRepo.typeOf(id),
  });
  // Live migration, server maintenance and scheduled events (docs/migration.md).
  const migrationsRepo = new MigrationsRepo(store.sql, (instanceType) => footprintOf(instances.type(instanceType)));
  const migrations = new MigrationService({ migrations: migrationsRepo, instances, fleet, catalog, fleetConfig, clock, delays: config.delays });
  const maintenanceRepo = new MaintenanceRepo(store.sql);
  const hostLife = new DedicatedHostLife({
    hostLife: new HostLifeRepo(store.sql, migrationsRepo),
    maintenance: maintenanceRepo,
    migrations,
    instances,
    catalog,
    clock,
  });
  const maintenance = new MaintenanceService({ maintenance: maintenanceRepo, migrationsRepo, migrations, instances, fleet, clock, hosts: hostLife });
  const instanceQueries = new InstanceQueryService(
    instances,
    clock,
    config.delays,
    (zone) => topology.zoneId(zone),
    () => maintenance,
  );
  const volumeService = new VolumeService(volumesRepo, snapshotsRepo, topology, clock, config.delays, ebsEncryptionRepo);
  const snapshotService = new SnapshotService(snapshotsRepo, volumesRepo, topology, clock, config.delays, ebsEncryptionRepo);
  const attachments = new AttachmentService(volumesRepo, instances, clock, config.delays);
  const workflowRepo = new WorkflowRepo(store.prisma, store.sql);
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
    ...(settings.afterConversionStep ? { afterStepEffect: settings.afterConversionStep } : {}),
  });
  const imageCreator = new CreateImageService(imagesRepo, instances, clock, config.delays);
  const migrationChecks = new NitroMigrationChecks(instances, catalog, offerings, clock);
  const migrate = nitroMigrationWorkflow({
    checks: migrationChecks,
    instances,
    launcher,
    imageCreator,
    images,
    imagesRepo,
    volumesRepo,
    tags: tagsRepo,
    clock,
    ...(settings.afterConversionStep ? { afterStepEffect: settings.afterConversionStep } : {}),
  });
  const workflows = new WorkflowRunner(workflowRepo, new WorkflowRegistry([convert, migrate, ...(settings.workflows ?? [])]), {
    clock,
    log,
    ...(config.workflowLeaseMs ? { leaseMs: config.workflowLeaseMs } : {}),
  });
  const conversions = new ImageConversionService(workflows, workflowRepo, imagesRepo, catalog);
  const nitroMigrations = new NitroMigrationService(workflows, workflowRepo, migrationChecks);
  const groups = new PlacementGroupService(groupsRepo, clock);
  const launchTemplates = new LaunchTemplateService(new LaunchTemplatesRepo(store.prisma), instances, clock);
  return {
    clock,
    sessions,
    credentials,
    regions: new RegionService(topology),
    images,
    copies: new CopyImageService(imagesRepo, clock, config.delays, topology, ebsEncryptionRepo),
    imageCreator,
    imageAttributes: new ImageAttributeService(imagesRepo),
    instanceTypes: new InstanceTypeService(catalog, offerings),
    launcher,
    spot,
    spotMarket,
    /** ExplainLaunchMatrix: the console's compatibility matrix. */
    launchMatrix: new LaunchMatrixService({ images: imagesRepo, catalog, offerings, topology }),
    launchTemplates,
    instances,
    instanceQueries,
    creditSpecifications: new CreditSpecificationService(instances, creditDefaults, clock),
    hosts: hostService,
    groups,
    keyPairs: new KeyPairService(keyPairsRepo, clock),
    volumes: volumeService,
    guestRepairs: new GuestRepairService(volumeService, volumesRepo, instances, clock),
    attachments,
    snapshots: snapshotService,
    snapshotAttributes: new SnapshotAttributeService(snapshotsRepo),
    uefiData: new InstanceUefiDataService(instances, imagesRepo),
    /** GetPasswordData: a Windows instance's administrator password, encrypted to its key pair. */
    instancePasswords: new InstancePasswordService(instances, keyPairsRepo, clock),
    ebsEncryption: new EbsEncryptionService(ebsEncryptionRepo),
    iamProfileAssociations: new IamProfileAssociationService(instances, clock),
    snapshotSets: new CreateSnapshotsService(instances, volumesRepo, snapshotsRepo, clock, config.delays),
    conversions,
    nitroMigrations,
    tags: new TagService({
      tags: tagsRepo,
      images: imagesRepo,
      keyPairs: keyPairsRepo,
      volumes: volumesRepo,
      instances,
      hosts: hostService,
      groups,
      launchTemplates,
      network,
    }),
    workflows,
    /** The networking tables (docs/networking.md); the networking services are built on it. */
    network,
    defaultNetwork,
    // Network interfaces and Elastic IPs (net-eni).
    networkInterfaces: new NetworkInterfaceService(interfacesRepo, defaultNetwork, instances, catalog, clock),
    addresses: new AddressService(interfacesRepo, defaultNetwork, instances, clock),

    /** Security groups and their rules (net-sg). */
    securityGroups: new SecurityGroupService(new SecurityGroupsRepo(store.sql, network), network, defaultNetwork, clock),

    ...vpcServices(network, defaultNetwork, topology, clock),
    fleetView: new FleetViewService(fleet, instancesRepo, hostsRepo, () => maintenance.settle()),
    publicParameters,
    workloads: new WorkloadService(new WorkloadsRepo(store.sql), instances, clock),
    /** GetInstanceMetrics: the contention and credit models over recorded change points (docs/neighbours.md). */
    instanceMetrics: new InstanceMetricsService(new MetricsRepo(store.sql), instances, catalog, clock),
    migrations,
    maintenance,
    /** Keeps AdvanceClock's offset across restarts. */
    saveClockOffset: (offsetMs: number) => serverSecrets.put(clockOffsetKey, String(offsetMs)),
    /** The version of the Amazon catalog the database holds, so that a start seeds only a changed catalog. */
    catalogVersion: { get: () => serverSecrets.get(catalogVersionKey), put: (version: string) => serverSecrets.put(catalogVersionKey, version) },
  };
}

/** net-vpc: the VPC, subnet, internet gateway, route table and ACL services, over one writes repo. */
function vpcServices(network: NetworkRepo, defaultNetwork: DefaultNetwork, topology: Topology, clock: Clock) {
  const topologyRepo = new VpcTopologyRepo(network.sql);
  return {
    vpcs: new VpcService(network, topologyRepo, defaultNetwork, topology, clock),
    subnets: new SubnetService(network, topologyRepo, defaultNetwork, topology, clock),
    internetGateways: new InternetGatewayService(network, topologyRepo, defaultNetwork, clock),
    routeTables: new RouteTableService(network, topologyRepo, defaultNetwork, clock),
    networkAcls: new NetworkAclService(network, defaultNetwork),
  };
}
