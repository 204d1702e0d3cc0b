// The image conversion: mini-ec2's StartImageConversion, DescribeImageConversions and CancelImageConversion
// (extension model), and EC2's own DescribeConversionTasks and CancelConversionTask over the same runs, so that
// `waitUntilConversionTaskCompleted` and `aws ec2 wait conversion-task-completed` wait on a conversion.
import type { CancelConversionRequest, ConversionTask, DescribeConversionTasksRequest, DescribeConversionTasksResult } from "@aws-sdk/client-ec2";
import { artifactsOf, conversionTaskState, statusMessage } from "../domain/conversion.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { ConversionView, ImageConversionService } from "../services/image-conversions.js";

interface StartInput {
  SourceImageId: string;
  Name?: string;
  Description?: string;
  TestInstanceType?: string;
  EnaSupport?: boolean;
  KeepSourceImage?: boolean;
  KeepArtifacts?: boolean;
  ClientToken?: string;
}

/** EC2 keeps a conversion task's record for a week. */
const expiresAfterMs = 7 * 24 * 3600 * 1000;

export function conversionExtensionOperations(conversions: ImageConversionService): OperationTable {
  return {
    StartImageConversion: operation<StartInput, object>({
      async handle(input, caller) {
        const view = await conversions.start(caller, {
          sourceImageId: input.SourceImageId,
          ...(input.Name !== undefined ? { name: input.Name } : {}),
          ...(input.Description !== undefined ? { description: input.Description } : {}),
          ...(input.TestInstanceType !== undefined ? { testInstanceType: input.TestInstanceType } : {}),
          ...(input.EnaSupport !== undefined ? { enaSupport: input.EnaSupport } : {}),
          ...(input.KeepSourceImage !== undefined ? { keepSourceImage: input.KeepSourceImage } : {}),
          ...(input.KeepArtifacts !== undefined ? { keepArtifacts: input.KeepArtifacts } : {}),
          ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
        });
        return { ConversionTaskId: view.run.runId, ImageConversion: imageConversion(view) };
      },
    }),
    DescribeImageConversions: operation<{ ConversionTaskIds?: string[] }, object>({
      async handle(input, caller) {
        return { ImageConversions: (await conversions.describe(caller, input.ConversionTaskIds)).map(imageConversion) };
      },
    }),
    CancelImageConversion: operation<{ ConversionTaskId: string }, object>({
      async handle(input, caller) {
        return { ImageConversion: imageConversion(await conversions.cancel(caller, input.ConversionTaskId)) };
      },
    }),
  };
}

export function conversionTaskOperations(conversions: ImageConversionService): OperationTable {
  return {
    DescribeConversionTasks: operation<DescribeConversionTasksRequest, DescribeConversionTasksResult>({
      async handle(input, caller) {
        return { ConversionTasks: (await conversions.describe(caller, input.ConversionTaskIds)).map(conversionTask) };
      },
    }),
    CancelConversionTask: operation<CancelConversionRequest, object>({
      async handle(input, caller) {
        await conversions.cancel(caller, input.ConversionTaskId!);
        return {};
      },
    }),
  };
}

const stepViews = (view: ConversionView) => view.steps.map((step) => ({ name: step.name, state: step.record?.state ?? ("pending" as const) }));

function conversionTask(view: ConversionView): ConversionTask {
  const { run } = view;
  return {
    ConversionTaskId: run.runId,
    ExpirationTime: new Date(run.createdAt.getTime() + expiresAfterMs).toISOString(),
    State: conversionTaskState(run.state),
    StatusMessage: statusMessage(run, stepViews(view)),
    Tags: [],
  };
}

function imageConversion(view: ConversionView) {
  const { run } = view;
  return {
    ConversionTaskId: run.runId,
    SourceImageId: run.input.sourceImageId,
    Name: run.input.name,
    ImageId: (run.output as { imageId?: string } | undefined)?.imageId,
    State: run.state,
    ConversionTaskState: conversionTaskState(run.state),
    StatusMessage: statusMessage(run, stepViews(view)),
    FailureReason: run.failureReason,
    TestInstanceType: run.input.testInstanceType,
    EnaSupport: run.input.enaSupport,
    KeepSourceImage: run.input.keepSourceImage,
    KeepArtifacts: run.keepArtifacts,
    CancelRequested: run.cancelRequested,
    CreateTime: run.createdAt,
    UpdateTime: run.updatedAt,
    Steps: view.steps.map(stepWire),
  };
}

/** A workflow's planned step as both workflows' Describe operations show it: not started yet, it is pending. */
export function stepWire(step: ConversionView["steps"][number]) {
  return {
    Name: step.name,
    Description: step.does,
    State: step.record?.state ?? "pending",
    Attempts: step.record?.attempts ?? 0,
    Artifacts: artifactsOf(step.record?.result),
    Error: step.record?.error,
    Compensation: step.record?.compensation,
  };
}
