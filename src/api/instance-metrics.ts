// GetInstanceMetrics (extension): an instance's simulated CloudWatch metrics, in GetMetricData's result shape.
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceMetricsService } from "../services/instance-metrics.js";

interface GetInstanceMetricsInput {
  InstanceId: string;
  MetricNames?: string[];
  StartTime: Date;
  EndTime: Date;
  Period: number;
  ScanBy?: string;
}

export function instanceMetricsOperations(metrics: InstanceMetricsService): OperationTable {
  return {
    GetInstanceMetrics: operation<GetInstanceMetricsInput, object>({
      async handle(input, caller) {
        const results = await metrics.get(caller, {
          instanceId: input.InstanceId,
          ...(input.MetricNames ? { metricNames: input.MetricNames } : {}),
          startTime: input.StartTime,
          endTime: input.EndTime,
          periodSeconds: input.Period,
          ...(input.ScanBy ? { scanBy: input.ScanBy } : {}),
        });
        return {
          MetricDataResults: results.map((result) => ({
            Id: result.metricName.charAt(0).toLowerCase() + result.metricName.slice(1),
            Label: result.metricName,
            MetricName: result.metricName,
            Timestamps: result.timestamps,
            Values: result.values,
            // The whole window is always computed: never PartialData with a NextToken.
            StatusCode: "Complete",
          })),
        };
      },
    }),
  };
}
