-- EBS Multi-Attach: a volume may have up to 16 attachments, so they move from the Volume row to a table of their
-- own, one row per volume and instance. Every attachment a volume had (live or finished: which one is live depends
-- on the clock, which SQL does not know) is copied before its columns go.
-- CreateTable
CREATE TABLE "VolumeAttachment" (
    "volumeId" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "attachTime" DATETIME NOT NULL,
    "attachedAt" DATETIME NOT NULL,
    "detachAt" DATETIME,
    "deleteOnTermination" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("volumeId", "instanceId"),
    CONSTRAINT "VolumeAttachment_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "Volume" ("volumeId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CopyRows
INSERT INTO "VolumeAttachment" ("volumeId", "instanceId", "device", "attachTime", "attachedAt", "detachAt", "deleteOnTermination")
SELECT "volumeId", "instanceId", "device", "attachTime", "attachedAt", "detachAt", "deleteOnTermination"
FROM "Volume" WHERE "instanceId" IS NOT NULL;

-- CreateIndex
CREATE INDEX "VolumeAttachment_instanceId_idx" ON "VolumeAttachment"("instanceId");

-- DropIndex
DROP INDEX "Volume_instanceId_idx";

-- AlterTable: SQLite drops a column in place when no index, key or constraint names it (Prisma would rebuild the
-- table; dropping it here keeps the rows and the new foreign key untouched).
ALTER TABLE "Volume" DROP COLUMN "instanceId";
ALTER TABLE "Volume" DROP COLUMN "device";
ALTER TABLE "Volume" DROP COLUMN "attachTime";
ALTER TABLE "Volume" DROP COLUMN "attachedAt";
ALTER TABLE "Volume" DROP COLUMN "detachAt";
ALTER TABLE "Volume" DROP COLUMN "deleteOnTermination";
ALTER TABLE "Volume" ADD COLUMN "multiAttachEnabled" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "VolumeModification" ADD COLUMN "originalMultiAttachEnabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "VolumeModification" ADD COLUMN "targetMultiAttachEnabled" BOOLEAN NOT NULL DEFAULT false;
