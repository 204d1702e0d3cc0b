// Steps that several lessons take: a launch, a call whose answer names something later steps use, and a look at
// whether an instance booted.
import { items, text, type XmlObject } from "../api/xml.js";
import { type LessonState, type LessonStep, notYet, passed, type StepOutcome, type StepRequest } from "./lesson.js";

export const lessonZone = "us-east-1a";

/** RunInstances of one instance of the image found under `imageKey`, its id saved under `saveAs`. */
export function launchStep(
  title: string,
  explain: string,
  launch: { imageKey: string; instanceType: string; saveAs: string; placement?: (state: LessonState) => Record<string, string> },
): LessonStep {
  return {
    title,
    explain,
    request: (state) => ({
      api: "ec2",
      action: "RunInstances",
      params: {
        ImageId: state.get(launch.imageKey),
        InstanceType: launch.instanceType,
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: lessonZone, ...launch.placement?.(state) },
      },
    }),
    check: (answer, state) => {
      const instanceId = text(items(answer.instancesSet)[0]?.instanceId);
      if (!instanceId) return notYet("The answer holds no instance.");
      state.set(launch.saveAs, instanceId);
      return passed(`Launched ${instanceId}.`);
    },
  };
}

/** A call that starts something (a conversion, a migration): the id its answer names is saved under `saveAs`. */
export function startStep(
  title: string,
  explain: string,
  start: { request: (state: LessonState) => StepRequest; idMember: string; saveAs: string; what: string },
): LessonStep {
  return {
    title,
    explain,
    request: start.request,
    check: (answer, state) => {
      const id = text(answer[start.idMember]);
      state.set(start.saveAs, id);
      return passed(`${start.what} ${id} started.`);
    },
  };
}

/** DescribeInstanceBoot's verdict: booted, failed with its reason, or not run yet. */
export function bootVerdict(answer: XmlObject): "booted" | "failed" | "not-yet" {
  const booted = text(answer.booted);
  return booted === "true" ? "booted" : booted === "false" ? "failed" : "not-yet";
}

/** DescribeInstanceBoot of the instance under `instanceKey`, passed once it has booted. */
export function bootedStep(title: string, explain: string, instanceKey: string, bootedMessage: string): LessonStep {
  return {
    title,
    explain,
    request: (state) => ({ api: "extensions", action: "DescribeInstanceBoot", params: { InstanceId: state.get(instanceKey) } }),
    check: (answer): StepOutcome => {
      const verdict = bootVerdict(answer);
      if (verdict === "booted") return passed(bootedMessage);
      if (verdict === "failed") return notYet(`It did not boot: ${text(answer.failure)}`);
      return notYet("Not running yet: advance the clock and run this step again.");
    },
  };
}
