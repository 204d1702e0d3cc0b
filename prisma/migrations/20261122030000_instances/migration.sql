-- CreateTable
CREATE TABLE "Server" (
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
    "freeVCpus" INTEGER NOT NULL,
    "freeCores" INTEGER NOT NULL,
    "freeMemoryMiB" INTEGER NOT NULL,
    "instanceCount" INTEGER NOT NULL,
    "dedicatedHostId" TEXT
);

-- CreateTable
CREATE TABLE "DedicatedHost" (
    "hostId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "availabilityZone" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "instanceType" TEXT,
    "instanceFamily" TEXT,
    "autoPlacement" TEXT NOT NULL,
    "hostRecovery" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "allocatedAt" DATETIME NOT NULL,
    "releasedAt" DATETIME,
    "clientToken" TEXT
);

-- CreateTable
CREATE TABLE "PlacementGroup" (
    "groupId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "groupName" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "partitionCount" INTEGER,
    "spreadLevel" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Instance" (
    "instanceId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "reservationId" TEXT NOT NULL,
    "clientToken" TEXT,
    "imageId" TEXT NOT NULL,
    "instanceType" TEXT NOT NULL,
    "availabilityZone" TEXT NOT NULL,
    "serverId" TEXT,
    "hypervisor" TEXT NOT NULL,
    "tenancy" TEXT NOT NULL,
    "hostId" TEXT,
    "affinity" TEXT,
    "placementGroupId" TEXT,
    "partitionNumber" INTEGER,
    "kernelId" TEXT,
    "ramdiskId" TEXT,
    "architecture" TEXT NOT NULL,
    "virtualizationType" TEXT NOT NULL,
    "platform" TEXT,
    "rootDeviceName" TEXT NOT NULL,
    "blockDeviceMappings" TEXT NOT NULL,
    "enaSupport" BOOLEAN NOT NULL,
    "sriovNetSupport" TEXT,
    "bootMode" TEXT NOT NULL,
    "keyName" TEXT,
    "userData" TEXT,
    "disableApiTermination" BOOLEAN NOT NULL,
    "launchIndex" INTEGER NOT NULL,
    "launchTime" DATETIME NOT NULL,
    "state" TEXT NOT NULL,
    "stateChangedAt" DATETIME NOT NULL,
    "transitionEndsAt" DATETIME NOT NULL,
    "stateReason" TEXT,
    "privateIpAddress" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Server_dedicatedHostId_key" ON "Server"("dedicatedHostId");

-- CreateIndex
CREATE INDEX "Server_availabilityZone_dedicatedHostId_hostClass_freeVCpus_idx" ON "Server"("availabilityZone", "dedicatedHostId", "hostClass", "freeVCpus");

-- CreateIndex
CREATE INDEX "DedicatedHost_accountId_region_idx" ON "DedicatedHost"("accountId", "region");

-- CreateIndex
CREATE UNIQUE INDEX "PlacementGroup_accountId_region_groupName_key" ON "PlacementGroup"("accountId", "region", "groupName");

-- CreateIndex
CREATE INDEX "Instance_accountId_region_instanceId_idx" ON "Instance"("accountId", "region", "instanceId");

-- CreateIndex
CREATE INDEX "Instance_accountId_region_clientToken_idx" ON "Instance"("accountId", "region", "clientToken");

-- CreateIndex
CREATE INDEX "Instance_serverId_idx" ON "Instance"("serverId");

-- CreateIndex
CREATE INDEX "Instance_placementGroupId_idx" ON "Instance"("placementGroupId");
