// `mini-ec2 fleet [--availability-zone us-east-1a] [--host-class nitro-x86]`: the simulated servers of the Region
// (the extension operation DescribeFleet, every page), grouped by zone, each with its hypervisor, how full it is,
// its state when it is under maintenance or failed, and the instances on it. --output json|yaml|text|table prints the raw answer instead.
import type { GlobalOptions } from "./argv.js";
import { prepareExtensionCommand } from "./extension-command.js";
import { shapeOf } from "./model.js";
import { applyQuery, formatOutput, normalize, WholeFloat } from "./output.js";
import type { CallTracker, Printer } from "./service-command.js";

interface FleetServer {
  ServerId: string;
  AvailabilityZone: string;
  HostClass: string;
  Hypervisor: string;
  TotalVCpus: number;
  UsedVCpus: number | WholeFloat;
  MemoryMiB: number;
  UsedMemoryMiB: number;
  InstanceCount: number;
  /** available, under-maintenance or failed. */
  State?: string;
  DedicatedHost?: boolean;
  DedicatedHostId?: string;
  Instances?: Array<{ InstanceId?: string; InstanceType: string; OwnedByCaller: boolean }>;
}

export async function runFleet(words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker): Promise<void> {
  const prepared = await prepareExtensionCommand("describe-fleet", "fleet", words, globals, printer, tracker);
  if (!prepared) return;
  const { model, command, input, settings, connection } = prepared;
  const servers: FleetServer[] = [];
  let nextToken: string | undefined;
  do {
    const page = normalize(
      model,
      shapeOf(model, command.operation.output!),
      await connection.send("DescribeFleet", { ...input, ...(nextToken ? { NextToken: nextToken } : {}) }),
    ) as { Servers?: FleetServer[]; NextToken?: string };
    servers.push(...(page.Servers ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  if (globals.output !== undefined || globals.query !== undefined)
    return printer.out(formatOutput(globals.output ?? settings.output, "DescribeFleet", applyQuery({ Servers: servers }, globals.query)));
  printer.out(drawFleet(servers));
}

/** One block per zone, one line per server: a bar of used vCPUs, the numbers, and its instances. */
export function drawFleet(servers: readonly FleetServer[]): string {
  const zones = [...new Set(servers.map((server) => server.AvailabilityZone))];
  const idWidth = Math.max(0, ...servers.map((server) => server.ServerId.length));
  const blocks = zones.map((zone) => {
    const lines = servers
      .filter((server) => server.AvailabilityZone === zone)
      .map((server) => {
        // UsedVCpus is a double (a burstable guest takes a fraction of a thread), marked when whole (output.ts).
        const used = Number(server.UsedVCpus instanceof WholeFloat ? server.UsedVCpus.value : server.UsedVCpus);
        const filled = Math.round((used / server.TotalVCpus) * 20);
        const bar = `[${"#".repeat(filled)}${".".repeat(20 - filled)}]`;
        const numbers = `${String(used).padStart(3)}/${server.TotalVCpus} vCPU ${Math.round(server.UsedMemoryMiB / 1024)}/${Math.round(server.MemoryMiB / 1024)} GiB`;
        const state = server.State && server.State !== "available" ? ` ${server.State}` : "";
        const host = server.DedicatedHostId ? ` host ${server.DedicatedHostId}` : server.DedicatedHost ? " another account's Dedicated Host" : "";
        const mine = (server.Instances ?? []).filter((i) => i.OwnedByCaller).map((i) => `${i.InstanceId} (${i.InstanceType})`);
        const others = (server.Instances ?? []).length - mine.length;
        const instances = [...mine, ...(others ? [`${others} of other accounts`] : [])].join(", ");
        return `  ${server.ServerId.padEnd(idWidth)}  ${server.Hypervisor.padEnd(5)} ${bar} ${numbers}${state}${host}${instances ? `  ${instances}` : ""}`;
      });
    return `${zone}\n${lines.join("\n")}`;
  });
  return `${blocks.join("\n\n")}\n`;
}
