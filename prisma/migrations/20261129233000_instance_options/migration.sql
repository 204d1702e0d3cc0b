-- RunInstances keeps the settings it used to drop (metadata options, shutdown behaviour, monitoring, ...): one JSON
-- column, read and written only by the Instance codec (src/store/rows/instance.ts).
-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "options" TEXT NOT NULL DEFAULT '{}';
