// GetInstanceMetrics (extension): one instance's CloudWatch-shaped metrics over a window of virtual time, from the
// contention and credit models fed with what was recorded (its stays on servers, its neighbours' stays, everyone's
// workload changes, its credit history). The caller sees only its own instance; its neighbours stay anonymous.
import { burstableType } from "../domain/burstable.js";
import type { Caller } from "../domain/caller.js";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import { enaSupportOf, offersIntelSriov, usesEna } from "../domain/catalog/type-facts.js";
import type { Clock } from "../domain/clock.js";
import type { ContentionServer } from "../domain/contention.js";
import { creditModeOf, launchCredits } from "../domain/credit-specification.js";
import type { Server } from "../domain/fleet.js";
import {
  contentionPieces,
  demandSegments,
  type GuestStay,
  instanceMetrics,
  type MetricName,
  metricQuery,
  type StayRecord,
} from "../domain/instance-metrics.js";
import type { Instance } from "../domain/instances.js";
import { isPinned } from "../domain/oversubscription.js";
import type { MetricsRepo } from "../store/metrics-repo.js";
import type { InstanceService } from "./instances.js";

export interface MetricsRequest {
  instanceId: string;
  metricNames?: string[];
  startTime: Date;
  endTime: Date;
  periodSeconds: number;
  scanBy?: string;
}

export interface MetricResult {
  metricName: MetricName;
  timestamps: Date[];
  values: number[];
}

export class InstanceMetricsService {
  constructor(
    private readonly repo: MetricsRepo,
    private readonly instances: InstanceService,
    private readonly catalog: InstanceTypeCatalog,
    private readonly clock: Clock,
  ) {}

  async get(caller: Caller, request: MetricsRequest): Promise<MetricResult[]> {
    const query = metricQuery({
      ...(request.metricNames ? { metricNames: request.metricNames } : {}),
      start: request.startTime,
      end: request.endTime,
      periodSeconds: request.periodSeconds,
      ...(request.scanBy ? { scanBy: request.scanBy } : {}),
    });
    const instance = await this.instances.getOne(caller, request.instanceId);
    const now = this.clock.now().getTime();
    const from = new Date(query.start);
    const until = new Date(Math.max(query.start, Math.min(query.end, now)));

    const history = creditHistory(instance);
    const stays = this.repo.staysOf(instance.instanceId, from, until).map((stay) => this.guest(stay, instance));
    const serverIds = [...new Set(stays.map((stay) => stay.serverId))];
    const servers = new Map(this.repo.servers(serverIds).map((server) => [server.serverId, contentionServer(server)]));
    const staysOn = new Map<string, GuestStay[]>();
    // Neighbours matter only to the contention metrics (and a non-burstable instance's CPUUtilization); without them
    // the instance's own stays still say when it ran.
    const neighbours = needsNeighbours(query.metricNames, history !== undefined) ? this.repo.staysOn(serverIds, from, until) : stays;
    for (const stay of neighbours) {
      const list = staysOn.get(stay.serverId) ?? [];
      list.push("enaSupport" in stay ? this.guest(stay, stay) : stay);
      staysOn.set(stay.serverId, list);
    }
    const guests = new Set([instance.instanceId, ...[...staysOn.values()].flat().map((stay) => stay.instanceId)]);
    const workloads = this.repo.workloads([...guests], until);
    const pieces = contentionPieces(instance.instanceId, { stays, servers, staysOn, workloads }, query.start, until.getTime());

    const credits = history && {
      history,
      demand: demandSegments(workloads.get(instance.instanceId) ?? [], history.events[0]?.at ?? query.start, until.getTime()),
    };
    const series = instanceMetrics(query, now, pieces, credits);
    return query.metricNames.map((metricName) => {
      const { timestamps, values } = series[metricName];
      const ordered = query.ascending ? { timestamps, values } : { timestamps: [...timestamps].reverse(), values: [...values].reverse() };
      return { metricName, timestamps: ordered.timestamps.map((t) => new Date(t)), values: ordered.values };
    });
  }

  /** What the contention model needs of a guest: its vCPUs, whether they are pinned, its EBS IOPS limit and the path its network takes. */
  private guest(stay: StayRecord, network: { enaSupport: boolean; sriovNetSupport?: string }): GuestStay {
    const type = this.catalog.get(stay.instanceType);
    const maxIops = type?.EbsInfo?.EbsOptimizedInfo?.MaximumIops;
    const networkPath =
      type && usesEna(network.enaSupport, enaSupportOf(type)) ? "ena" : type && network.sriovNetSupport === "simple" && offersIntelSriov(type) ? "sriov" : "pv";
    return { ...stay, vCpus: type?.VCpuInfo?.DefaultVCpus ?? 1, networkPath, ...(maxIops ? { maxIops } : {}), pinned: isPinned(stay.instanceType) };
  }
}

const contentionMetrics: readonly MetricName[] = ["CPUStealPercent", "DiskLatencyMs", "Dom0CpuPercent"];

function needsNeighbours(names: readonly MetricName[], burstable: boolean): boolean {
  return names.some((name) => contentionMetrics.includes(name) || (name === "CPUUtilization" && !burstable));
}

/** A Dedicated Host's server and a bare-metal one have a single tenant (docs/neighbours.md, "One tenant"). */
function contentionServer(server: Server): ContentionServer {
  return {
    hypervisor: server.hypervisor,
    cores: server.cores,
    threadsPerCore: server.totalVCpus / server.cores,
    singleTenant: server.dedicatedHostId !== undefined || server.hypervisor === "none",
  };
}

/** A burstable instance's credit history; one launched before histories were kept starts at its launch. */
function creditHistory(instance: Instance) {
  if (instance.options.credits) return instance.options.credits;
  if (!burstableType(instance.instanceType)) return undefined;
  return launchCredits(creditModeOf(instance), instance.instanceType, instance.launchTime.getTime());
}
