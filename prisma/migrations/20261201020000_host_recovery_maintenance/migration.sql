-- Dedicated Hosts' host maintenance setting, and the replacement host a failed or maintained host hands its
-- instances to (host recovery, host maintenance).
-- AlterTable
ALTER TABLE "DedicatedHost" ADD COLUMN "hostMaintenance" TEXT NOT NULL DEFAULT 'off';
ALTER TABLE "DedicatedHost" ADD COLUMN "replacementHostId" TEXT;

-- When a recovered guest booted again on another server: GetConsoleOutput's Timestamp.
ALTER TABLE "Instance" ADD COLUMN "bootedAt" DATETIME;
