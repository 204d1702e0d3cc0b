// Two lessons about moving old guests to Nitro: converting a PV image to HVM so it runs on m5.large, and repairing a
// Xen HVM guest that does not boot on Nitro (no NVMe in its initramfs, no ENA driver).
import { items, strings, text, type XmlObject } from "../api/xml.js";
import { type Lesson, notYet, passed } from "./lesson.js";
import { bootedStep, bootVerdict, launchStep, startStep } from "./steps.js";

/** ExplainLaunch's failed and warning rules, in words. */
function ruleSummary(answer: XmlObject): string {
  const checks = items(answer.checkSet).filter((check) => text(check.outcome) === "failed" || text(check.outcome) === "warning");
  return checks.map((check) => `${text(check.ruleId)} (${text(check.outcome)}): ${text(check.reason)}`).join(" · ") || "every rule passed";
}

export const pvToNitro: Lesson = {
  id: "pv-to-m5",
  title: "Make this PV AMI run on m5.large",
  intro:
    "A paravirtual (PV) image boots through PV-GRUB on Xen's PV interface, which only the old Xen types offer. m5.large is a Nitro type: it runs HVM guests only. The way forward is a new HVM image made from the same disk.",
  images: { pvImage: "amzn-ami-pv-2018.03.0.20190611-x86_64-ebs" },
  steps: [
    {
      title: "Ask whether the PV image launches on m5.large",
      explain: "ExplainLaunch judges a launch without making it: every launch rule with its reason and fix.",
      request: (state) => ({ api: "extensions", action: "ExplainLaunch", params: { ImageId: state.get("pvImage"), InstanceType: "m5.large" } }),
      check: (answer) =>
        text(answer.launchable) === "false"
          ? passed(`Refused, as expected: ${ruleSummary(answer)}`)
          : notYet("The image is launchable: this lesson needs a PV image."),
    },
    {
      title: "Look at the guest on its disk",
      explain: "A conversion needs a kernel with PV-on-HVM drivers; running on Nitro needs the ena and nvme drivers too.",
      request: (state) => ({ api: "extensions", action: "DescribeGuest", params: { ImageId: state.get("pvImage") } }),
      check: (answer) => {
        const guest = answer.guest as XmlObject;
        const drivers = strings(guest.kernelDriverSet);
        const ready = text(guest.canBootHvm) === "true" && drivers.includes("ena") && drivers.includes("nvme");
        return ready
          ? passed(`Kernel ${text(guest.kernelVersion)} boots as HVM and has ${drivers.join(", ")}: it can be converted for Nitro.`)
          : notYet("This guest cannot become a Nitro guest.");
      },
    },
    startStep(
      "Start the conversion to HVM, with ENA",
      "StartImageConversion runs the community procedure as a durable workflow: a helper instance copies the filesystem behind a partition table, installs GRUB in the MBR, and registers an HVM image. Watch its steps on the Workflows page.",
      {
        request: (state) => ({
          api: "extensions",
          action: "StartImageConversion",
          params: { SourceImageId: state.get("pvImage"), Name: `lesson-hvm-${Date.now().toString(36)}`, EnaSupport: true },
        }),
        idMember: "conversionTaskId",
        saveAs: "conversionTaskId",
        what: "Conversion",
      },
    ),
    {
      title: "Wait for the conversion to finish",
      explain: "The workflow launches, attaches, copies and snapshots on the virtual clock: run this step again until it has succeeded.",
      request: (state) => ({ api: "extensions", action: "DescribeImageConversions", params: { ConversionTaskId: [state.get("conversionTaskId")] } }),
      check: (answer, state) => {
        const conversion = items(answer.imageConversionSet)[0];
        const runState = text(conversion?.state);
        if (runState === "succeeded") {
          state.set("hvmImage", text(conversion!.imageId));
          return passed(`Succeeded: the new HVM image is ${text(conversion!.imageId)}.`);
        }
        if (runState === "failed" || runState === "cancelled") return notYet(`The conversion ${runState}: ${text(conversion!.failureReason)}`);
        const running = items(conversion?.stepSet).find((step) => text(step.state) === "running");
        return notYet(`Still ${runState}${running ? ` at step ${text(running.name)}` : ""}: advance the clock and run this step again.`);
      },
    },
    {
      title: "Ask again, for the new HVM image",
      explain: "The same question, for the image the conversion registered.",
      request: (state) => ({ api: "extensions", action: "ExplainLaunch", params: { ImageId: state.get("hvmImage"), InstanceType: "m5.large" } }),
      check: (answer) =>
        text(answer.launchable) === "true" && text(answer.wouldBoot) === "true"
          ? passed("Launchable, and it would boot.")
          : notYet(`Not yet: ${ruleSummary(answer)}`),
    },
    launchStep("Launch it on m5.large", "RunInstances places it on a Nitro server of the fleet.", {
      imageKey: "hvmImage",
      instanceType: "m5.large",
      saveAs: "instanceId",
    }),
    bootedStep(
      "Check that it booted",
      "DescribeInstanceBoot shows the boot log and what decided it: NVMe for the disk, ENA for the network.",
      "instanceId",
      "It booted on Nitro: NVMe found the root disk and ENA the network.",
    ),
  ],
  conclusion: "A PV image never runs on Nitro; a converted HVM copy of its disk does, once its kernel has the ena and nvme drivers.",
};

export const repairForNitro: Lesson = {
  id: "xen-guest-on-nitro",
  title: "Why does this Xen guest not boot on Nitro, and repair it",
  intro:
    "Amazon Linux AMI 2016.03 is an HVM guest that boots fine on Xen (t2.micro): its disk is a Xen block device, its network Xen's netfront. On Nitro the disk is NVMe and the network ENA, and its kernel (4.4) has neither driver where the boot needs it.",
  images: { image: "amzn-ami-hvm-2016.03.0.x86_64-gp2" },
  steps: [
    launchStep("Launch it on Xen", "t2.micro is a Xen HVM type.", { imageKey: "image", instanceType: "t2.micro", saveAs: "instanceId" }),
    {
      title: "Stop it",
      explain: "The type changes only while the instance is stopped.",
      request: (state) => ({ api: "ec2", action: "StopInstances", params: { InstanceId: [state.get("instanceId")] } }),
      check: () => passed("Stopping."),
    },
    {
      title: "Make it an m5.large",
      explain: "ModifyInstanceAttribute changes the type of a stopped instance. If it is still stopping, advance the clock and run this again.",
      request: (state) => ({
        api: "ec2",
        action: "ModifyInstanceAttribute",
        params: { InstanceId: state.get("instanceId"), InstanceType: { Value: "m5.large" } },
      }),
      check: () => passed("Its type is m5.large now."),
    },
    {
      title: "Turn on ENA",
      explain: "A Nitro instance's only network device is ENA.",
      request: (state) => ({ api: "ec2", action: "ModifyInstanceAttribute", params: { InstanceId: state.get("instanceId"), EnaSupport: { Value: true } } }),
      check: () => passed("ENA is on."),
    },
    {
      title: "Start it on Nitro",
      explain: "It is placed on a Nitro server.",
      request: (state) => ({ api: "ec2", action: "StartInstances", params: { InstanceId: [state.get("instanceId")] } }),
      check: () => passed("Starting."),
    },
    {
      title: "Read why it does not boot",
      explain: "The boot log's marked lines are what decided the boot (the instance page shows them too).",
      request: (state) => ({ api: "extensions", action: "DescribeInstanceBoot", params: { InstanceId: state.get("instanceId") } }),
      check: (answer) => {
        const verdict = bootVerdict(answer);
        if (verdict === "not-yet") return notYet("Not running yet: advance the clock and run this step again.");
        if (verdict === "booted") return notYet("It booted: this guest was repaired already.");
        const deciding = items(answer.consoleLineSet).filter((line) => text(line.deciding) === "true");
        return passed(`It did not boot: ${text(answer.failure)}. The log says: ${deciding.map((line) => text(line.text)).join(" / ")}`);
      },
    },
    {
      title: "Stop it again, to repair its root volume",
      explain: "RepairGuest works on a stopped instance's root volume, as an operator would from a helper instance.",
      request: (state) => ({ api: "ec2", action: "StopInstances", params: { InstanceId: [state.get("instanceId")] } }),
      check: () => passed("Stopping."),
    },
    {
      title: "Put the nvme driver in the initramfs",
      explain: "The kernel must find the NVMe root disk before / is mounted, so the driver goes in the initramfs (dracut).",
      request: (state) => ({ api: "extensions", action: "RepairGuest", params: { InstanceId: state.get("instanceId"), Repair: "add-nvme-to-initramfs" } }),
      check: (answer) => passed(`Ran: ${strings(answer.commandSet).join("; ")}`),
    },
    {
      title: "Install the ENA driver",
      explain: "Without ena, the guest boots with no network at all.",
      request: (state) => ({ api: "extensions", action: "RepairGuest", params: { InstanceId: state.get("instanceId"), Repair: "install-ena-driver" } }),
      check: (answer) => passed(`Ran: ${strings(answer.commandSet).join("; ")}`),
    },
    {
      title: "Start it",
      explain: "The same Nitro type, the repaired disk.",
      request: (state) => ({ api: "ec2", action: "StartInstances", params: { InstanceId: [state.get("instanceId")] } }),
      check: () => passed("Starting."),
    },
    bootedStep("Check that it boots now", "The marked lines now are the NVMe disk and the ENA interface being found.", "instanceId", "It boots on Nitro."),
  ],
  conclusion: "A Xen guest moves to Nitro once its initramfs holds nvme and its kernel has ena; the boot log names what is missing.",
};
