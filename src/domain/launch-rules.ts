// The compatibility rules between an image, an instance type and where it is placed: one rule per fact, each
// with a stable id, EC2's error (code and literal message), what a learner should understand, and the fix.
// RunInstances, StartInstances and ModifyInstanceAttribute run the rules that real EC2 runs at each of them;
// the ExplainLaunch extension runs them all and reports every verdict.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { type Ec2Error, Errors } from "./errors.js";
import { architectureList, architecturesOf, enaSupportOf, firstGenerationFamilies, isFirstGeneration, runsParavirtual, usesEna } from "./catalog/type-facts.js";
import { familyOf } from "./fleet.js";
import { fstabNamesXenDevice, type GuestModel, nvmeRootProblem } from "./guest.js";
import { guestDriverRules } from "./guest-driver-rules.js";
import { type Image, type KernelFault, kernelError, kernelFault, type KernelImage } from "./images.js";

export type LaunchOperation = "RunInstances" | "StartInstances" | "ModifyInstanceAttribute";

export interface LaunchContext {
  operation: LaunchOperation;
  image: Pick<Image, "imageId" | "virtualizationType" | "architecture" | "enaSupport" | "bootMode" | "platform" | "sriovNetSupport">;
  type: InstanceTypeInfo;
  /** At StartInstances: the instance, whose own enaSupport attribute counts there. */
  instance?: { instanceId: string; enaSupport: boolean };
  /** The PV-GRUB kernel a PV launch boots with (the request's or the image's), and the image it names if visible. */
  kernelId?: string;
  kernel?: KernelImage;
  zone?: { name: string; offered: boolean; zonesOffering: readonly string[] };
  placementGroup?: { name: string; strategy: string };
  /** A Dedicated Host asked for by id. */
  host?: { hostId: string; instanceType?: string; instanceFamily?: string };
  tenancy?: string;
  guest?: GuestModel;
  /** Types of the catalog matching a predicate, for the fixes that name alternatives. */
  typesWhere(predicate: (type: InstanceTypeInfo) => boolean): string[];
}

export type Outcome = "passed" | "failed" | "skipped" | "warning";

export interface Verdict {
  ruleId: string;
  title: string;
  outcome: Outcome;
  /** What was found, in this case. */
  reason: string;
  /** Why the rule exists: what a learner should take away. */
  explanation: string;
  fix?: string;
  /** The error EC2 answers when the rule fails. */
  error?: Ec2Error;
  /** The operations where EC2 enforces the rule. */
  enforcedAt: readonly LaunchOperation[];
}

export interface Rule {
  id: string;
  title: string;
  explanation: string;
  /** The operations where EC2 enforces it (boot-time checks are warnings and run at none). */
  enforcedAt: readonly LaunchOperation[];
  check(context: LaunchContext): Omit<Verdict, "ruleId" | "title" | "explanation" | "enforcedAt">;
}

const pass = (reason: string) => ({ outcome: "passed" as const, reason });
const skip = (reason: string) => ({ outcome: "skipped" as const, reason });
const fail = (reason: string, error: Ec2Error, fix: string) => ({ outcome: "failed" as const, reason, error, fix });
const warn = (reason: string, fix: string) => ({ outcome: "warning" as const, reason, fix });

const families = (names: string[], limit = 8) => [...new Set(names.map(familyOf))].slice(0, limit).join(", ");
const launchEverywhere: readonly LaunchOperation[] = ["RunInstances", "StartInstances", "ModifyInstanceAttribute"];

/** The boot mode an instance of this image boots in on this type, or undefined when there is none. */
export function effectiveBootMode(image: LaunchContext["image"], type: InstanceTypeInfo): "legacy-bios" | "uefi" | undefined {
  const modes = type.SupportedBootModes ?? ["legacy-bios"];
  const wanted = image.bootMode ?? (image.architecture === "arm64" ? "uefi" : "legacy-bios");
  if (wanted === "uefi-preferred") return modes.includes("uefi") ? "uefi" : "legacy-bios";
  return modes.includes(wanted) ? wanted : undefined;
}

const rules: readonly Rule[] = [
  {
    id: "zone-offers-type",
    title: "The Availability Zone offers the instance type",
    explanation: "Not every zone has every type's hardware: each zone offers its own set (DescribeInstanceTypeOfferings --location-type availability-zone).",
    enforcedAt: ["RunInstances", "StartInstances"],
    check({ zone, type }) {
      if (!zone) return skip("No Availability Zone was chosen: EC2 picks one that offers the type.");
      if (zone.offered) return pass(`${zone.name} offers ${type.InstanceType}.`);
      return fail(
        `${zone.name} does not offer ${type.InstanceType}.`,
        Errors.notOfferedInZone(type.InstanceType!, zone.name, zone.zonesOffering),
        zone.zonesOffering.length
          ? `Launch in ${zone.zonesOffering.join(" or ")}, or leave the zone out.`
          : `This Region does not offer ${type.InstanceType}: choose another type or Region.`,
      );
    },
  },
  {
    id: "virtualization-pv-needs-pv-type",
    title: "A paravirtual (PV) image needs an instance type that runs PV guests",
    explanation:
      "A PV guest boots through PV-GRUB and talks to Xen through paravirtual drivers only. Only the older Xen types (t1, m1, m2, c1, m3, c3, ...) offer the PV interface; " +
      "every later type, and every Nitro type, boots HVM guests only: the guest must bring its own bootloader in the MBR and run on emulated or SR-IOV/NVMe hardware.",
    enforcedAt: launchEverywhere,
    check({ image, type, typesWhere }) {
      if (image.virtualizationType !== "paravirtual") return skip("The image is HVM.");
      if (runsParavirtual(type)) return pass(`${type.InstanceType} runs paravirtual guests.`);
      return fail(
        `${image.imageId} is paravirtual, and ${type.InstanceType} supports ${(type.SupportedVirtualizationTypes ?? []).join(", ")} only.`,
        Errors.hvmRequired(type.InstanceType!),
        `Choose a Xen type that supports paravirtual (${families(typesWhere(runsParavirtual))}, ...), or convert the image to HVM (mini-ec2 convert-image).`,
      );
    },
  },
  {
    id: "virtualization-hvm-linux-on-first-generation",
    title: `The first-generation types (${firstGenerationFamilies.join(", ")}) run HVM guests only for Windows`,
    explanation:
      "The first Xen generation ran Linux as PV guests; HVM there exists for Windows only. A Linux HVM image needs a later type (m3, c3, t2 or newer).",
    enforcedAt: launchEverywhere,
    check({ image, type }) {
      if (image.virtualizationType !== "hvm") return skip("The image is paravirtual.");
      if (!isFirstGeneration(type.InstanceType!)) return pass(`${type.InstanceType} is not a first-generation type.`);
      if (image.platform === "windows") return pass("Windows HVM images run on first-generation types.");
      return fail(
        `${image.imageId} is a Linux HVM image and ${type.InstanceType} is a first-generation type.`,
        Errors.linuxHvmOnFirstGeneration(),
        "Use an HVM type such as t2.micro, m3.medium or m5.large, or the PV edition of the image.",
      );
    },
  },
  {
    id: "gpu-needs-hvm",
    title: "GPU instance types need an HVM image",
    explanation: "GPUs are passed through to the guest as PCI devices, which only an HVM guest can drive: every GPU type is HVM only.",
    enforcedAt: launchEverywhere,
    check({ image, type }) {
      const gpus = type.GpuInfo?.Gpus ?? [];
      if (gpus.length === 0) return skip(`${type.InstanceType} has no GPU.`);
      const gpu = `${gpus[0]!.Count ?? 1} × ${gpus[0]!.Manufacturer ?? ""} ${gpus[0]!.Name ?? ""}`.replace(/ +/g, " ");
      if (image.virtualizationType === "hvm") return pass(`${type.InstanceType} has ${gpu}, and the image is HVM.`);
      return fail(
        `${type.InstanceType} has ${gpu}, and ${image.imageId} is paravirtual.`,
        Errors.hvmRequired(type.InstanceType!),
        'Use an HVM image with the GPU driver: the Deep Learning AMIs (describe-images --owners amazon --filters "Name=name,Values=Deep Learning*").',
      );
    },
  },
  {
    id: "architecture-32-bit",
    title: "A 32-bit (i386) image runs only on the few types that still offer i386",
    explanation:
      "Only t1.micro, t2.nano to t2.medium, m1.small, m1.medium, c1.medium and c3.large list i386 (the User Guide's list); every 64-bit-only type (all of m3 included) rejects a 32-bit image.",
    enforcedAt: launchEverywhere,
    check({ image, type, typesWhere }) {
      if (image.architecture !== "i386") return skip("The image is not 32-bit.");
      if (architecturesOf(type).includes("i386")) return pass(`${type.InstanceType} runs i386.`);
      return fail(
        `${image.imageId} is i386, and ${type.InstanceType} runs ${architecturesOf(type).join(",")} only.`,
        Errors.architectureMismatch(architectureList(type), image.architecture),
        `Choose a type that lists i386 (${typesWhere((t) => architecturesOf(t).includes("i386"))
          .slice(0, 6)
          .join(", ")}, ...), or use a 64-bit image.`,
      );
    },
  },
  {
    id: "architecture-match",
    title: "The image's architecture is one the instance type's processor runs",
    explanation: "An x86_64 image cannot run on a Graviton (arm64) processor, nor the reverse: the kernel and every binary are built for one instruction set.",
    enforcedAt: launchEverywhere,
    check({ image, type }) {
      if (image.architecture === "i386") return skip("The 32-bit rule decides for i386 images.");
      if (architecturesOf(type).includes(image.architecture)) return pass(`${type.InstanceType} runs ${image.architecture}.`);
      const other =
        image.architecture === "arm64" ? "a Graviton type such as m7g.large, c7g.large or t4g.micro" : "an x86_64 type such as m5.large or t3.micro";
      return fail(
        `${image.imageId} is ${image.architecture}, and ${type.InstanceType} runs ${architecturesOf(type).join(",")}.`,
        Errors.architectureMismatch(architectureList(type), image.architecture),
        `Choose ${other}, or the ${architecturesOf(type)[0]} edition of the image.`,
      );
    },
  },
  {
    id: "pv-grub-kernel",
    title: "A PV image boots a PV-GRUB kernel (AKI) of its own architecture",
    explanation:
      "A PV instance does not boot from its disk's MBR: Xen starts the kernel image (AKI) named by the image or the launch, which must be PV-GRUB; PV-GRUB then reads /boot/grub/menu.lst from the disk. 64-bit PV-GRUB cannot start a 32-bit kernel, nor the reverse.",
    enforcedAt: ["RunInstances", "ModifyInstanceAttribute"],
    check({ image, kernelId, kernel }) {
      if (image.virtualizationType !== "paravirtual") return skip("HVM images boot from their own disk.");
      if (!kernelId) return skip("The image's own PV-GRUB kernel is used.");
      const fault = kernelFault(kernel, image.architecture);
      if (!fault) return pass(`${kernel!.name} matches the image's architecture.`);
      const { reason, fix } = kernelFaults[fault](kernelId, kernel, image.architecture);
      return fail(reason, kernelError(kernelId, kernel, image)!, fix);
    },
  },
  {
    id: "ena-required",
    title: "Types that require ENA need an image (or instance) enabled for ENA",
    explanation:
      "Nitro types have no emulated network card: their only NIC is the Elastic Network Adapter, so the guest must have the ena driver, and the image must be registered with --ena-support to say so.",
    enforcedAt: ["RunInstances", "StartInstances"],
    check({ operation, image, instance, type }) {
      const ena = enaSupportOf(type);
      if (ena !== "required") return skip(`ENA is ${ena} on ${type.InstanceType}.`);
      const enabled = operation === "StartInstances" && instance ? instance.enaSupport : image.enaSupport;
      if (enabled) return pass(`${type.InstanceType} requires ENA, and the ${operation === "StartInstances" ? "instance" : "image"} is enabled for it.`);
      const error = Errors.enaRequired(type.InstanceType!, operation === "StartInstances" ? instance?.instanceId : undefined);
      return fail(
        `${type.InstanceType} requires ENA, and ${operation === "StartInstances" && instance ? instance.instanceId : image.imageId} is not enabled for it.`,
        error,
        operation === "StartInstances" && instance
          ? `RepairGuest --instance-id ${instance.instanceId} --repair install-ena-driver (mini-ec2 guest), then: modify-instance-attribute --instance-id ${instance.instanceId} --ena-support`
          : "Launch on a Xen type such as t2 or m4, stop it, RepairGuest --repair install-ena-driver on it (mini-ec2 guest --instance-id ...), then modify-instance-attribute --ena-support and --instance-type.",
      );
    },
  },
  {
    id: "boot-mode-uefi",
    title: "A UEFI image needs a type whose firmware offers UEFI",
    explanation:
      "Xen types boot with a legacy BIOS only; UEFI is a Nitro feature. An image registered with --boot-mode uefi-preferred falls back to BIOS where UEFI is missing.",
    enforcedAt: ["RunInstances", "StartInstances"],
    check({ image, type }) {
      const modes = type.SupportedBootModes ?? ["legacy-bios"];
      const mode = effectiveBootMode(image, type);
      if (mode)
        return pass(
          `Boots in ${mode} mode (${type.InstanceType} offers ${modes.join(", ")}${image.bootMode === "uefi-preferred" && mode === "legacy-bios" ? "; uefi-preferred fell back to BIOS" : ""}).`,
        );
      if (image.bootMode === "uefi" || (!image.bootMode && image.architecture === "arm64")) {
        return fail(
          `${image.imageId} boots with UEFI, and ${type.InstanceType} offers ${modes.join(", ")}.`,
          Errors.bootModeUnsupported(type.InstanceType!, "uefi"),
          "Choose a Nitro type (m5, c5, t3, m7i, ...), or register the image with --boot-mode uefi-preferred if it can also boot with BIOS.",
        );
      }
      return fail(
        `${image.imageId} boots with a legacy BIOS, and ${type.InstanceType} offers ${modes.join(", ")}.`,
        Errors.bootModeUnsupported(type.InstanceType!, "legacy-bios"),
        "Choose a type that boots with BIOS, or an image registered for UEFI.",
      );
    },
  },
  {
    id: "placement-group-type",
    title: "The placement group's strategy accepts the instance type",
    explanation:
      "A cluster group packs instances onto one low-latency network segment, which burstable (T) types and some old types cannot join; spread and partition accept most types.",
    enforcedAt: ["RunInstances", "StartInstances"],
    check({ placementGroup, type }) {
      if (!placementGroup) return skip("No placement group.");
      const strategies = type.PlacementGroupInfo?.SupportedStrategies ?? [];
      if (strategies.includes(placementGroup.strategy as never)) return pass(`${type.InstanceType} supports ${placementGroup.strategy} placement groups.`);
      return fail(
        `${placementGroup.name} is a ${placementGroup.strategy} group, and ${type.InstanceType} supports ${strategies.join(", ") || "no"} placement groups.`,
        Errors.placementGroupsUnsupported(type.InstanceType!),
        `Use a type that supports ${placementGroup.strategy} groups (not burstable), or a spread or partition group.`,
      );
    },
  },
  {
    id: "dedicated-host-type",
    title: "A Dedicated Host runs the instance type or family it was allocated for",
    explanation:
      "A Dedicated Host is a whole server allocated for one instance type, or for the sizes of one family. Types that cannot run on Dedicated Hosts (t1, m1, t2, ...) cannot use tenancy host at all.",
    enforcedAt: ["RunInstances", "StartInstances"],
    check({ tenancy, host, type }) {
      if (tenancy !== "host" && !host) return skip("Not on a Dedicated Host.");
      if (!type.DedicatedHostsSupported) {
        return fail(
          `${type.InstanceType} does not run on Dedicated Hosts.`,
          Errors.dedicatedHostsUnsupported(type.InstanceType!),
          "Use a type with DedicatedHostsSupported (describe-instance-types --filters Name=dedicated-hosts-supported,Values=true).",
        );
      }
      if (!host) return pass(`${type.InstanceType} runs on Dedicated Hosts; a host with auto-placement will be chosen.`);
      const fits = host.instanceType ? host.instanceType === type.InstanceType : host.instanceFamily === familyOf(type.InstanceType!);
      if (fits) return pass(`${host.hostId} is allocated for ${host.instanceType ?? `the ${host.instanceFamily} family`}.`);
      return fail(
        `${host.hostId} is allocated for ${host.instanceType ?? `the ${host.instanceFamily} family`}, not ${type.InstanceType}.`,
        Errors.notOnThisHost(type.InstanceType!, host.hostId, host.instanceType ?? `${host.instanceFamily} instances`),
        `Launch ${host.instanceType ?? `a ${host.instanceFamily} size`} there, or allocate a host for ${type.InstanceType}.`,
      );
    },
  },
  {
    id: "mac-needs-dedicated-host",
    title: "Mac instances run only on a Dedicated Host",
    explanation:
      "A Mac instance is a whole Mac mini behind a Nitro card: EC2 offers it only as a Dedicated Host (allocate-hosts --instance-type mac1.metal), never at default tenancy.",
    enforcedAt: ["RunInstances", "StartInstances"],
    check({ tenancy, host, type }) {
      if (!familyOf(type.InstanceType!).startsWith("mac")) return skip("Not a Mac instance type.");
      if (tenancy === "host" || host) return pass(`${type.InstanceType} is launched on a Dedicated Host.`);
      return fail(
        `${type.InstanceType} is a Mac instance, and the launch asks for tenancy ${tenancy ?? "default"}.`,
        Errors.macNeedsDedicatedHost(type.InstanceType!),
        `Allocate a host (aws ec2 allocate-hosts --instance-type ${type.InstanceType} --availability-zone ... --quantity 1) and launch with --placement Tenancy=host,HostId=h-...`,
      );
    },
  },
  {
    id: "guest-nvme-on-nitro",
    title: "On Nitro, the root disk is NVMe: the guest needs the nvme driver in its initramfs",
    explanation:
      "Nitro presents EBS volumes as NVMe devices (/dev/nvme0n1), not as Xen block devices (/dev/xvda). The kernel must load the nvme driver from the initramfs, before the root filesystem is mounted, or the boot stops at 'Cannot open root device'.",
    enforcedAt: [],
    check({ type, guest }) {
      if (type.Hypervisor === "xen") return skip(`${type.InstanceType} is a Xen type: the disk is /dev/xvda (xen-blkfront).`);
      if (!guest) return skip("The guest is not known.");
      if (guest.os.family === "windows") {
        if (guest.kernel.drivers.nvme) return pass("Windows has the AWS NVMe driver.");
        return warn(
          "Windows has no AWS NVMe driver: it stops with INACCESSIBLE_BOOT_DEVICE.",
          `RepairGuest --repair install-nvme-driver on the root volume (mini-ec2 guest --instance-id <stopped instance> --repair install-nvme-driver); or stay on a Xen type.`,
        );
      }
      const problem = nvmeRootProblem(guest);
      if (!problem) return pass("The guest's initramfs has the nvme driver.");
      return warn(
        problem === "nvme-not-in-initramfs" ? "The guest's kernel has nvme as a module, but not in its initramfs." : "The guest's kernel has no nvme driver.",
        "RepairGuest --repair add-nvme-to-initramfs on the root volume (mini-ec2 guest --instance-id <stopped instance> --repair add-nvme-to-initramfs); or stay on a Xen type.",
      );
    },
  },
  {
    id: "guest-fstab-on-nitro",
    title: "On Nitro, /etc/fstab must not name the root by a Xen device name",
    explanation:
      "A device name like /dev/xvda1 does not exist on Nitro (the disk is /dev/nvme0n1p1): name filesystems by UUID or LABEL, which survive the move.",
    enforcedAt: [],
    check({ type, guest }) {
      if (type.Hypervisor === "xen") return skip("Xen keeps the /dev/xvd* names.");
      if (!guest || guest.os.family === "windows") return skip("No Linux fstab.");
      if (!fstabNamesXenDevice(guest)) return pass(`fstab names the root ${guest.fstabRoot}.`);
      return warn(
        `fstab names the root ${guest.fstabRoot}.`,
        `RepairGuest --repair fstab-by-uuid on the root volume: /etc/fstab then names UUID=${guest.disk.uuid} instead of ${guest.fstabRoot}.`,
      );
    },
  },
  {
    id: "guest-ena-driver",
    title: "An image enabled for ENA must really have the ena driver",
    explanation:
      "The --ena-support flag is a promise the image makes; if the guest lacks the driver, the instance boots but has no network, and its reachability check fails.",
    enforcedAt: [],
    check({ image, type, guest }) {
      if (!usesEna(image.enaSupport, enaSupportOf(type))) return skip("ENA is not used.");
      if (!guest) return skip("The guest is not known.");
      if (guest.kernel.drivers.ena) return pass("The guest has the ena driver.");
      return warn(
        "The image is enabled for ENA, but the guest has no ena driver.",
        `RepairGuest --repair install-ena-driver on the root volume (mini-ec2 guest --instance-id <stopped instance> --repair install-ena-driver); on a Xen type, modify-instance-attribute --no-ena-support instead.`,
      );
    },
  },
  ...guestDriverRules,
];

const kernelFaults: Record<KernelFault, (kernelId: string, kernel: KernelImage | undefined, architecture: string) => { reason: string; fix: string }> = {
  missing: () => ({
    reason: "The kernel id names no image this account can use.",
    fix: "Find the PV-GRUB AKIs with: describe-images --owners amazon --filters Name=name,Values=pv-grub-*",
  }),
  "not-pv-grub": (kernelId) => ({ reason: `${kernelId} is not a PV-GRUB kernel image.`, fix: "Use the PV-GRUB AKI of the image's architecture." }),
  "other-architecture": (kernelId, kernel, architecture) => ({
    reason: `The kernel ${kernelId} is ${kernel!.architecture}, the image is ${architecture}.`,
    fix: `Use pv-grub-hd0_1.05-${architecture}.gz (or hd00 for a partitioned disk).`,
  }),
};

/** Every rule's verdict, in order. */
export function evaluate(context: LaunchContext): Verdict[] {
  return rules.map((rule) => ({ ruleId: rule.id, title: rule.title, explanation: rule.explanation, enforcedAt: rule.enforcedAt, ...rule.check(context) }));
}

/** Throws EC2's error for the first rule that fails and that EC2 enforces at this operation. */
export function enforce(context: LaunchContext): Verdict[] {
  const verdicts = evaluate(context);
  const refusal = verdicts.find((verdict) => verdict.outcome === "failed" && verdict.enforcedAt.includes(context.operation));
  if (refusal) throw refusal.error!;
  return verdicts;
}

export interface LaunchJudgement {
  /** RunInstances would accept it: no rule it enforces fails. */
  launchable: boolean;
  /** It would also boot: no rule fails, and no boot-time check warns. */
  wouldBoot: boolean;
  verdicts: Verdict[];
}

/** ExplainLaunch's answer: every verdict, and what they add up to. */
export function judge(context: LaunchContext): LaunchJudgement {
  const verdicts = evaluate(context);
  return {
    launchable: !verdicts.some((v) => v.outcome === "failed" && v.enforcedAt.includes("RunInstances")),
    wouldBoot: !verdicts.some((v) => v.outcome === "failed" || v.outcome === "warning"),
    verdicts,
  };
}
