// ExplainLaunchMatrix: every cell is ExplainLaunch's verdict on the same pair, and bad input is refused as EC2
// refuses it (the console's compatibility matrix is built on this call).
import { describe, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const { server } = shared;

/** Types of every kind the rules tell apart: first generation Xen, HVM-only Xen, Nitro, Graviton, GPU, metal, Mac. */
const types = ["t1.micro", "m1.small", "m3.medium", "c3.large", "m4.large", "t2.micro", "m5.large", "c5.large", "t3.nano", "a1.large", "c6g.large"];
const moreTypes = ["p3.2xlarge", "g4dn.xlarge", "i3.metal", "mac1.metal", "x1e.xlarge"];

interface Cell {
  imageId: string;
  instanceType: string;
  launchable: boolean;
  wouldBoot: boolean;
  failedRuleIds: string[];
  warningRuleIds: string[];
}

function listParams(name: string, values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((value, index) => [`${name}.${index + 1}`, value]));
}

/** The XML answer's items as plain values (one item parses as an object, none as an empty string). */
const items = <T>(set: unknown): T[] => (set && typeof set === "object" && "item" in set ? ([] as T[]).concat((set as { item: T | T[] }).item) : []);

async function matrix(imageIds: readonly string[], instanceTypes: readonly string[], zone?: string): Promise<Cell[]> {
  const result = await extension(server.url, "ExplainLaunchMatrix", {
    ...listParams("ImageId", imageIds),
    ...listParams("InstanceType", instanceTypes),
    ...(zone ? { AvailabilityZone: zone } : {}),
  });
  return items<any>(result.cellSet).map((cell) => ({
    imageId: cell.imageId,
    instanceType: cell.instanceType,
    launchable: cell.launchable === true,
    wouldBoot: cell.wouldBoot === true,
    failedRuleIds: items<string>(cell.failedRuleIdSet),
    warningRuleIds: items<string>(cell.warningRuleIdSet),
  }));
}

async function explain(imageId: string, instanceType: string, zone?: string) {
  const result = await extension(server.url, "ExplainLaunch", { ImageId: imageId, InstanceType: instanceType, ...(zone ? { AvailabilityZone: zone } : {}) });
  const checks = items<{ ruleId: string; outcome: string }>(result.checkSet);
  return {
    launchable: result.launchable === true,
    wouldBoot: result.wouldBoot === true,
    failedRuleIds: checks.filter((c) => c.outcome === "failed").map((c) => c.ruleId),
    warningRuleIds: checks.filter((c) => c.outcome === "warning").map((c) => c.ruleId),
  };
}

describe("ExplainLaunchMatrix", () => {
  it("answers one cell per image and type, images first, each as ExplainLaunch judges it", async () => {
    const imageIds = Object.values(shared.images);
    const cells = await matrix(imageIds, [...types, ...moreTypes]);
    expect(cells.map((c) => `${c.imageId} ${c.instanceType}`)).toEqual(imageIds.flatMap((id) => [...types, ...moreTypes].map((type) => `${id} ${type}`)));
    // The sample has every kind of verdict, or the comparison below would prove little.
    expect(cells.some((c) => c.launchable && c.wouldBoot)).toBe(true);
    expect(cells.some((c) => !c.launchable)).toBe(true);
    expect(cells.some((c) => c.launchable && !c.wouldBoot)).toBe(true);
    // Every fifth cell, compared with ExplainLaunch on the same pair.
    for (const cell of cells.filter((_c, index) => index % 5 === 0)) {
      const { imageId, instanceType, ...verdict } = cell;
      expect(verdict, `${imageId} on ${instanceType}`).toEqual(await explain(imageId, instanceType));
    }
  });

  it("judges the zone's offer when a zone is given, as ExplainLaunch does", async () => {
    const imageIds = [shared.images.al2023X86, shared.images.pvX86];
    const cells = await matrix(imageIds, types, "us-east-1a");
    for (const { imageId, instanceType, ...verdict } of cells) {
      expect(verdict, `${imageId} on ${instanceType} in us-east-1a`).toEqual(await explain(imageId, instanceType, "us-east-1a"));
    }
  });

  it("refuses unknown images and types together, naming each, and a product over its bound", async () => {
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => ({ name: "none", message: "" }),
        (error: Error) => error,
      );
    const unknownImages = await refusal(matrix([shared.images.al2023X86, "ami-00000000000000001", "ami-00000000000000002"], ["m5.large"]));
    expect(unknownImages.name).toBe("InvalidAMIID.NotFound");
    expect(unknownImages.message).toContain("ami-00000000000000001, ami-00000000000000002");
    const unknownTypes = await refusal(matrix([shared.images.al2023X86], ["m5.large", "m5.huge", "z9.nano"]));
    expect(unknownTypes.name).toBe("InvalidInstanceType");
    expect(unknownTypes.message).toContain("m5.huge, z9.nano");
    expect((await refusal(matrix(["not-an-ami"], ["m5.large"]))).name).toBe("InvalidAMIID.Malformed");
    expect((await refusal(matrix([shared.images.al2023X86], ["m5.large"], "us-east-1z"))).name).toBe("InvalidParameterValue");
    const missing = await refusal(extension(server.url, "ExplainLaunchMatrix", listParams("InstanceType", ["m5.large"])));
    expect(missing.name).toBe("MissingParameter");
    const tooMany = await refusal(
      matrix(
        Array.from({ length: 11 }, (_v, i) => `ami-${String(i).padStart(17, "0")}`),
        Array.from({ length: 1000 }, () => "m5.large").map((t, i) => (i === 0 ? t : `m5.x${i}`)),
      ),
    );
    expect(tooMany.name).toBe("InvalidParameterValue");
    expect(tooMany.message).toContain("at most 10000");
  });
});
