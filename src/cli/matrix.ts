// `mini-ec2 matrix`: the catalog's support matrix, one instance type a row, from DescribeInstanceTypes. It
// takes describe-instance-types' own flags (--instance-types, --filters, --include-unsupported-in-region…), so
// filtering is EC2's filtering, and prints a plain table (or the rows as JSON, YAML or text with --output).
import { type GlobalOptions, parseCommandLine } from "./argv.js";
import { findCommand } from "./commands.js";
import { commandHelp } from "./help.js";
import { ec2CliModel } from "./model.js";
import { applyQuery, formatOutput } from "./output.js";
import { paginate } from "./pagination.js";
import { buildInput } from "./params.js";
import type { CallTracker, Printer } from "./service-command.js";
import { resolveSettings } from "./settings.js";
import { connect } from "./transport.js";

export interface MatrixRow {
  InstanceType: string;
  Virtualization: string;
  Architectures: string;
  Ena: string;
  Gpu: string;
  Nvme: string;
  BootModes: string;
  Hypervisor: string;
}

const headings: Record<keyof MatrixRow, string> = {
  InstanceType: "TYPE",
  Virtualization: "VIRTUALIZATION",
  Architectures: "ARCHITECTURES",
  Ena: "ENA",
  Gpu: "GPU",
  Nvme: "NVME",
  BootModes: "BOOT MODES",
  Hypervisor: "HYPERVISOR",
};

export async function runMatrix(words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker): Promise<void> {
  const model = ec2CliModel();
  const command = findCommand(model, "describe-instance-types")!;
  command.name = "matrix";
  const line = parseCommandLine(command, words);
  if (line.help) return printer.out(matrixHelp(commandHelp(command)));
  const { input, paging } = buildInput(command, line);
  const settings = await resolveSettings(globals);
  const connection = connect(globals, settings, model);
  tracker.operation = "DescribeInstanceTypes";
  tracker.endpoint = settings.endpoint;
  const response = await paginate(command.paginator!, input, paging, (page) => connection.send("DescribeInstanceTypes", page));
  const rows = ((response.InstanceTypes ?? []) as any[]).map(matrixRow).sort((a, b) => compareTypes(a.InstanceType, b.InstanceType));
  // Only an explicit --output changes the layout: a configured default of json is for the ec2 commands.
  if (globals.output === undefined && globals.query === undefined) return printer.out(plainTable(rows));
  printer.out(formatOutput(globals.output ?? settings.output, "Matrix", applyQuery({ InstanceTypes: rows }, globals.query)));
}

export function matrixRow(info: any): MatrixRow {
  const gpus = (info.GpuInfo?.Gpus ?? []) as Array<{ Count?: number; Manufacturer?: string; Name?: string }>;
  return {
    InstanceType: info.InstanceType,
    Virtualization: list(info.SupportedVirtualizationTypes),
    Architectures: list(info.ProcessorInfo?.SupportedArchitectures),
    Ena: info.NetworkInfo?.EnaSupport ?? "-",
    Gpu: gpus.length ? gpus.map((gpu) => `${gpu.Count ?? 1}x ${gpu.Manufacturer ?? ""} ${gpu.Name ?? ""}`.replace(/\s+/g, " ").trim()).join(", ") : "-",
    Nvme: info.EbsInfo?.NvmeSupport ?? "-",
    BootModes: list(info.SupportedBootModes),
    // Bare metal has no hypervisor; DescribeInstanceTypes leaves the member out.
    Hypervisor: info.Hypervisor ?? (info.BareMetal ? "none (metal)" : "-"),
  };
}

function list(values: unknown): string {
  return Array.isArray(values) && values.length ? values.join(",") : "-";
}

// m5.large before m5.xlarge before m5.2xlarge: by family, then by size as EC2 orders them.
const sizeOrder = ["nano", "micro", "small", "medium", "large", "xlarge"];
function compareTypes(a: string, b: string): number {
  const [familyA = "", sizeA = ""] = a.split(".");
  const [familyB = "", sizeB = ""] = b.split(".");
  if (familyA !== familyB) return familyA < familyB ? -1 : 1;
  return sizeRank(sizeA) - sizeRank(sizeB) || (sizeA < sizeB ? -1 : sizeA > sizeB ? 1 : 0);
}

function sizeRank(size: string): number {
  const known = sizeOrder.indexOf(size);
  if (known >= 0) return known;
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return sizeOrder.length + Number(multiple[1]);
  return 10_000; // metal and metal-24xl last
}

function plainTable(rows: MatrixRow[]): string {
  const keys = Object.keys(headings) as Array<keyof MatrixRow>;
  const widths = keys.map((key) => Math.max(headings[key].length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) =>
    `${cells
      .map((cell, index) => cell.padEnd(widths[index]!))
      .join("  ")
      .trimEnd()}\n`;
  return line(keys.map((key) => headings[key])) + rows.map((row) => line(keys.map((key) => row[key]))).join("") + `${rows.length} instance types\n`;
}

function matrixHelp(describeHelp: string): string {
  return `matrix

DESCRIPTION
  The support matrix of the instance-type catalog: for each type its virtualization types, architectures,
  ENA support, GPUs, NVMe EBS support, boot modes and hypervisor, as DescribeInstanceTypes reports them.
  Filter with describe-instance-types' own flags, e.g.
    mini-ec2 matrix --filters Name=supported-virtualization-type,Values=paravirtual
    mini-ec2 matrix --instance-types m5.large c5.large t2.micro
  --output json|yaml|text|table prints the rows in that format instead of the plain table.
  SR-IOV (the Intel 82599 VF) is not part of DescribeInstanceTypes, so the matrix has no column for it.

${describeHelp.slice(describeHelp.indexOf("SYNOPSIS"))}`;
}
