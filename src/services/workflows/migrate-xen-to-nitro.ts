// The Xen to Nitro migration as a durable workflow, after AWS's AWSSupport-MigrateXenToNitroLinux runbook: the
// preliminary checks, then on a clone (an AMI of the instance, a new instance from it) the runbook's preparation,
// each a guest repair applied to the clone's root volume, then stop, the Nitro type, EnaSupport, start, the status
// checks and the golden AMI. Everything it makes is tagged with the task id, so it shows in Describe* calls.
// Each step looks for what an earlier attempt made before making it (images by their step tag, the clone by a
// client token from the step's idempotency key), and the repairs and attribute changes are idempotent themselves.
// docs/nitro-migration.md tells the story.
import { createHash } from "node:crypto";
import type { Clock } from "../../domain/clock.js";
import { applyGuestRepair, RepairRefused } from "../../domain/guest-repairs.js";
import { imageState } from "../../domain/images.js";
import { currentState, type InstanceStateName } from "../../domain/instances.js";
import { cloneRepairs, firstFailure, type NitroMigrationInput, nitroMigrationWorkflowName } from "../../domain/nitro-migration.js";
import { PermanentFailure } from "../../domain/workflows.js";
import type { ImagesRepo } from "../../store/images-repo.js";
import type { TagsRepo } from "../../store/tags-repo.js";
import type { VolumesRepo } from "../../store/volumes-repo.js";
import type { CreateImageService } from "../create-image.js";
import type { ImageService } from "../images.js";
import type { InstanceService } from "../instances.js";
import type { LaunchService } from "../launch.js";
import type { NitroMigrationChecks } from "../nitro-migration-checks.js";
import type { StepContext, WorkflowDefinition } from "./registry.js";
import { ignoreMissing, permanent, stepRunner, stepToolkit } from "./step-toolkit.js";

export interface NitroMigrationDeps {
  checks: NitroMigrationChecks;
  instances: InstanceService;
  launcher: LaunchService;
  imageCreator: CreateImageService;
  images: ImageService;
  imagesRepo: ImagesRepo;
  volumesRepo: VolumesRepo;
  tags: TagsRepo;
  clock: Clock;
  /** How often a step looks again at a resource that is still settling (wall clock). */
  pollMs?: number;
  /** Test only: called after a step's effect, before its result is stored (the crash tests kill the process here). */
  afterStepEffect?: (step: string) => void;
}

export interface NitroMigrationOutput {
  cloneInstanceId?: string;
  goldenImageId?: string;
}

export const migrationTaskTagKey = "mini-ec2:nitro-migration-task-id";
export const migrationStepTagKey = "mini-ec2:nitro-migration-step";
const retry = { attempts: 3, backoffMs: 500 };

export function nitroMigrationWorkflow(deps: NitroMigrationDeps): WorkflowDefinition<NitroMigrationInput, NitroMigrationOutput> {
  const pollMs = deps.pollMs ?? 200;
  const now = () => deps.clock.now();

  return {
    name: nitroMigrationWorkflowName,
    version: 1,
    async run({ runId, input, accountId, region, step }) {
      const { caller, tags, made, until } = stepToolkit({
        runId,
        accountId: accountId!,
        region: region!,
        actor: "mini-ec2-nitro-migration",
        taskTagKey: migrationTaskTagKey,
        stepTagKey: migrationStepTagKey,
        tags: deps.tags,
        pollMs,
      });
      const run = stepRunner(step, retry, deps.afterStepEffect);
      const stateOf = async (instanceId: string) => currentState(await deps.instances.getOne(caller, instanceId), now());
      const reach = (context: StepContext, instanceId: string, wanted: InstanceStateName, passing: InstanceStateName) =>
        until(context, `${instanceId} to be ${wanted}`, async () => {
          const state = await stateOf(instanceId);
          if (state === wanted) return state;
          if (state !== passing) throw new PermanentFailure(`The clone ${instanceId} is ${state}, not ${wanted}.`);
          return undefined;
        });
      const imageOf = async (context: StepContext, name: string, instanceId: string, imageName: string, label: string) => {
        const imageId =
          (await made("image", name)) ??
          (
            await permanent(() =>
              deps.imageCreator.create(caller, {
                instanceId,
                name: imageName,
                description: `${label} of ${input.instanceId}, made by ${runId}`,
                blockDeviceMappings: [],
                imageTags: tags(name, label),
                snapshotTags: tags(name, `${label} snapshot`),
              }),
            )
          ).imageId;
        await until(context, `image ${imageId} to be available`, async () =>
          imageState((await deps.imagesRepo.find(caller.region, imageId))!, now()) === "available" ? true : undefined,
        );
        return imageId;
      };

      const checked = await run("preliminary-checks", async () => {
        const report = await permanent(() => deps.checks.report(caller, input));
        const failed = firstFailure(report.checks);
        if (failed) throw new PermanentFailure(`${failed.name}: ${failed.detail}`);
        return { sourceInstanceType: report.facts.instanceType, availabilityZone: report.facts.availabilityZone, passed: report.checks.length };
      });
      if (input.operationType === "CheckOnly") return {};

      const cloneImage = await run(
        "create-clone-image",
        async (context) => ({
          imageId: await imageOf(context, "create-clone-image", input.instanceId, `${input.instanceId}-nitro-clone-${runId}`, "clone AMI"),
        }),
        { compensate: (result) => ignoreMissing(deps.images.deregister(caller, result.imageId)) },
      );

      const clone = await run(
        "launch-clone",
        async (context) => {
          const { instances } = await permanent(() =>
            deps.launcher.run(caller, {
              imageId: cloneImage.imageId,
              instanceType: checked.sourceInstanceType,
              minCount: 1,
              maxCount: 1,
              placement: { availabilityZone: checked.availabilityZone },
              clientToken: `nitro-${createHash("sha256").update(context.idempotencyKey).digest("hex").slice(0, 40)}`,
              instanceTags: tags("launch-clone", `Nitro clone of ${input.instanceId}`),
              volumeTags: tags("launch-clone", `root volume of the Nitro clone of ${input.instanceId}`),
            }),
          );
          const instanceId = instances[0]!.instanceId;
          await reach(context, instanceId, "running", "pending");
          return { instanceId };
        },
        { compensate: (result) => ignoreMissing(deps.instances.change(caller, "terminate", [result.instanceId])) },
      );

      // The runbook runs these on the running clone through SSM: here each changes the guest on its root volume.
      for (const { step: name, repair } of cloneRepairs) {
        await run(name, async () => {
          const instance = await deps.instances.getOne(caller, clone.instanceId);
          const root = (await deps.instances.attachedVolumes(caller, instance)).find((volume) => volume.attachment.device === instance.rootDeviceName);
          if (!root?.guest) throw new PermanentFailure(`The clone ${clone.instanceId} has no guest on its root device ${instance.rootDeviceName}.`);
          try {
            const outcome = applyGuestRepair(root.guest, repair);
            if (outcome.changed) await deps.volumesRepo.setGuest(caller, root.volumeId, outcome.guest);
            return { volumeId: root.volumeId, changed: outcome.changed, commands: outcome.commands };
          } catch (error) {
            if (error instanceof RepairRefused) throw new PermanentFailure(`${repair} cannot be applied to the clone ${clone.instanceId}: ${error.message}`);
            throw error;
          }
        });
      }

      await run("stop-clone", async (context) => {
        if ((await stateOf(clone.instanceId)) !== "stopped") await permanent(() => deps.instances.change(caller, "stop", [clone.instanceId]));
        await reach(context, clone.instanceId, "stopped", "stopping");
        return { instanceId: clone.instanceId };
      });
      await run("set-nitro-instance-type", async () => {
        const instance = await deps.instances.getOne(caller, clone.instanceId);
        if (instance.instanceType !== input.targetInstanceType)
          await permanent(() => deps.instances.modify(caller, clone.instanceId, { instanceType: input.targetInstanceType }));
        return { from: checked.sourceInstanceType, to: input.targetInstanceType };
      });
      await run("enable-ena-support", async () => {
        if (!(await deps.instances.getOne(caller, clone.instanceId)).enaSupport)
          await permanent(() => deps.instances.modify(caller, clone.instanceId, { enaSupport: true }));
        return { enaSupport: true };
      });
      await run("start-clone", async (context) => {
        if ((await stateOf(clone.instanceId)) !== "running") await permanent(() => deps.instances.change(caller, "start", [clone.instanceId]));
        await reach(context, clone.instanceId, "running", "pending");
        return { instanceId: clone.instanceId };
      });
      await run("wait-for-status-checks", async (context) => {
        const status = await until(context, "the clone's status checks", async () => {
          const checks = await deps.instances.statusChecks(caller, await deps.instances.getOne(caller, clone.instanceId));
          return checks === "ok" || checks === "impaired" ? checks : undefined;
        });
        if (status === "impaired") {
          const boot = await deps.instances.boot(caller, await deps.instances.getOne(caller, clone.instanceId));
          throw new PermanentFailure(
            `The clone ${clone.instanceId} on ${input.targetInstanceType} failed its reachability check: ${boot?.failure ?? "it did not boot"}. Its console ends: ${(boot?.lines ?? []).slice(-2).join(" / ")}`,
          );
        }
        return { status };
      });
      const golden = await run("create-golden-ami", async (context) => ({
        imageId: await imageOf(context, "create-golden-ami", clone.instanceId, `${input.instanceId}-${input.targetInstanceType}-golden-${runId}`, "golden AMI"),
      }));
      return { cloneInstanceId: clone.instanceId, goldenImageId: golden.imageId };
    },
  };
}
