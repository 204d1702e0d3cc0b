// The migration that moved a volume's one attachment from the Volume row to the VolumeAttachment table: a database
// of the release before it keeps every attachment, live or finished, and the volume keeps everything else.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "../../src/store/migrations.js";

const split = "20261130010000_volume_attachments";

describe("the volume_attachments migration", () => {
  it("copies each volume's attachment into VolumeAttachment and drops the old columns", () => {
    const db = new Database(":memory:");
    db.pragma("foreign_keys = ON");
    const migrations = readMigrations();
    const before = migrations.findIndex((migration) => migration.name === split);
    expect(before).toBeGreaterThan(0);
    applyMigrations(db, migrations.slice(0, before));
    const insert = db.prepare(
      `INSERT INTO "Volume" ("volumeId", "accountId", "region", "availabilityZone", "size", "volumeType", "encrypted", "createdAt", "availableAt",
         "instanceId", "device", "attachTime", "attachedAt", "detachAt", "deleteOnTermination")
       VALUES (?, '123456789012', 'us-east-1', 'us-east-1a', 8, 'gp2', 0, '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00', ?, ?, ?, ?, ?, ?)`,
    );
    insert.run("vol-attached", "i-one", "/dev/xvda", "2026-01-01T00:00:00.000+00:00", "2026-01-01T00:00:05.000+00:00", null, 1);
    insert.run("vol-detached", "i-two", "/dev/sdf", "2026-01-01T00:00:00.000+00:00", "2026-01-01T00:00:05.000+00:00", "2026-01-01T00:01:00.000+00:00", 0);
    insert.run("vol-free", null, null, null, null, null, 0);

    expect(applyMigrations(db, migrations)).toContain(split);
    expect(db.prepare(`SELECT * FROM "VolumeAttachment" ORDER BY "volumeId"`).all()).toEqual([
      {
        volumeId: "vol-attached",
        instanceId: "i-one",
        device: "/dev/xvda",
        attachTime: "2026-01-01T00:00:00.000+00:00",
        attachedAt: "2026-01-01T00:00:05.000+00:00",
        detachAt: null,
        deleteOnTermination: 1,
      },
      {
        volumeId: "vol-detached",
        instanceId: "i-two",
        device: "/dev/sdf",
        attachTime: "2026-01-01T00:00:00.000+00:00",
        attachedAt: "2026-01-01T00:00:05.000+00:00",
        detachAt: "2026-01-01T00:01:00.000+00:00",
        deleteOnTermination: 0,
      },
    ]);
    const columns = (db.prepare(`PRAGMA table_info("Volume")`).all() as { name: string }[]).map((column) => column.name);
    expect(columns).not.toContain("instanceId");
    expect(columns).toContain("multiAttachEnabled");
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "Volume"`).get()).toEqual({ n: 3 });
    // The attachments go with their volume.
    db.prepare(`DELETE FROM "Volume" WHERE "volumeId" = 'vol-attached'`).run();
    expect(db.prepare(`SELECT "volumeId" FROM "VolumeAttachment"`).all()).toEqual([{ volumeId: "vol-detached" }]);
  });
});
