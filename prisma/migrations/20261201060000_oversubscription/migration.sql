-- Burstable guests take a fraction of a thread on a shared server (docs/fleet.md "Oversubscription"): a t3.nano's
-- 2 vCPUs take 0.5 of the server's vCPUs, so the free vCPUs of a server, and the vCPUs a Spot request holds, are
-- REAL. SQLite cannot change a column's type: both tables are rebuilt (Prisma's RedefineTables pattern).
CREATE TABLE "new_Server" (
    "serverId" TEXT NOT NULL PRIMARY KEY,
    "region" TEXT NOT NULL,
    "availabilityZone" TEXT NOT NULL,
    "hostClass" TEXT NOT NULL,
    "hypervisor" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "sockets" INTEGER NOT NULL,
    "cores" INTEGER NOT NULL,
    "totalVCpus" INTEGER NOT NULL,
    "memoryMiB" INTEGER NOT NULL,
    "freeVCpus" REAL NOT NULL,
    "freeCores" INTEGER NOT NULL,
    "freeMemoryMiB" INTEGER NOT NULL,
    "instanceCount" INTEGER NOT NULL,
    "dedicatedHostId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'available'
);
INSERT INTO "new_Server" ("serverId", "region", "availabilityZone", "hostClass", "hypervisor", "architecture", "sockets", "cores", "totalVCpus", "memoryMiB", "freeVCpus", "freeCores", "freeMemoryMiB", "instanceCount", "dedicatedHostId", "state")
SELECT "serverId", "region", "availabilityZone", "hostClass", "hypervisor", "architecture", "sockets", "cores", "totalVCpus", "memoryMiB", "freeVCpus", "freeCores", "freeMemoryMiB", "instanceCount", "dedicatedHostId", "state" FROM "Server";
DROP TABLE "Server";
ALTER TABLE "new_Server" RENAME TO "Server";
CREATE UNIQUE INDEX "Server_dedicatedHostId_key" ON "Server"("dedicatedHostId");
CREATE INDEX "Server_availabilityZone_dedicatedHostId_hostClass_freeVCpus_serverId_idx" ON "Server"("availabilityZone", "dedicatedHostId", "hostClass", "freeVCpus", "serverId");

CREATE TABLE "new_SpotInstanceRequest" (
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
    "vCpus" REAL NOT NULL,
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
INSERT INTO "new_SpotInstanceRequest" SELECT "spotInstanceRequestId", "accountId", "region", "type", "state", "statusCode", "statusMessage", "statusUpdatedAt", "createdAt", "maxPrice", "interruptionBehavior", "validFrom", "validUntil", "instanceType", "productDescription", "availabilityZone", "launchSpecification", "vCpus", "cores", "memoryMiB", "wholeServer", "instanceId", "launchedAvailabilityZone", "noticeAt", "actionAt", "cause", "fromRunInstances" FROM "SpotInstanceRequest";
DROP TABLE "SpotInstanceRequest";
ALTER TABLE "new_SpotInstanceRequest" RENAME TO "SpotInstanceRequest";
CREATE INDEX "SpotInstanceRequest_accountId_region_spotInstanceRequestId_idx" ON "SpotInstanceRequest"("accountId", "region", "spotInstanceRequestId");
CREATE INDEX "SpotInstanceRequest_region_state_actionAt_idx" ON "SpotInstanceRequest"("region", "state", "actionAt");
CREATE INDEX "SpotInstanceRequest_instanceId_idx" ON "SpotInstanceRequest"("instanceId");
