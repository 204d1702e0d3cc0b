// The catalog data agrees with itself and with the topology, and holds the facts table's types.
import { describe, expect, it } from "vitest";
import { loadTopology } from "../../src/server.js";
import { readInstanceTypes, readOfferings } from "../../src/store/catalog-files.js";

const types = readInstanceTypes();
const offerings = readOfferings();
const topology = loadTopology(new URL("../../config/regions.json", import.meta.url).pathname);

describe("the catalog data", () => {
  it("offers only catalogued types, only in zones the topology has", () => {
    const names = new Set(types.map((t) => t.InstanceType));
    for (const [region, { types: offered }] of Object.entries(offerings)) {
      const letters = new Set(topology.region(region)!.zones.map((z) => z.zoneName.slice(region.length)));
      for (const [type, zones] of Object.entries(offered)) {
        expect(names.has(type as never), `${type} in ${region}`).toBe(true);
        for (const letter of zones) expect(letters.has(letter), `${region}${letter}`).toBe(true);
      }
    }
  });

  it("holds every type of the facts table, and vCPUs are cores × threads everywhere", () => {
    const required = [
      "t1.micro",
      "m1.small",
      "m1.large",
      "m2.xlarge",
      "c1.medium",
      "m3.medium",
      "c3.large",
      "r3.large",
      "i2.xlarge",
      "hs1.8xlarge",
      "cc2.8xlarge",
      "g2.2xlarge",
      "t2.micro",
      "m4.large",
      "c4.large",
      "r4.large",
      "x1.16xlarge",
      "p2.xlarge",
      "p3.2xlarge",
      "d2.xlarge",
      "i3.large",
      "f1.2xlarge",
      "t3.micro",
      "t3a.micro",
      "m5.large",
      "c5.large",
      "c5n.large",
      "r5.large",
      "m5d.large",
      "g4dn.xlarge",
      "p3dn.24xlarge",
      "p4d.24xlarge",
      "a1.large",
      "m6g.large",
      "c6g.large",
      "t4g.micro",
      "m7i.large",
      "c7g.large",
      "g5.xlarge",
      "m5.metal",
      "c5.metal",
      "i3.metal",
      "mac1.metal",
    ];
    const names = new Set(types.map((t) => t.InstanceType as string));
    expect(required.filter((name) => !names.has(name))).toEqual([]);
    for (const type of types) {
      const { DefaultVCpus, DefaultCores, DefaultThreadsPerCore } = type.VCpuInfo!;
      if (DefaultCores !== undefined) expect(DefaultVCpus, type.InstanceType).toBe(DefaultCores * DefaultThreadsPerCore!);
    }
  });
});
