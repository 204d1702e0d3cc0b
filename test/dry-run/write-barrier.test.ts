// The write barrier by itself (src/store/write-barrier.ts): what a dry run refuses, and what it leaves alone.
import { describe, expect, it } from "vitest";
import { barWriteInDryRun, dryRunWithoutWrites, housekeeping, WriteBarred } from "../../src/store/write-barrier.js";

const insert = 'INSERT INTO "Volume" ("volumeId") VALUES (?)';
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the write barrier", () => {
  it("refuses a dry run's first write and reports it reached; reads and transaction control pass", async () => {
    const outcome = await dryRunWithoutWrites(async () => {
      for (const statement of ['SELECT * FROM "Volume"', "BEGIN", "SAVEPOINT s1", "WITH x AS (SELECT 1) SELECT * FROM x"]) barWriteInDryRun(statement);
      await tick();
      expect(() => barWriteInDryRun('  update "Volume" SET "size" = 1')).toThrow(WriteBarred);
    });
    expect(outcome).toBe("reached-write");
  });

  it("answers a check's error thrown before any write, and changes-nothing for a handler that never writes", async () => {
    await expect(dryRunWithoutWrites(async () => Promise.reject(new Error("InvalidVolume.NotFound")))).rejects.toThrow("InvalidVolume.NotFound");
    expect(await dryRunWithoutWrites(async () => barWriteInDryRun("SELECT 1"))).toBe("changes-nothing");
  });

  it("counts a write the handler caught and hid as reached: the checks before it all passed", async () => {
    const outcome = await dryRunWithoutWrites(async () => {
      try {
        barWriteInDryRun(insert);
      } catch {
        throw new Error("a repository's own wrapping of the refused insert");
      }
    });
    expect(outcome).toBe("reached-write");
  });

  it("bars nothing outside a dry run: a concurrent request, housekeeping, and work the dry run left behind", async () => {
    let leftBehind: Promise<void> | undefined;
    const concurrent = (async () => {
      await tick();
      barWriteInDryRun(insert);
    })();
    await dryRunWithoutWrites(async () => {
      housekeeping(() => barWriteInDryRun('INSERT INTO "AccountNetwork" ("accountId") VALUES (?)'));
      leftBehind = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        barWriteInDryRun(insert);
      })();
      await tick();
      barWriteInDryRun("SELECT 1");
    });
    await concurrent;
    await leftBehind;
    expect(() => barWriteInDryRun(insert)).not.toThrow();
  });
});
