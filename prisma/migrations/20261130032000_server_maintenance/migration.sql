-- Server maintenance and failure: each server's state (placement skips servers that are not available), and the
-- scheduled events of the instances that cannot move live.
-- AlterTable
ALTER TABLE "Server" ADD COLUMN "state" TEXT NOT NULL DEFAULT 'available';

-- CreateTable
CREATE TABLE "InstanceEvent" (
    "instanceEventId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "notBefore" DATETIME NOT NULL,
    "notAfter" DATETIME,
    "notBeforeDeadline" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "completedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "InstanceEvent_accountId_region_instanceId_idx" ON "InstanceEvent"("accountId", "region", "instanceId");

-- CreateIndex
CREATE INDEX "InstanceEvent_completedAt_notBefore_idx" ON "InstanceEvent"("completedAt", "notBefore");
