// DescribeInstanceAttribute and ModifyInstanceAttribute's wire shapes: every attribute of InstanceAttributeName,
// and the one change a call asks for, from its own member or from the older Attribute+Value form.
import type { InstanceAttribute, ModifyInstanceAttributeRequest } from "@aws-sdk/client-ec2";
import { instanceDevices } from "../domain/attachments.js";
import { Errors } from "../domain/errors.js";
import { type Instance, primaryInterfaceOf } from "../domain/instances.js";
import type { AttributeChange } from "../services/instances.js";

export function attributeValue(instance: Instance, attribute: string, now: Date): Omit<InstanceAttribute, "InstanceId"> {
  const { options } = instance;
  switch (attribute) {
    case "instanceType":
      return { InstanceType: { Value: instance.instanceType } };
    case "kernel":
      return { KernelId: instance.kernelId ? { Value: instance.kernelId } : {} };
    case "ramdisk":
      return { RamdiskId: instance.ramdiskId ? { Value: instance.ramdiskId } : {} };
    case "userData":
      return { UserData: instance.userData ? { Value: instance.userData } : {} };
    case "disableApiTermination":
      return { DisableApiTermination: { Value: instance.disableApiTermination } };
    case "disableApiStop":
      return { DisableApiStop: { Value: options.disableApiStop } };
    case "instanceInitiatedShutdownBehavior":
      return { InstanceInitiatedShutdownBehavior: { Value: options.shutdownBehavior } };
    case "rootDeviceName":
      return { RootDeviceName: { Value: instance.rootDeviceName } };
    case "blockDeviceMapping":
      return { BlockDeviceMappings: instanceDevices(instance, now) };
    case "productCodes":
      return { ProductCodes: [] };
    case "sourceDestCheck":
      return { SourceDestCheck: { Value: options.sourceDestCheck } };
    case "groupSet":
      return { Groups: (primaryInterfaceOf(instance)?.groups ?? []).map((g) => ({ GroupId: g.groupId, GroupName: g.groupName })) };
    case "ebsOptimized":
      return { EbsOptimized: { Value: options.ebsOptimized } };
    case "sriovNetSupport":
      return { SriovNetSupport: instance.sriovNetSupport ? { Value: instance.sriovNetSupport } : {} };
    case "enaSupport":
      return { EnaSupport: { Value: instance.enaSupport } };
    case "enclaveOptions":
      return { EnclaveOptions: { Enabled: false } };
    default:
      throw Errors.invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The older form's Value carries user data as the wire does: base64. */
function userDataValue(value: string): string {
  if (!base64.test(value)) throw Errors.invalidParameterValue("Invalid BASE64 encoding of user data.");
  return value;
}

function booleanValue(attribute: string, value: string): boolean {
  if (value !== "true" && value !== "false")
    throw Errors.invalidParameterValue(`Value (${value}) for parameter ${attribute} is invalid. Expecting true or false.`);
  return value === "true";
}

function shutdownBehaviorValue(value: string): "stop" | "terminate" {
  if (value !== "stop" && value !== "terminate")
    throw Errors.invalidParameterValue(`Value (${value}) for parameter instanceInitiatedShutdownBehavior is invalid. Expecting stop or terminate.`);
  return value;
}

/** The one attribute a ModifyInstanceAttribute call changes; the service refuses none or several. */
export function attributeChange(input: ModifyInstanceAttributeRequest): AttributeChange {
  const change: AttributeChange = {};
  if (input.Groups?.length) change.groupIds = input.Groups;
  if (input.InstanceType?.Value !== undefined) change.instanceType = input.InstanceType.Value;
  if (input.Kernel?.Value !== undefined) change.kernelId = input.Kernel.Value;
  if (input.Ramdisk?.Value !== undefined) change.ramdiskId = input.Ramdisk.Value;
  if (input.EnaSupport?.Value !== undefined) change.enaSupport = input.EnaSupport.Value;
  if (input.SriovNetSupport?.Value !== undefined) change.sriovNetSupport = input.SriovNetSupport.Value as "simple";
  if (input.UserData?.Value !== undefined) change.userData = Buffer.from(input.UserData.Value).toString("base64");
  if (input.DisableApiTermination?.Value !== undefined) change.disableApiTermination = input.DisableApiTermination.Value;
  if (input.DisableApiStop?.Value !== undefined) change.disableApiStop = input.DisableApiStop.Value;
  if (input.EbsOptimized?.Value !== undefined) change.ebsOptimized = input.EbsOptimized.Value;
  if (input.SourceDestCheck?.Value !== undefined) change.sourceDestCheck = input.SourceDestCheck.Value;
  if (input.InstanceInitiatedShutdownBehavior?.Value !== undefined)
    change.shutdownBehavior = shutdownBehaviorValue(input.InstanceInitiatedShutdownBehavior.Value);
  if (input.BlockDeviceMappings?.length) {
    change.deleteOnTermination = input.BlockDeviceMappings.map((mapping) => {
      if (!mapping.DeviceName) throw Errors.missingParameter("BlockDeviceMapping.N.DeviceName");
      if (mapping.Ebs?.DeleteOnTermination === undefined)
        throw Errors.missingParameter(`BlockDeviceMapping.N.Ebs.DeleteOnTermination (for ${mapping.DeviceName})`);
      return { device: mapping.DeviceName, deleteOnTermination: mapping.Ebs.DeleteOnTermination };
    });
  }
  if (input.Attribute && input.Value !== undefined) Object.assign(change, legacyChange(input.Attribute, input.Value));
  return change;
}

function legacyChange(attribute: string, value: string): AttributeChange {
  switch (attribute) {
    case "instanceType":
      return { instanceType: value };
    case "kernel":
      return { kernelId: value };
    case "ramdisk":
      return { ramdiskId: value };
    case "userData":
      return { userData: userDataValue(value) };
    case "sriovNetSupport":
      return { sriovNetSupport: value as "simple" };
    case "disableApiTermination":
    case "disableApiStop":
    case "enaSupport":
    case "ebsOptimized":
    case "sourceDestCheck":
      return { [attribute]: booleanValue(attribute, value) };
    case "instanceInitiatedShutdownBehavior":
      return { shutdownBehavior: shutdownBehaviorValue(value) };
    case "groupSet":
      return { groupIds: [value] };
    case "blockDeviceMapping":
      throw Errors.invalidParameterCombination("blockDeviceMapping takes BlockDeviceMappings (DeviceName and Ebs.DeleteOnTermination), not Value.");
    default:
      throw Errors.invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. ${attribute} cannot be modified.`);
  }
}
