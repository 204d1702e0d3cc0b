-- Spot Instances (docs/spot.md): the requests, and on each instance the request it fulfils.
-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "spotInstanceRequestId" TEXT;

-- CreateTable
CREATE TABLE "SpotInstanceRequest" (
    "spotInstanceRequestId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "statusCode" TEXT NOT NULL,
    "statusMessage" TEXT NOT NULL,
    "statusUpdatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "maxPrice" REAL,
    "interruptionBehavior" TEXT NOT NULL,
    "validFrom" DATETIME,
    "validUntil" DATETIME,
    "instanceType" TEXT NOT NULL,
    "productDescription" TEXT NOT NULL,
    "availabilityZone" TEXT,
    "launchSpecification" TEXT NOT NULL,
    "vCpus" INTEGER NOT NULL,
    "cores" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "wholeServer" BOOLEAN NOT NULL,
    "instanceId" TEXT,
    "launchedAvailabilityZone" TEXT,
    "noticeAt" DATETIME,
    "actionAt" DATETIME,
    "cause" TEXT,
    "fromRunInstances" BOOLEAN NOT NULL
);

-- CreateIndex
CREATE INDEX "SpotInstanceRequest_accountId_region_spotInstanceRequestId_idx" ON "SpotInstanceRequest"("accountId", "region", "spotInstanceRequestId");

-- CreateIndex
CREATE INDEX "SpotInstanceRequest_region_state_actionAt_idx" ON "SpotInstanceRequest"("region", "state", "actionAt");

-- CreateIndex
CREATE INDEX "SpotInstanceRequest_instanceId_idx" ON "SpotInstanceRequest"("instanceId");
