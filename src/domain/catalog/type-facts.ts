// What EC2 does by instance type that DescribeInstanceTypes does not say outright, and the few readings of its
// fields that the launch rules, the boot and the conversions share: each fact written once, here.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { familyOf } from "../fleet.js";

/** The first Xen generation: Linux ran there as PV guests only; HVM on them is for Windows. */
export const firstGenerationFamilies: readonly string[] = ["t1", "m1", "m2", "c1"];

/** The Xen families whose network card is Intel's 82599 virtual function (SR-IOV, the ixgbevf driver). */
const intelSriovFamilies = new Set(["c3", "c4", "d2", "i2", "m4", "r3"]);

export type EnaSupport = "unsupported" | "supported" | "required";

export function isFirstGeneration(typeName: string): boolean {
  return firstGenerationFamilies.includes(familyOf(typeName));
}

export function runsParavirtual(type: InstanceTypeInfo): boolean {
  return (type.SupportedVirtualizationTypes ?? []).includes("paravirtual");
}

/** A type a Linux HVM guest runs on: HVM, and not of the first generation. */
export function runsLinuxHvm(type: InstanceTypeInfo): boolean {
  return (type.SupportedVirtualizationTypes ?? []).includes("hvm") && !isFirstGeneration(type.InstanceType!);
}

export function enaSupportOf(type: InstanceTypeInfo): EnaSupport {
  return (type.NetworkInfo?.EnaSupport ?? "unsupported") as EnaSupport;
}

/** Intel SR-IOV networking: a Xen type of those families that has no ENA. */
export function offersIntelSriov(type: InstanceTypeInfo): boolean {
  return type.Hypervisor === "xen" && enaSupportOf(type) === "unsupported" && intelSriovFamilies.has(familyOf(type.InstanceType!));
}

export function architecturesOf(type: InstanceTypeInfo): string[] {
  return type.ProcessorInfo?.SupportedArchitectures ?? [];
}

// EC2's messages list 64-bit first ('x86_64,i386'), whatever order DescribeInstanceTypes uses.
const architectureOrder = ["x86_64", "i386", "arm64", "x86_64_mac", "arm64_mac"];

/** A type's architectures as EC2's messages print them. */
export function architectureList(type: InstanceTypeInfo): string {
  return [...architecturesOf(type)].sort((a, b) => architectureOrder.indexOf(a) - architectureOrder.indexOf(b)).join(",");
}

/** Whether an instance networks through ENA: its (or its image's) flag is set, and the type has ENA. */
export function usesEna(enaFlag: boolean, typeEna: EnaSupport): boolean {
  return enaFlag && typeEna !== "unsupported";
}
