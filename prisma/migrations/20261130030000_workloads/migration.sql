-- SetInstanceWorkload: what each instance's guest does (src/domain/workload.ts); an instance without a row runs
-- the idle default.
-- CreateTable
CREATE TABLE "InstanceWorkload" (
    "instanceId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "cpuPercent" REAL NOT NULL,
    "dirtyPagesPerSecond" REAL NOT NULL,
    "writableWorkingSetMiB" REAL NOT NULL,
    "diskIops" REAL NOT NULL,
    "networkMbps" REAL NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
