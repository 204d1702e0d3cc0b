// The serializer writes timestamps with its own formatter (a day of 1-minute metrics is 1,440 of them): its text must
// be toISOString's for every moment, at the edges of a day, of the epoch and of four-digit years, and at random.
import { describe, expect, it } from "vitest";
import { ec2ServiceModel } from "../../src/protocol/service-model.js";
import { serializeOutput } from "../../src/protocol/xml-serializer.js";

const model = ec2ServiceModel();
const written = (moment: Date) => {
  const xml = serializeOutput(model, "DescribeSnapshots", { Snapshots: [{ StartTime: moment }] }, "r").toString();
  return /<startTime>([^<]*)<\/startTime>/.exec(xml)![1];
};

describe("timestamps in responses", () => {
  it("are toISOString's text, edges and random moments alike", () => {
    const edges = [0, -1, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, -86_400_000, Date.UTC(2000, 1, 29, 12, 0, 0, 5)];
    const yearEdges = [-62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000];
    let seed = 7;
    const random = Array.from({ length: 5000 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((seed / 2_147_483_648 - 0.3) * 4e14);
    });
    const moments = [...edges, ...yearEdges, ...random].map((epoch) => new Date(epoch));
    expect(moments.filter((moment) => written(moment) !== moment.toISOString()).map((moment) => moment.getTime())).toEqual([]);
  });
});
