-- GetInstanceMetrics: the change points its models need (docs/neighbours.md, "Metrics over time").
-- CreateTable
CREATE TABLE "GuestStay" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "instanceType" TEXT NOT NULL,
    "arrivedAt" DATETIME NOT NULL,
    "leftAt" DATETIME
);

-- CreateTable
CREATE TABLE "InstanceWorkloadChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "cpuPercent" REAL NOT NULL,
    "diskIops" REAL NOT NULL,
    "networkMbps" REAL NOT NULL
);

-- CreateIndex
CREATE INDEX "GuestStay_serverId_arrivedAt_idx" ON "GuestStay"("serverId", "arrivedAt");

-- CreateIndex
CREATE INDEX "GuestStay_instanceId_idx" ON "GuestStay"("instanceId");

-- CreateIndex
CREATE INDEX "InstanceWorkloadChange_instanceId_at_idx" ON "InstanceWorkloadChange"("instanceId", "at");

-- What is on a server, and since when, follows every write of Instance.serverId, whichever path makes it (launch,
-- start, stop, terminate, a live migration's switchover, a failed server's recovery, and paths added later), so
-- triggers record it rather than each path. The time is the virtual clock's: a launch's launchTime, a start's,
-- stop's or terminate's stateChangedAt (written in the same UPDATE), a migration's completesAt. A move that changes
-- neither (a failed server's recovery) is recorded at the instance's last stateChangedAt (docs/neighbours.md).
CREATE TRIGGER "GuestStay_launch" AFTER INSERT ON "Instance" WHEN NEW."serverId" IS NOT NULL
BEGIN
    INSERT INTO "GuestStay" ("instanceId", "accountId", "serverId", "instanceType", "arrivedAt")
    VALUES (NEW."instanceId", NEW."accountId", NEW."serverId", NEW."instanceType", NEW."launchTime");
END;

CREATE TRIGGER "GuestStay_move" AFTER UPDATE OF "serverId" ON "Instance" WHEN NEW."serverId" IS NOT OLD."serverId"
BEGIN
    UPDATE "GuestStay"
    SET "leftAt" = CASE
        WHEN NEW."stateChangedAt" IS NOT OLD."stateChangedAt" THEN NEW."stateChangedAt"
        ELSE COALESCE(
            (SELECT "completesAt" FROM "InstanceMigration" WHERE "instanceId" = NEW."instanceId" AND "targetServerId" = NEW."serverId" ORDER BY "completesAt" DESC LIMIT 1),
            NEW."stateChangedAt")
        END
    WHERE "instanceId" = NEW."instanceId" AND "leftAt" IS NULL;
    INSERT INTO "GuestStay" ("instanceId", "accountId", "serverId", "instanceType", "arrivedAt")
    SELECT NEW."instanceId", NEW."accountId", NEW."serverId", NEW."instanceType", CASE
        WHEN NEW."stateChangedAt" IS NOT OLD."stateChangedAt" THEN NEW."stateChangedAt"
        ELSE COALESCE(
            (SELECT "completesAt" FROM "InstanceMigration" WHERE "instanceId" = NEW."instanceId" AND "targetServerId" = NEW."serverId" ORDER BY "completesAt" DESC LIMIT 1),
            NEW."stateChangedAt")
        END
    WHERE NEW."serverId" IS NOT NULL;
END;

-- Instances placed and workloads set before this migration: their stays from their last state change, their workload
-- from its last change.
INSERT INTO "GuestStay" ("instanceId", "accountId", "serverId", "instanceType", "arrivedAt")
SELECT "instanceId", "accountId", "serverId", "instanceType", "stateChangedAt" FROM "Instance" WHERE "serverId" IS NOT NULL;

INSERT INTO "InstanceWorkloadChange" ("instanceId", "at", "cpuPercent", "diskIops", "networkMbps")
SELECT "instanceId", "updatedAt", "cpuPercent", "diskIops", "networkMbps" FROM "InstanceWorkload";
