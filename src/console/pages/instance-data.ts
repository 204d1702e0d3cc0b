// What the instance page reads, each from its own API call, parsed into plain values. Each section of the page
// loads on its own, so a call that fails (GetInstanceMetrics before the metrics extension exists) shows its error
// where its section would be and the rest of the page still works.
import type { Client } from "../api/client.js";
import { type MetricSeries, metricSeries } from "../api/metrics.js";
import { child, items, text, type XmlValue } from "../api/xml.js";

export interface InstanceSummary {
  instanceId: string;
  instanceType: string;
  state: string;
  imageId: string;
  zone: string;
  launchTime: string;
  stateTransitionReason: string;
  stateReason: string;
  virtualizationType: string;
  interfaces: Array<{ id: string; deviceIndex: string; subnetId: string; privateIp: string; publicIp: string; mac: string; status: string }>;
}

export async function describeInstance(client: Client, instanceId: string): Promise<InstanceSummary> {
  const reservations = await client.all("ec2", "DescribeInstances", "reservationSet", { InstanceId: [instanceId] });
  const instance = items(reservations[0]?.instancesSet)[0];
  if (!instance) throw new Error(`No instance ${instanceId} in this account and region.`);
  return {
    instanceId: text(instance.instanceId),
    instanceType: text(instance.instanceType),
    state: text(child(instance.instanceState, "name")),
    imageId: text(instance.imageId),
    zone: text(child(instance.placement, "availabilityZone")),
    launchTime: text(instance.launchTime),
    stateTransitionReason: text(instance.reason),
    stateReason: text(child(instance.stateReason, "message")),
    virtualizationType: text(instance.virtualizationType),
    interfaces: items(instance.networkInterfaceSet).map((eni) => ({
      id: text(eni.networkInterfaceId),
      deviceIndex: text(child(eni.attachment, "deviceIndex")),
      subnetId: text(eni.subnetId),
      privateIp: text(eni.privateIpAddress),
      publicIp: text(child(eni.association, "publicIp")),
      mac: text(eni.macAddress),
      status: text(eni.status),
    })),
  };
}

/** The caller's instances, for the page without an id: a list to choose from. */
export async function listInstances(client: Client): Promise<Array<{ instanceId: string; instanceType: string; state: string }>> {
  const reservations = await client.all("ec2", "DescribeInstances", "reservationSet", { MaxResults: 1000 });
  return reservations.flatMap((reservation) =>
    items(reservation.instancesSet).map((instance) => ({
      instanceId: text(instance.instanceId),
      instanceType: text(instance.instanceType),
      state: text(child(instance.instanceState, "name")),
    })),
  );
}

export interface BootView {
  hypervisor: string;
  virtualizationType: string;
  bootMode: string;
  booted?: boolean;
  failure: string;
  lines: Array<{ text: string; deciding: boolean }>;
  ioPaths: Array<{ device: string; deviceType: string; path: string; driver: string; driverPresent: boolean; through: string; description: string }>;
}

export async function describeBoot(client: Client, instanceId: string): Promise<BootView> {
  const result = await client.call("extensions", "DescribeInstanceBoot", { InstanceId: instanceId });
  return {
    hypervisor: text(result.hypervisor),
    virtualizationType: text(result.virtualizationType),
    bootMode: text(result.bootMode),
    ...(text(result.booted) ? { booted: text(result.booted) === "true" } : {}),
    failure: text(result.failure),
    lines: items(result.consoleLineSet).map((line) => ({ text: text(line.text), deciding: text(line.deciding) === "true" })),
    ioPaths: items(result.ioPathSet).map((path) => ({
      device: text(path.device),
      deviceType: text(path.deviceType),
      path: text(path.path),
      driver: text(path.driver),
      driverPresent: text(path.driverPresent) === "true",
      through: text(path.through),
      description: text(path.description),
    })),
  };
}

/** DescribeGuest's facts, flattened to label and value pairs (lists joined) for a definition list. */
export async function guestFacts(client: Client, params: { InstanceId?: string; ImageId?: string; SnapshotId?: string; VolumeId?: string }) {
  const result = await client.call("extensions", "DescribeGuest", params);
  const guest = result.guest;
  if (!guest || typeof guest !== "object" || Array.isArray(guest)) return { resourceId: text(result.resourceId), facts: [] as Array<[string, string]> };
  const facts = Object.entries(guest).map(([name, value]): [string, string] => [name, factText(value)]);
  return { resourceId: text(result.resourceId), facts: facts.filter(([, value]) => value !== "") };
}

function factText(value: XmlValue): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(factText).join(", ");
  return Object.entries(value)
    .map(([name, inner]) => `${name}: ${factText(inner)}`)
    .join("; ");
}

export interface StatusView {
  systemStatus: string;
  instanceStatus: string;
  events: Array<{ id: string; code: string; description: string; notBefore: string }>;
}

export async function describeStatus(client: Client, instanceId: string): Promise<StatusView | undefined> {
  const result = await client.call("ec2", "DescribeInstanceStatus", { InstanceId: [instanceId], IncludeAllInstances: true });
  const status = items(result.instanceStatusSet)[0];
  if (!status) return undefined;
  return {
    systemStatus: text(child(status.systemStatus, "status")),
    instanceStatus: text(child(status.instanceStatus, "status")),
    events: items(status.eventsSet).map((event) => ({
      id: text(event.instanceEventId),
      code: text(event.code),
      description: text(event.description),
      notBefore: text(event.notBefore),
    })),
  };
}

export interface LiveMigration {
  migrationId: string;
  instanceId: string;
  strategy: string;
  state: string;
  initiatedBy: string;
  sourceServerId: string;
  targetServerId: string;
  startTime: string;
  switchoverTime: string;
  endedBy: string;
  totalTimeMs: number;
  downtimeMs: number;
  pageFaults: number;
  failureReason: string;
  rounds: Array<{ round: number; pagesSent: number; pagesDirtied: number; durationMs: number; guestPaused: boolean }>;
}

export async function describeLiveMigrations(client: Client, instanceId?: string): Promise<LiveMigration[]> {
  const result = await client.call("extensions", "DescribeInstanceMigrations", { InstanceId: instanceId });
  return items(result.migrationSet).map((migration) => ({
    migrationId: text(migration.migrationId),
    instanceId: text(migration.instanceId),
    strategy: text(migration.strategy),
    state: text(migration.state),
    initiatedBy: text(migration.initiatedBy),
    sourceServerId: text(migration.sourceServerId),
    targetServerId: text(migration.targetServerId),
    startTime: text(migration.startTime),
    switchoverTime: text(migration.switchoverTime),
    endedBy: text(migration.endedBy),
    totalTimeMs: Number(text(migration.totalTimeMs) || 0),
    downtimeMs: Number(text(migration.downtimeMs) || 0),
    pageFaults: Number(text(migration.pageFaults) || 0),
    failureReason: text(migration.failureReason),
    rounds: items(migration.roundSet).map((round) => ({
      round: Number(text(round.round)),
      pagesSent: Number(text(round.pagesSent)),
      pagesDirtied: Number(text(round.pagesDirtied)),
      durationMs: Number(text(round.durationMs)),
      guestPaused: text(round.guestPaused) === "true",
    })),
  }));
}

/** The metrics names the instance page charts (issue 17's GetInstanceMetrics contract). */
export const chartedMetrics = ["CPUUtilization", "CPUStealPercent", "DiskLatencyMs", "Dom0CpuPercent"] as const;

/** The window the instance page charts: the last hour of virtual time before `now`, in 1-minute periods. */
export interface MetricsView {
  startTime: string;
  endTime: string;
  period: number;
  series: MetricSeries[];
}

/** The charted metrics over the page's window, oldest first (a chart's x axis runs forward; CloudWatch's default is newest first). */
export async function instanceMetrics(client: Client, instanceId: string, now: Date): Promise<MetricsView> {
  const window = { startTime: new Date(now.getTime() - 3600_000).toISOString(), endTime: now.toISOString(), period: 60 };
  const answer = await client.call("extensions", "GetInstanceMetrics", {
    InstanceId: instanceId,
    MetricName: [...chartedMetrics],
    StartTime: window.startTime,
    EndTime: window.endTime,
    Period: window.period,
    ScanBy: "TimestampAscending",
  });
  return { ...window, series: metricSeries(answer) };
}
