// ModifyInstanceMetadataOptions, MonitorInstances and UnmonitorInstances: settings RunInstances also takes, changed
// later. There is no metadata service or CloudWatch here; the settings are kept and shown (docs/decisions.md).
import type {
  InstanceMonitoring,
  ModifyInstanceMetadataOptionsRequest,
  ModifyInstanceMetadataOptionsResult,
  MonitorInstancesRequest,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import { type MetadataOptions, metadataOptions } from "../domain/instance-options.js";
import { definedOnly } from "../domain/objects.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceService } from "../services/instances.js";
import { metadataOptionsInfo } from "./instances.js";

export function instanceSettingsOperations(instances: InstanceService): OperationTable {
  /** EC2 answers "pending" and "disabling" while it applies the change; DescribeInstances then shows it applied. */
  const monitoring = async (
    input: MonitorInstancesRequest,
    caller: Parameters<InstanceService["changeOptions"]>[0],
    enabled: boolean,
  ): Promise<{ InstanceMonitorings: InstanceMonitoring[] }> => {
    if (!input.InstanceIds?.length) throw Errors.missingParameter("InstanceId");
    const results: InstanceMonitoring[] = [];
    for (const instanceId of input.InstanceIds) {
      await instances.changeOptions(caller, instanceId, () => ({ monitoring: enabled }));
      results.push({ InstanceId: instanceId, Monitoring: { State: enabled ? "pending" : "disabling" } });
    }
    return { InstanceMonitorings: results };
  };
  return {
    ModifyInstanceMetadataOptions: operation<ModifyInstanceMetadataOptionsRequest, ModifyInstanceMetadataOptionsResult>({
      async handle(input, caller) {
        const requested = definedOnly({
          httpTokens: input.HttpTokens,
          httpEndpoint: input.HttpEndpoint,
          httpPutResponseHopLimit: input.HttpPutResponseHopLimit,
          httpProtocolIpv6: input.HttpProtocolIpv6,
          instanceMetadataTags: input.InstanceMetadataTags,
        }) as Partial<MetadataOptions>;
        const options = await instances.changeOptions(caller, input.InstanceId!, (current) => ({ metadata: metadataOptions(requested, current.metadata) }));
        return { InstanceId: input.InstanceId!, InstanceMetadataOptions: metadataOptionsInfo(options.metadata, "pending") };
      },
    }),
    MonitorInstances: operation<MonitorInstancesRequest, { InstanceMonitorings: InstanceMonitoring[] }>({
      handle: (input, caller) => monitoring(input, caller, true),
    }),
    UnmonitorInstances: operation<MonitorInstancesRequest, { InstanceMonitorings: InstanceMonitoring[] }>({
      handle: (input, caller) => monitoring(input, caller, false),
    }),
  };
}
