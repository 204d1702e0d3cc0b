// The one place a launch's facts become the rules' context (launch-rules.ts): RunInstances and ExplainLaunch
// gather them from the request, StartInstances and ModifyInstanceAttribute from the stored instance. A rule that
// needs a new fact adds it to LaunchContext and here, nowhere else.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { InstanceTypeCatalog } from "./catalog/instance-types.js";
import type { Offerings } from "./catalog/offerings.js";
import type { Image } from "./images.js";
import type { Instance } from "./instances.js";
import type { LaunchContext, LaunchOperation } from "./launch-rules.js";

/** What the caller's operation knows; the zone's offer and the catalog's alternatives are added here. */
export type LaunchFacts = Omit<LaunchContext, "zone" | "typesWhere"> & { region: string; zoneName?: string };

/** The zones of the region that offer the type, by name. */
export function zonesOffering(offerings: Offerings, region: string, typeName: string): string[] {
  return offerings.zonesOffering(region, typeName).map((zone) => zone.zoneName);
}

export function launchContext(catalog: InstanceTypeCatalog, offerings: Offerings, { region, zoneName, ...facts }: LaunchFacts): LaunchContext {
  return contextOf(catalog, facts, zoneName, zonesOffering(offerings, region, facts.type.InstanceType!));
}

/**
 * Many launches in one region and zone (ExplainLaunchMatrix): the same contexts as launchContext's, with each
 * type's offer looked up once however many images it is judged with.
 */
export function launchContexts(catalog: InstanceTypeCatalog, offerings: Offerings, region: string, zoneName?: string) {
  const offers = new Map<string, string[]>();
  // A fix that names alternatives asks the catalog with the same predicate (runsParavirtual, say) cell after cell.
  const answers = new Map<(type: InstanceTypeInfo) => boolean, string[]>();
  const typesWhere = (predicate: (type: InstanceTypeInfo) => boolean) => {
    let answer = answers.get(predicate);
    if (!answer) answers.set(predicate, (answer = catalogTypesWhere(catalog, predicate)));
    return answer;
  };
  return (facts: Omit<LaunchFacts, "region" | "zoneName">): LaunchContext => {
    const typeName = facts.type.InstanceType!;
    let offeredIn = offers.get(typeName);
    if (!offeredIn) offers.set(typeName, (offeredIn = zonesOffering(offerings, region, typeName)));
    return { ...contextOf(catalog, facts, zoneName, offeredIn), typesWhere };
  };
}

function catalogTypesWhere(catalog: InstanceTypeCatalog, predicate: (type: InstanceTypeInfo) => boolean): string[] {
  return catalog.all.filter(predicate).map((type) => type.InstanceType!);
}

function contextOf(
  catalog: InstanceTypeCatalog,
  facts: Omit<LaunchFacts, "region" | "zoneName">,
  zoneName: string | undefined,
  offeredIn: string[],
): LaunchContext {
  return {
    ...facts,
    ...(zoneName ? { zone: { name: zoneName, offered: offeredIn.includes(zoneName), zonesOffering: offeredIn } } : {}),
    typesWhere: (predicate) => catalogTypesWhere(catalog, predicate),
  };
}

/** A stored instance's facts: its own ENA flag and boot mode count, so that the fixes made to it do. */
export function instanceLaunchFacts(instance: Instance, operation: LaunchOperation, type: InstanceTypeInfo): LaunchFacts {
  return {
    operation,
    region: instance.region,
    zoneName: instance.availabilityZone,
    image: launchImageOf(instance),
    instance: { instanceId: instance.instanceId, enaSupport: instance.enaSupport },
    type,
  };
}

/** The image facts an instance carries from its launch (and its later changes). */
export function launchImageOf(instance: Instance): LaunchContext["image"] {
  return {
    imageId: instance.imageId,
    virtualizationType: instance.virtualizationType,
    architecture: instance.architecture as Image["architecture"],
    enaSupport: instance.enaSupport,
    bootMode: instance.bootMode,
    ...(instance.platform ? { platform: instance.platform } : {}),
    ...(instance.sriovNetSupport ? { sriovNetSupport: instance.sriovNetSupport } : {}),
  };
}
