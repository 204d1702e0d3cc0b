// Simplified automatic recovery, as EC2 documents it (ec2-instance-recover.md; host-life-facts.md §5): when the
// server under an instance fails, a supported instance is recovered on another server (same id, private address
// and volumes; the guest reboots); the others are left impaired with an instance-retirement event. Pure.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { familyOf } from "./fleet.js";
import type { Instance } from "./instances.js";

/**
 * "A1, M3–M7g, T1, T2, T3, T3a, T4g, C3–C7g, R3–R7g, X1, X1e, u-*tb1, G3, P2, P3, Inf1" and their variants; the
 * variants with instance store are left out by the instance-store requirement.
 */
const supportedFamily = /^(a1|[mcr][3-7][a-z]*|t1|t2|t3a?|t4g|x1e?|u-\d+tb1|g3|p2|p3|inf1)$/;

/** Why the instance is not recovered, or undefined when it is. */
export function notRecoverable(instance: Pick<Instance, "tenancy" | "instanceType">, type: InstanceTypeInfo): string | undefined {
  if (instance.tenancy === "host") return "it runs on a Dedicated Host (tenancy host)";
  if (type.BareMetal === true) return "it is a bare-metal instance";
  if (type.InstanceStorageSupported === true) return "its type has instance-store volumes";
  if (!supportedFamily.test(familyOf(instance.instanceType)))
    return `the ${familyOf(instance.instanceType)} family does not support simplified automatic recovery`;
  return undefined;
}
