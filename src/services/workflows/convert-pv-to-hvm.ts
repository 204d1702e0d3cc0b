// The PV → HVM conversion as a durable workflow: each step makes or changes real mini-ec2 resources through the
// same services the API uses, tagged with the task id, so they show in Describe* calls while the run goes on.
// A step may run again after a crash (its effect done, its result not yet stored), so each looks for what an
// earlier attempt made before making it: resources by their step tag, launches by a client token derived from
// the step's idempotency key, guest changes computed from the unchanging source. docs/conversion.md tells the story.
import { createHash } from "node:crypto";
import { amazonAccountId } from "../../domain/catalog/amazon-images.js";
import type { Clock } from "../../domain/clock.js";
import {
  type ConversionInput,
  checkSourceGuest,
  checkSourceImage,
  conversionWorkflowName,
  copyFilesystemToPartition,
  destinationSize,
  installGrubInMbr,
} from "../../domain/conversion.js";
import { imageState } from "../../domain/images.js";
import { currentState } from "../../domain/instances.js";
import { rootMapping } from "../../domain/root-volume.js";
import { snapshotState } from "../../domain/snapshots.js";
import { attachmentState, liveAttachments, volumeState } from "../../domain/volumes.js";
import { PermanentFailure } from "../../domain/workflows.js";
import type { ImagesRepo } from "../../store/images-repo.js";
import type { TagsRepo } from "../../store/tags-repo.js";
import type { VolumesRepo } from "../../store/volumes-repo.js";
import type { AttachmentService } from "../attachments.js";
import { type ImageService, visibleImage } from "../images.js";
import type { InstanceService } from "../instances.js";
import type { LaunchService } from "../launch.js";
import type { SnapshotService } from "../snapshots.js";
import type { VolumeService } from "../volumes.js";
import type { StepContext, WorkflowDefinition } from "./registry.js";
import { ignoreMissing, permanent, stepRunner, stepToolkit } from "./step-toolkit.js";

export interface ConversionDeps {
  images: ImageService;
  imagesRepo: ImagesRepo;
  volumes: VolumeService;
  volumesRepo: VolumesRepo;
  snapshots: SnapshotService;
  launcher: LaunchService;
  instances: InstanceService;
  attachments: AttachmentService;
  tags: TagsRepo;
  clock: Clock;
  /** How often a step looks again at a resource that is still settling (wall clock). */
  pollMs?: number;
  /** Test hook: called after a step's effect, before its result is stored (the crash test SIGKILLs here). */
  afterStepEffect?: (step: string) => void;
}

export interface ConversionOutput {
  imageId: string;
  snapshotId: string;
}

export const taskTagKey = "mini-ec2:conversion-task-id";
export const stepTagKey = "mini-ec2:conversion-step";
/** The PV helper: the seeded Amazon Linux PV image, on a Xen type that runs PV guests. */
const helperImageName = "amzn-ami-pv-2013.09.2.x86_64-ebs";
const helperInstanceType = "m3.medium";
const sourceDevice = "/dev/sdm";
const destinationDevice = "/dev/sdo";
const retry = { attempts: 3, backoffMs: 500 };

export function conversionWorkflow(deps: ConversionDeps): WorkflowDefinition<ConversionInput, ConversionOutput> {
  const pollMs = deps.pollMs ?? 200;
  const now = () => deps.clock.now();

  return {
    name: conversionWorkflowName,
    version: 1,
    async run({ runId, input, accountId, region, step }) {
      const { caller, tags, made, until } = stepToolkit({
        runId,
        accountId: accountId!,
        region: region!,
        actor: "mini-ec2-conversion",
        taskTagKey: taskTagKey,
        stepTagKey: stepTagKey,
        tags: deps.tags,
        pollMs,
      });
      const settles = (context: StepContext, what: string, settled: () => Promise<boolean>) =>
        until(context, what, async () => ((await settled()) ? true : undefined));
      const run = stepRunner(step, retry, deps.afterStepEffect);
      const launchToken = (context: StepContext) => `conv-${createHash("sha256").update(context.idempotencyKey).digest("hex").slice(0, 40)}`;
      const launch = async (context: StepContext, name: string, imageId: string, instanceType: string, label: string) => {
        const { instances } = await deps.launcher.run(caller, {
          imageId,
          instanceType,
          minCount: 1,
          maxCount: 1,
          clientToken: launchToken(context),
          instanceTags: tags(name, label),
          volumeTags: tags(name, `root volume of the ${label}`),
        });
        return instances[0]!;
      };
      const running = (context: StepContext, instanceId: string, what: string) =>
        until(context, what, async () => {
          const instance = await deps.instances.getOne(caller, instanceId);
          const state = currentState(instance, now());
          if (state === "running") return instance;
          if (state !== "pending") throw new Error(`the ${what} is ${state}`);
          return undefined;
        });
      const terminate = async (instanceId: string) => {
        await ignoreMissing(deps.instances.change(caller, "terminate", [instanceId]));
      };
      const discardVolume = async (context: StepContext, volumeId: string) => {
        const volume = await deps.volumesRepo.find(caller, volumeId);
        if (!volume) return;
        // The conversion's volumes are single-attach: at most one attachment stands.
        const [attachment] = liveAttachments(volume, now());
        if (attachment) await deps.attachments.detach(caller, { volumeId, force: true });
        await settles(
          context,
          `volume ${volumeId} to be free`,
          async () => volumeState((await deps.volumesRepo.find(caller, volumeId)) ?? volume, now()) === "available",
        );
        await ignoreMissing(deps.volumes.delete(caller, volumeId));
      };
      const createVolume = async (
        context: StepContext,
        name: string,
        spec: { availabilityZone: string; size?: number; snapshotId?: string },
        label: string,
      ) => {
        const volumeId =
          (await made("volume", name)) ??
          (
            await deps.volumes.create(caller, {
              availabilityZone: spec.availabilityZone,
              volumeType: "gp2",
              ...(spec.size ? { size: spec.size } : {}),
              ...(spec.snapshotId ? { snapshotId: spec.snapshotId } : {}),
              tags: tags(name, label),
            })
          ).volumeId;
        await settles(
          context,
          `volume ${volumeId} to be available`,
          async () => volumeState((await deps.volumesRepo.find(caller, volumeId))!, now()) === "available",
        );
        return { volumeId };
      };

      const source = await run("check-source", async () => {
        const image = await permanent(() => visibleImage(deps.imagesRepo, caller, input.sourceImageId));
        checkSourceImage(image);
        const snapshotId = (await permanent(async () => rootMapping(image))).Ebs.SnapshotId;
        const snapshot = await deps.imagesRepo.findSnapshot(caller.region, snapshotId);
        const guest = checkSourceGuest(image.imageId, snapshot?.guest, input);
        return {
          sourceSnapshotId: snapshotId,
          architecture: image.architecture,
          destinationSize: destinationSize(snapshot!.volumeSize, guest),
          sriov: guest.kernel.drivers.ixgbevf,
        };
      });

      const helper = await run(
        "launch-helper",
        async (context) => {
          const helperImageId = await deps.imagesRepo.findByName(amazonAccountId, caller.region, helperImageName);
          if (!helperImageId) throw new PermanentFailure(`This region has no ${helperImageName} image to launch the PV helper from.`);
          const instance = await launch(context, "launch-helper", helperImageId, helperInstanceType, "conversion helper");
          await running(context, instance.instanceId, "helper instance");
          return { instanceId: instance.instanceId, availabilityZone: instance.availabilityZone };
        },
        { compensate: (result) => terminate(result.instanceId) },
      );

      const destination = await run(
        "create-destination-volume",
        (context) =>
          createVolume(
            context,
            "create-destination-volume",
            { availabilityZone: helper.availabilityZone, size: source.destinationSize },
            "conversion destination",
          ),
        {
          compensate: (result, context) => discardVolume(context, result.volumeId),
        },
      );
      const sourceVolume = await run(
        "create-source-volume",
        (context) =>
          createVolume(
            context,
            "create-source-volume",
            { availabilityZone: helper.availabilityZone, snapshotId: source.sourceSnapshotId },
            "conversion source copy",
          ),
        {
          compensate: (result, context) => discardVolume(context, result.volumeId),
        },
      );

      await run("attach-volumes", async (context) => {
        for (const [volumeId, device] of [
          [sourceVolume.volumeId, sourceDevice],
          [destination.volumeId, destinationDevice],
        ] as const) {
          const [attachment] = liveAttachments((await deps.volumesRepo.find(caller, volumeId))!, now());
          if (attachment?.instanceId !== helper.instanceId || attachment.device !== device)
            await deps.attachments.attach(caller, { volumeId, instanceId: helper.instanceId, device });
          await settles(context, `volume ${volumeId} to be attached`, async () => {
            const [current] = liveAttachments((await deps.volumesRepo.find(caller, volumeId))!, now());
            return current !== undefined && attachmentState(current, now()) === "attached";
          });
        }
        return { sourceDevice, destinationDevice };
      });

      // The helper "runs commands": each changes the destination disk's guest, as the volume holds it.
      await run("copy-filesystem", async () => {
        const copied = copyFilesystemToPartition((await deps.volumesRepo.find(caller, sourceVolume.volumeId))!.guest!, input.sourceImageId);
        await deps.volumesRepo.setGuest(caller, destination.volumeId, copied);
        return { partitionTable: copied.disk.partitionTable };
      });
      await run("install-grub", async () => {
        const copied = (await deps.volumesRepo.find(caller, destination.volumeId))!.guest!;
        const installed = installGrubInMbr(copied);
        await deps.volumesRepo.setGuest(caller, destination.volumeId, installed);
        return { bootloader: installed.bootloader.kind, console: installed.bootloader.console };
      });

      const snapshot = await run(
        "snapshot-destination",
        async (context) => {
          const snapshotId =
            (await made("snapshot", "snapshot-destination")) ??
            (
              await deps.snapshots.create(
                caller,
                destination.volumeId,
                `HVM root of ${input.name}, converted from ${input.sourceImageId} by ${runId}`,
                tags("snapshot-destination", "converted root"),
              )
            ).snapshotId;
          await settles(
            context,
            `snapshot ${snapshotId} to complete`,
            async () => snapshotState((await deps.imagesRepo.findSnapshot(caller.region, snapshotId))!, now()) === "completed",
          );
          return { snapshotId };
        },
        { compensate: (result) => ignoreMissing(deps.snapshots.delete(caller, result.snapshotId)) },
      );

      const image = await run(
        "register-image",
        async (context) => {
          const imageId =
            (await made("image", "register-image")) ??
            (
              await permanent(() =>
                deps.images.register(caller, {
                  name: input.name,
                  description: input.description ?? `${input.sourceImageId} converted to HVM by ${runId}`,
                  architecture: source.architecture,
                  virtualizationType: "hvm",
                  rootDeviceName: "/dev/xvda",
                  blockDeviceMappings: [
                    {
                      DeviceName: "/dev/xvda",
                      Ebs: { SnapshotId: snapshot.snapshotId, VolumeSize: source.destinationSize, VolumeType: "gp2", DeleteOnTermination: true },
                    },
                  ],
                  enaSupport: input.enaSupport,
                  ...(source.sriov ? { sriovNetSupport: "simple" } : {}),
                  bootMode: "legacy-bios",
                  tags: tags("register-image", input.name),
                }),
              )
            ).imageId;
          await settles(
            context,
            `image ${imageId} to be available`,
            async () => imageState((await deps.imagesRepo.find(caller.region, imageId))!, now()) === "available",
          );
          return { imageId };
        },
        { compensate: (result) => ignoreMissing(deps.images.deregister(caller, result.imageId)) },
      );

      const test = await run(
        "launch-test-instance",
        async (context) => ({
          instanceId: (await launch(context, "launch-test-instance", image.imageId, input.testInstanceType, "conversion test")).instanceId,
        }),
        { compensate: (result) => terminate(result.instanceId) },
      );

      await run("check-test-instance", async (context) => {
        const instance = await running(context, test.instanceId, "test instance");
        const status = await until(context, "the test instance's status checks", async () => {
          const checks = await deps.instances.statusChecks(caller, await deps.instances.getOne(caller, instance.instanceId));
          return checks === "ok" || checks === "impaired" ? checks : undefined;
        });
        const boot = await deps.instances.boot(caller, instance);
        if (status === "impaired") {
          throw new PermanentFailure(
            `The test instance ${instance.instanceId} (${input.testInstanceType}) failed its reachability check: ${boot?.failure ?? "it did not boot"}. Its console ends: ${(boot?.lines ?? []).slice(-2).join(" / ")}`,
          );
        }
        return { status, grubInMbr: boot?.lines.includes("GRUB loading.") ?? false };
      });

      await run("clean-up", async (context) => {
        await terminate(test.instanceId);
        await terminate(helper.instanceId);
        await discardVolume(context, sourceVolume.volumeId);
        await discardVolume(context, destination.volumeId);
        return { terminated: [test.instanceId, helper.instanceId].length, deletedVolumes: 2 };
      });

      if (!input.keepSourceImage) {
        await run("deregister-source", async () => {
          await ignoreMissing(deps.images.deregister(caller, input.sourceImageId));
          return { deregistered: input.sourceImageId };
        });
      }
      return { imageId: image.imageId, snapshotId: snapshot.snapshotId };
    },
  };
}
