-- Dedicated Hosts' host maintenance setting, and the replacement host a failed or maintained host hands its
-- instances to (host recovery, host maintenance).
-- AlterTable
ALTER TABLE "DedicatedHost" ADD COLUMN "hostMaintenance" TEXT NOT NULL DEFAULT 'off';
ALTER TABLE "DedicatedHost" ADD COLUMN "replacementHostId" TEXT;
