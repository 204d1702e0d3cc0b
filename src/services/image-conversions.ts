// StartImageConversion, DescribeImageConversions and CancelImageConversion (and EC2's DescribeConversionTasks and
// CancelConversionTask over the same runs): what the request alone can tell is checked here and refused at once;
// whether the source really converts is found out by the workflow's steps (src/services/workflows/convert-pv-to-hvm.ts).
import type { Caller } from "../domain/caller.js";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import { runsLinuxHvm } from "../domain/catalog/type-facts.js";
import { type ConversionInput, conversionWorkflowName, defaultTestInstanceType, plannedSteps } from "../domain/conversion.js";
import { Errors } from "../domain/errors.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import { validateImageName } from "../domain/images.js";
import type { RunRecord, StepRecord } from "../domain/workflows.js";
import type { ImagesRepo } from "../store/images-repo.js";
import type { WorkflowRepo } from "../store/workflow-repo.js";
import { visibleImage } from "./images.js";
import type { WorkflowRunner } from "./workflows/runner.js";

export interface StartConversionRequest {
  sourceImageId: string;
  name?: string;
  description?: string;
  testInstanceType?: string;
  enaSupport?: boolean;
  keepSourceImage?: boolean;
  keepArtifacts?: boolean;
  clientToken?: string;
}

export interface ConversionView {
  run: RunRecord & { input: ConversionInput };
  /** Every planned step, in order; those not started yet have no record. */
  steps: Array<{ name: string; does: string; record?: StepRecord }>;
}

export class ImageConversionService {
  constructor(
    private readonly runner: WorkflowRunner,
    private readonly runs: WorkflowRepo,
    private readonly images: ImagesRepo,
    private readonly catalog: InstanceTypeCatalog,
  ) {}

  async start(caller: Caller, request: StartConversionRequest): Promise<ConversionView> {
    const source = await visibleImage(this.images, caller, request.sourceImageId);
    const enaSupport = request.enaSupport === true;
    const input: ConversionInput = {
      sourceImageId: source.imageId,
      name: request.name ?? `${source.name.slice(0, 124)}-hvm`,
      ...(request.description !== undefined ? { description: request.description } : {}),
      testInstanceType: request.testInstanceType ?? defaultTestInstanceType(enaSupport),
      enaSupport,
      keepSourceImage: request.keepSourceImage !== false,
    };
    if (request.clientToken) {
      const earlier = await this.runs.findByClientToken(caller, request.clientToken);
      if (earlier) {
        if (JSON.stringify(earlier.input) !== JSON.stringify(input) || earlier.keepArtifacts !== (request.keepArtifacts === true))
          throw Errors.idempotentParameterMismatch(request.clientToken);
        return this.view(earlier);
      }
    }
    validateImageName(input.name);
    const taken = await this.images.findByName(caller.accountId, caller.region, input.name);
    if (taken) throw Errors.amiNameDuplicate(input.name, taken);
    this.checkTestType(input.testInstanceType, enaSupport);
    if (!input.keepSourceImage && source.accountId !== caller.accountId) {
      throw Errors.invalidParameterCombination(
        `KeepSourceImage=false deregisters ${source.imageId} at the end, and only its owner (${source.accountId}) may. Keep the source, or convert an image you own.`,
      );
    }
    const runId = await this.runner.start(conversionWorkflowName, input, {
      accountId: caller.accountId,
      region: caller.region,
      keepArtifacts: request.keepArtifacts === true,
      runId: newId("import-ami"),
      ...(request.clientToken ? { clientToken: request.clientToken } : {}),
    });
    return (await this.describe(caller, [runId]))[0]!;
  }

  /** The caller's conversions in its region (all, or exactly these ids), oldest first. */
  async describe(caller: Caller, ids?: readonly string[]): Promise<ConversionView[]> {
    for (const id of ids ?? []) if (!isWellFormedId(id, "import-ami")) throw Errors.conversionTaskMalformed(id);
    const runs = await this.runs.runsOf(caller, conversionWorkflowName, ids);
    const missing = (ids ?? []).find((id) => !runs.some((run) => run.runId === id));
    if (missing) throw Errors.conversionTaskNotFound(missing);
    return Promise.all(runs.map((run) => this.view(run)));
  }

  /** Asks a conversion in flight to stop at its next step and clean up (unless it keeps its artifacts). */
  async cancel(caller: Caller, id: string): Promise<ConversionView> {
    const [view] = await this.describe(caller, [id]);
    if (!(await this.runner.cancel(id))) {
      throw Errors.incorrectState(
        `The conversion task '${id}' is ${view!.run.state === "compensating" ? "already cancelling" : view!.run.state}; only an active conversion can be cancelled.`,
      );
    }
    return (await this.describe(caller, [id]))[0]!;
  }

  private async view(run: RunRecord): Promise<ConversionView> {
    const records = new Map((await this.runs.steps(run.runId)).map((step) => [step.name, step]));
    const input = run.input as ConversionInput;
    return {
      run: { ...run, input },
      steps: plannedSteps(input).map((step) => ({ name: step.name, does: step.does, ...(records.has(step.name) ? { record: records.get(step.name)! } : {}) })),
    };
  }

  private checkTestType(typeName: string, enaSupport: boolean): void {
    const type = this.catalog.get(typeName);
    if (!type) throw Errors.invalidInstanceType(typeName);
    if (!runsLinuxHvm(type)) {
      throw Errors.invalidParameterCombination(
        `TestInstanceType ${typeName} does not run Linux HVM guests. Choose an HVM type such as t2.micro, m4.large or m5.large.`,
      );
    }
    if (!enaSupport && type.NetworkInfo?.EnaSupport === "required") {
      throw Errors.invalidParameterCombination(
        `TestInstanceType ${typeName} requires ENA, and EnaSupport is false. Pass EnaSupport=true (the guest needs the ena driver), or test on a Xen type such as t2.micro or m4.large.`,
      );
    }
  }
}
