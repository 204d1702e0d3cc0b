// ExplainLaunchMatrix: ExplainLaunch's verdict for every pair of images and instance types at once, for the
// console's compatibility matrix. Each image is read once (its kernel and root snapshot's guest too) and each
// type's zone offer looked up once; every cell is then the same judge() over the same context ExplainLaunch builds
// (services/launch.ts resolve(), at default tenancy, the image's own kernel and block devices).
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { Offerings } from "../domain/catalog/offerings.js";
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { isWellFormedId } from "../domain/ids.js";
import { canLaunch, type Image } from "../domain/images.js";
import { launchContexts } from "../domain/launch-context.js";
import { judge, type LaunchContext, type LaunchJudgement } from "../domain/launch-rules.js";
import type { Topology } from "../domain/regions.js";
import type { ImagesRepo } from "../store/images-repo.js";

export interface MatrixCell {
  imageId: string;
  instanceType: string;
  launchable: boolean;
  wouldBoot: boolean;
  failedRuleIds: string[];
  warningRuleIds: string[];
}

/** Cells one call may judge: 100 images by 100 types, a screenful of the console's matrix at a time. */
export const maxMatrixCells = 10_000;

export interface LaunchMatrixDeps {
  images: ImagesRepo;
  catalog: InstanceTypeCatalog;
  offerings: Offerings;
  topology: Topology;
}

type ImageFacts = Pick<LaunchContext, "image" | "kernelId" | "kernel" | "guest">;

type CellVerdict = Omit<MatrixCell, "imageId" | "instanceType">;

function cellVerdict({ launchable, wouldBoot, verdicts }: LaunchJudgement): CellVerdict {
  return {
    launchable,
    wouldBoot,
    failedRuleIds: verdicts.filter((v) => v.outcome === "failed").map((v) => v.ruleId),
    warningRuleIds: verdicts.filter((v) => v.outcome === "warning").map((v) => v.ruleId),
  };
}

/** Every fact of an image the launch rules read (LaunchContext's image, kernel and guest), but its id. */
function factsKey({ image, kernelId, kernel, guest }: ImageFacts): string {
  const { virtualizationType, architecture, enaSupport, bootMode, platform, sriovNetSupport } = image;
  const kernelFacts = kernel && { imageType: kernel.imageType, architecture: kernel.architecture, name: kernel.name };
  return JSON.stringify([virtualizationType, architecture, enaSupport, bootMode, platform, sriovNetSupport, kernelId, kernelFacts, guest]);
}

export class LaunchMatrixService {
  constructor(private readonly deps: LaunchMatrixDeps) {}

  async explain(caller: Caller, imageIds: readonly string[], typeNames: readonly string[], zoneName?: string): Promise<MatrixCell[]> {
    const images = [...new Set(imageIds)];
    const typeList = [...new Set(typeNames)];
    if (images.length * typeList.length > maxMatrixCells) {
      throw Errors.invalidParameterValue(
        `ExplainLaunchMatrix judges at most ${maxMatrixCells} image and instance type pairs a call; ${images.length} images by ${typeList.length} types make ${images.length * typeList.length}. Split the request.`,
      );
    }
    const types = this.typesNamed(typeList);
    if (zoneName && !this.deps.topology.region(caller.region)?.zones.some((z) => z.zoneName === zoneName)) throw Errors.invalidZone(zoneName);
    const facts = await this.imageFacts(caller, images);
    const contextFor = launchContexts(this.deps.catalog, this.deps.offerings, caller.region, zoneName);
    const cells: MatrixCell[] = [];
    // Images with the same facts get the same verdicts (a rule's outcome reads the facts; only its words name the
    // image), so each set of facts is judged once against the types: an account's images are often copies of one,
    // and a screenful of them was 10,000 judgements of the same few.
    const rowsByFacts = new Map<string, CellVerdict[]>();
    for (const image of facts) {
      const key = factsKey(image);
      let row = rowsByFacts.get(key);
      if (!row) {
        row = types.map((type) => cellVerdict(judge(contextFor({ operation: "RunInstances", ...image, type, tenancy: "default" }))));
        rowsByFacts.set(key, row);
      }
      row.forEach((verdict, index) => cells.push({ imageId: image.image.imageId, instanceType: types[index]!.InstanceType!, ...verdict }));
    }
    return cells;
  }

  private typesNamed(names: readonly string[]): InstanceTypeInfo[] {
    const unknown = names.filter((name) => !this.deps.catalog.get(name));
    if (unknown.length) throw Errors.invalidInstanceTypes(unknown);
    return names.map((name) => this.deps.catalog.get(name)!);
  }

  /** The facts ExplainLaunch resolves for an image, for each one: unknown or hidden images are refused together, as DescribeImages refuses them. */
  private async imageFacts(caller: Caller, imageIds: readonly string[]): Promise<ImageFacts[]> {
    const malformed = imageIds.find((id) => !isWellFormedId(id, "ami"));
    if (malformed) throw Errors.amiMalformed(malformed);
    const found = await Promise.all(imageIds.map((id) => this.deps.images.find(caller.region, id)));
    const missing = imageIds.filter((_id, index) => {
      const image = found[index];
      return !image || !canLaunch(image, caller.accountId) || image.imageType !== "machine";
    });
    if (missing.length) throw Errors.amiNotFound(missing);
    return Promise.all((found as Image[]).map((image) => this.factsOf(caller, image)));
  }

  private async factsOf(caller: Caller, image: Image): Promise<ImageFacts> {
    const { images } = this.deps;
    const kernelId = image.virtualizationType === "paravirtual" ? image.kernelId : undefined;
    let kernel: LaunchContext["kernel"];
    if (kernelId && isWellFormedId(kernelId, "aki")) {
      const found = await images.find(caller.region, kernelId);
      if (found && canLaunch(found, caller.accountId)) kernel = found;
    }
    const snapshotId = image.blockDeviceMappings.find((m) => m.DeviceName === image.rootDeviceName)?.Ebs?.SnapshotId;
    const guest = snapshotId ? (await images.findSnapshot(caller.region, snapshotId))?.guest : undefined;
    return { image, ...(kernelId ? { kernelId } : {}), ...(kernel ? { kernel } : {}), ...(guest ? { guest } : {}) };
  }
}
