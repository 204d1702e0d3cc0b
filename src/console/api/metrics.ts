// GetInstanceMetrics' answer (the mini-ec2 extension's model) as plain series, read by the model's element names:
// `metricDataResultSet`, each item's `metricName`, `timestampSet` and `valueSet` (lists of strings, in the request's
// ScanBy order). The instance page charts them; the noisy-neighbour lesson averages them.
import { items, strings, text, type XmlObject } from "./xml.js";

export interface MetricSeries {
  name: string;
  /** Each period's start, in seconds since the epoch (uPlot's time axis). */
  timestamps: number[];
  values: number[];
}

export function metricSeries(answer: XmlObject): MetricSeries[] {
  return items(answer.metricDataResultSet).map((result) => ({
    name: text(result.metricName),
    timestamps: strings(result.timestampSet).map((stamp) => Date.parse(stamp) / 1000),
    values: strings(result.valueSet).map(Number),
  }));
}
