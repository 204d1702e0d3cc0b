// The instance-type catalog (src/domain/catalog/data, see docs/catalog.md): each type exactly as
// DescribeInstanceTypes reports it, and the filters DescribeInstanceTypes understands.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { FilterSpec } from "../filters.js";

export class InstanceTypeCatalog {
  private loaded: { all: readonly InstanceTypeInfo[]; byName: Map<string, InstanceTypeInfo> } | undefined;

  /** The types, or how to read them: a start that serves no type question then never parses the catalog. */
  constructor(private readonly types: readonly InstanceTypeInfo[] | (() => readonly InstanceTypeInfo[])) {}

  private catalog() {
    if (!this.loaded) {
      const all = [...(typeof this.types === "function" ? this.types() : this.types)].sort((a, b) => (a.InstanceType! < b.InstanceType! ? -1 : 1));
      this.loaded = { all, byName: new Map(all.map((type) => [type.InstanceType!, type])) };
    }
    return this.loaded;
  }

  get all(): readonly InstanceTypeInfo[] {
    return this.catalog().all;
  }

  get(name: string): InstanceTypeInfo | undefined {
    return this.catalog().byName.get(name);
  }
}

/** DescribeInstanceTypes filter names, each the path of the field it reads (lists are searched item by item). */
const filterPaths: Record<string, string> = {
  "auto-recovery-supported": "AutoRecoverySupported",
  "bare-metal": "BareMetal",
  "burstable-performance-supported": "BurstablePerformanceSupported",
  "current-generation": "CurrentGeneration",
  "dedicated-hosts-supported": "DedicatedHostsSupported",
  "ebs-info.attachment-limit-type": "EbsInfo.AttachmentLimitType",
  "ebs-info.maximum-ebs-attachments": "EbsInfo.MaximumEbsAttachments",
  "ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps": "EbsInfo.EbsOptimizedInfo.BaselineBandwidthInMbps",
  "ebs-info.ebs-optimized-info.baseline-iops": "EbsInfo.EbsOptimizedInfo.BaselineIops",
  "ebs-info.ebs-optimized-info.baseline-throughput-in-mbps": "EbsInfo.EbsOptimizedInfo.BaselineThroughputInMBps",
  "ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps": "EbsInfo.EbsOptimizedInfo.MaximumBandwidthInMbps",
  "ebs-info.ebs-optimized-info.maximum-iops": "EbsInfo.EbsOptimizedInfo.MaximumIops",
  "ebs-info.ebs-optimized-info.maximum-throughput-in-mbps": "EbsInfo.EbsOptimizedInfo.MaximumThroughputInMBps",
  "ebs-info.ebs-optimized-support": "EbsInfo.EbsOptimizedSupport",
  "ebs-info.encryption-support": "EbsInfo.EncryptionSupport",
  "ebs-info.nvme-support": "EbsInfo.NvmeSupport",
  "free-tier-eligible": "FreeTierEligible",
  "hibernation-supported": "HibernationSupported",
  hypervisor: "Hypervisor",
  "instance-storage-info.disk.count": "InstanceStorageInfo.Disks.Count",
  "instance-storage-info.disk.size-in-gb": "InstanceStorageInfo.Disks.SizeInGB",
  "instance-storage-info.disk.type": "InstanceStorageInfo.Disks.Type",
  "instance-storage-info.encryption-support": "InstanceStorageInfo.EncryptionSupport",
  "instance-storage-info.nvme-support": "InstanceStorageInfo.NvmeSupport",
  "instance-storage-info.total-size-in-gb": "InstanceStorageInfo.TotalSizeInGB",
  "instance-storage-supported": "InstanceStorageSupported",
  "instance-type": "InstanceType",
  "memory-info.size-in-mib": "MemoryInfo.SizeInMiB",
  "network-info.bandwidth-weightings": "NetworkInfo.BandwidthWeightings",
  "network-info.efa-info.maximum-efa-interfaces": "NetworkInfo.EfaInfo.MaximumEfaInterfaces",
  "network-info.efa-supported": "NetworkInfo.EfaSupported",
  "network-info.ena-support": "NetworkInfo.EnaSupport",
  "network-info.flexible-ena-queues-support": "NetworkInfo.FlexibleEnaQueuesSupport",
  "network-info.encryption-in-transit-supported": "NetworkInfo.EncryptionInTransitSupported",
  "network-info.ipv4-addresses-per-interface": "NetworkInfo.Ipv4AddressesPerInterface",
  "network-info.ipv6-addresses-per-interface": "NetworkInfo.Ipv6AddressesPerInterface",
  "network-info.ipv6-supported": "NetworkInfo.Ipv6Supported",
  "network-info.maximum-network-cards": "NetworkInfo.MaximumNetworkCards",
  "network-info.maximum-network-interfaces": "NetworkInfo.MaximumNetworkInterfaces",
  "network-info.network-performance": "NetworkInfo.NetworkPerformance",
  "nitro-enclaves-support": "NitroEnclavesSupport",
  "nitro-tpm-support": "NitroTpmSupport",
  "nitro-tpm-info.supported-versions": "NitroTpmInfo.SupportedVersions",
  "processor-info.supported-architecture": "ProcessorInfo.SupportedArchitectures",
  "processor-info.sustained-clock-speed-in-ghz": "ProcessorInfo.SustainedClockSpeedInGhz",
  "processor-info.supported-features": "ProcessorInfo.SupportedFeatures",
  "processor-info.manufacturer": "ProcessorInfo.Manufacturer",
  "reboot-migration-support": "RebootMigrationSupport",
  "supported-boot-mode": "SupportedBootModes",
  "supported-root-device-type": "SupportedRootDeviceTypes",
  "supported-usage-class": "SupportedUsageClasses",
  "supported-virtualization-type": "SupportedVirtualizationTypes",
  "vcpu-info.default-cores": "VCpuInfo.DefaultCores",
  "vcpu-info.default-threads-per-core": "VCpuInfo.DefaultThreadsPerCore",
  "vcpu-info.default-vcpus": "VCpuInfo.DefaultVCpus",
  "vcpu-info.valid-cores": "VCpuInfo.ValidCores",
  "vcpu-info.valid-threads-per-core": "VCpuInfo.ValidThreadsPerCore",
  // Not in EC2's documented list, but the facts every learner filters on first.
  "gpu-info.gpus.count": "GpuInfo.Gpus.Count",
  "gpu-info.gpus.manufacturer": "GpuInfo.Gpus.Manufacturer",
  "gpu-info.gpus.name": "GpuInfo.Gpus.Name",
  "gpu-info.total-gpu-memory-in-mib": "GpuInfo.TotalGpuMemoryInMiB",
};

/** The values at a dotted path, stepping into every item of a list on the way. */
function valuesAt(value: unknown, path: readonly string[]): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [String(value)];
  return valuesAt((value as Record<string, unknown>)[path[0]!], path.slice(1));
}

export const instanceTypeFilters: FilterSpec<InstanceTypeInfo> = {
  fields: Object.fromEntries(
    Object.entries(filterPaths).map(([name, path]) => {
      const steps = path.split(".");
      return [name, (type: InstanceTypeInfo) => valuesAt(type, steps)];
    }),
  ),
};
