// Each table the two connections share has one codec (src/store/rows/) naming its date and boolean columns, the
// ones the synchronous connection must convert from SQLite's text and 0/1. The compiler checks those names against
// the generated client; this checks them against prisma/schema.prisma itself, read with Prisma's getDMMF, so a
// codec cannot drift even from a schema whose client was not regenerated.
import { readFileSync } from "node:fs";
import internals from "@prisma/internals";
import { describe, expect, it } from "vitest";
import { epochOf, type SqliteColumns } from "../../src/store/rows/columns.js";
import { imageColumns } from "../../src/store/rows/image.js";
import { instanceColumns, storedInstanceDecoder } from "../../src/store/rows/instance.js";
import { defaultOptions } from "../../src/domain/instance-options.js";
import * as network from "../../src/store/rows/network.js";
import { serverColumns } from "../../src/store/rows/server.js";
import { snapshotColumns } from "../../src/store/rows/snapshot.js";
import { tagColumns } from "../../src/store/rows/tag.js";
import { volumeColumns } from "../../src/store/rows/volume.js";
import { volumeAttachmentColumns } from "../../src/store/rows/volume-attachment.js";
import { workloadColumns } from "../../src/store/rows/workload.js";
import { migrationColumns } from "../../src/store/rows/instance-migration.js";
import { eventColumns } from "../../src/store/rows/instance-event.js";
import { guestStayColumns } from "../../src/store/rows/guest-stay.js";
import { workloadChangeColumns } from "../../src/store/rows/workload-change.js";
import { hostColumns } from "../../src/store/rows/dedicated-host.js";
import { spotRequestColumns } from "../../src/store/rows/spot-request.js";

const networkCodecs = (Object.values(network) as unknown[]).filter(
  (value): value is SqliteColumns<unknown> => typeof value === "object" && value !== null && "table" in value,
);
const codecs: Array<SqliteColumns<unknown>> = [
  imageColumns,
  instanceColumns,
  serverColumns,
  snapshotColumns,
  tagColumns,
  volumeColumns,
  volumeAttachmentColumns,
  workloadColumns,
  migrationColumns,
  eventColumns,
  guestStayColumns,
  workloadChangeColumns,
  hostColumns,
  spotRequestColumns,
  ...networkCodecs,
];

describe("the row codecs", () => {
  it("name exactly the DateTime and Boolean columns of their table in schema.prisma", async () => {
    const dmmf = await internals.getDMMF({ datamodel: readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8") });
    const declared = Object.fromEntries(codecs.map((codec) => [codec.table, { dates: [...codec.dates].sort(), booleans: [...codec.booleans].sort() }]));
    const inSchema = Object.fromEntries(
      dmmf.datamodel.models
        .filter((model) => model.name in declared)
        .map((model) => {
          const ofType = (type: string) =>
            model.fields
              .filter((field) => field.kind === "scalar" && field.type === type)
              .map((field) => field.name)
              .sort();
          return [model.name, { dates: ofType("DateTime"), booleans: ofType("Boolean") }];
        }),
    );
    expect(declared).toEqual(inSchema);
  });

  it("reads an instance's stored settings over EC2's defaults, each row's own and frozen", () => {
    const decode = storedInstanceDecoder(["instanceId", "options"]);
    const old = decode(["i-0123456789abcdef0", "{}"]);
    expect(old.options).toEqual(defaultOptions);
    const stored = { monitoring: true, credits: { mode: "unlimited", events: [{ at: 1, kind: "launch", mode: "unlimited", instanceType: "t3.micro" }] } };
    const recent = decode(["i-0123456789abcdef1", JSON.stringify(stored)]);
    expect(recent.options).toEqual({ ...defaultOptions, ...stored });
    expect(Object.isFrozen(recent.options)).toBe(true);
    expect(Object.isFrozen(recent.options.credits)).toBe(true);
    // The defaults themselves stay as they were for the next row.
    expect(decode(["i-0123456789abcdef2", "{}"]).options.monitoring).toBe(false);
  });

  it("reads a stored date's moment as Date.parse does, in both stored forms and any other", () => {
    const moments = [0, -1, 951_868_800_000, 1_709_251_199_999, -62_135_596_800_000, 253_402_300_799_999];
    for (let i = 0; i < 2000; i++) moments.push(Math.floor((i / 2000 - 0.4) * 8e12) + i);
    for (const moment of moments) {
      const iso = new Date(moment).toISOString();
      expect([epochOf(iso), epochOf(iso.replace("Z", "+00:00"))]).toEqual([moment, moment]);
    }
    for (const other of ["2026-11-30T03:54:39.349+02:00", "2026-11-30", "2026-1x-30T03:54:39.349+00:00", "not a date"]) {
      expect(epochOf(other)).toEqual(Date.parse(other));
    }
  });
});
