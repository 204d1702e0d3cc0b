-- CreateTable
CREATE TABLE "Volume" (
    "volumeId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "availabilityZone" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "volumeType" TEXT NOT NULL,
    "iops" INTEGER,
    "throughput" INTEGER,
    "encrypted" BOOLEAN NOT NULL,
    "snapshotId" TEXT,
    "guest" TEXT,
    "createdAt" DATETIME NOT NULL,
    "availableAt" DATETIME NOT NULL,
    "instanceId" TEXT,
    "device" TEXT,
    "attachTime" DATETIME,
    "attachedAt" DATETIME,
    "detachAt" DATETIME,
    "deleteOnTermination" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "VolumeModification" (
    "modificationId" TEXT NOT NULL PRIMARY KEY,
    "volumeId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "originalSize" INTEGER NOT NULL,
    "originalVolumeType" TEXT NOT NULL,
    "originalIops" INTEGER,
    "originalThroughput" INTEGER,
    "targetSize" INTEGER NOT NULL,
    "targetVolumeType" TEXT NOT NULL,
    "targetIops" INTEGER,
    "targetThroughput" INTEGER,
    "startTime" DATETIME NOT NULL,
    "optimizingAt" DATETIME NOT NULL,
    "completesAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WorkflowRun" (
    "runId" TEXT NOT NULL PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "input" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "failureReason" TEXT,
    "output" TEXT,
    "accountId" TEXT,
    "region" TEXT,
    "keepArtifacts" BOOLEAN NOT NULL DEFAULT false,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WorkflowStep" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "result" TEXT,
    "error" TEXT,
    "completedAt" DATETIME,
    "compensation" TEXT,
    "compensatedAt" DATETIME,

    PRIMARY KEY ("runId", "name"),
    CONSTRAINT "WorkflowStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "WorkflowRun" ("runId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Volume_accountId_region_idx" ON "Volume"("accountId", "region");

-- CreateIndex
CREATE INDEX "Volume_instanceId_idx" ON "Volume"("instanceId");

-- CreateIndex
CREATE INDEX "VolumeModification_accountId_region_volumeId_idx" ON "VolumeModification"("accountId", "region", "volumeId");

-- CreateIndex
CREATE INDEX "WorkflowRun_state_idx" ON "WorkflowRun"("state");
