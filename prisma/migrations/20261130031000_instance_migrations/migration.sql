-- MigrateInstance and server maintenance: each live migration, its model's figures and where it stands.
-- CreateTable
CREATE TABLE "InstanceMigration" (
    "migrationId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "instanceType" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "initiatedBy" TEXT NOT NULL,
    "sourceServerId" TEXT NOT NULL,
    "targetServerId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "completesAt" DATETIME NOT NULL,
    "rounds" TEXT NOT NULL,
    "endedBy" TEXT,
    "totalTimeMs" REAL NOT NULL,
    "downtimeMs" REAL NOT NULL,
    "bytesTransferred" REAL NOT NULL,
    "pageFaults" INTEGER,
    "failureReason" TEXT
);

-- CreateIndex
CREATE INDEX "InstanceMigration_accountId_region_instanceId_idx" ON "InstanceMigration"("accountId", "region", "instanceId");

-- CreateIndex
CREATE INDEX "InstanceMigration_state_completesAt_idx" ON "InstanceMigration"("state", "completesAt");
