// The oversubscription rule (src/domain/oversubscription.ts) against the T3 host AWS publishes, the footprint it
// gives placement, and the contention model's pinned threads.
import { describe, expect, it } from "vitest";
import { type ContentionGuest, serverContention } from "../../src/domain/contention.js";
import { footprintOf } from "../../src/domain/fleet.js";
import { hostConfiguration, hostUnitsOf } from "../../src/domain/host-families.js";
import { isPinned, vCpusPerThread } from "../../src/domain/oversubscription.js";
import { readInstanceTypes } from "../../src/store/catalog-files.js";

const catalog = readInstanceTypes();
const typeOf = (name: string) => catalog.find((type) => type.InstanceType === name)!;

describe("vCPUs per thread", () => {
  it("is what AWS's T3 host holds of each size: its published count times the size's vCPUs over the host's vCPUs", () => {
    const host = hostConfiguration("t3", catalog, 2);
    for (const name of ["t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge"]) {
      const type = typeOf(name);
      const perHost = host.units / hostUnitsOf(type);
      expect((perHost * type.VCpuInfo!.DefaultVCpus!) / host.vCpus, name).toBe(vCpusPerThread(name));
    }
  });

  it("applies by analogy to T2, T3a and T4g, and leaves every other type pinned", () => {
    expect([vCpusPerThread("t2.micro"), vCpusPerThread("t3a.medium"), vCpusPerThread("t4g.2xlarge")]).toEqual([4, 4, 2]);
    expect([vCpusPerThread("m5.large"), vCpusPerThread("c5.metal"), vCpusPerThread("t1.micro")]).toEqual([1, 1, 1]);
    expect([isPinned("m5.large"), isPinned("t3.micro")]).toEqual([true, false]);
  });

  it("divides the footprint's vCPUs, never its memory or cores", () => {
    const micro = typeOf("t3.micro");
    expect(footprintOf(micro)).toMatchObject({ vCpus: 0.5, memoryMiB: micro.MemoryInfo!.SizeInMiB, cores: micro.VCpuInfo!.DefaultCores });
    expect(footprintOf(typeOf("t3.2xlarge")).vCpus).toBe(4);
    expect(footprintOf(typeOf("m5.large")).vCpus).toBe(2);
  });
});

describe("contention with pinned guests", () => {
  const server = { hypervisor: "nitro" as const, cores: 2, threadsPerCore: 2, singleTenant: false };
  const burst = { cpuPercent: 100, diskIops: 0, networkMbps: 0 };
  const guest = (instanceId: string, pinned: boolean): ContentionGuest => ({ instanceId, vCpus: 2, workload: burst, networkPath: "ena", pinned });

  it("a pinned guest never steals; the shared guests split the threads it leaves", () => {
    const [m5, ...t3] = serverContention(server, [guest("i-m5", true), ...["a", "b", "c", "d"].map((id) => guest(`i-t3-${id}`, false))]);
    expect(m5).toMatchObject({ cpuStealPercent: 0, deliveredCpuPercent: 100 });
    // 8 vCPUs of demand on the 2 threads left: a quarter each.
    for (const result of t3) expect(result).toMatchObject({ cpuStealPercent: 75, deliveredCpuPercent: 25 });
  });

  it("an idle pinned guest still holds its threads", () => {
    const idle = { ...guest("i-m5", true), workload: { ...burst, cpuPercent: 0 } };
    const [, shared] = serverContention(server, [idle, guest("i-t3-a", false), guest("i-t3-b", false)]);
    expect(shared!.cpuStealPercent).toBe(50);
  });
});
