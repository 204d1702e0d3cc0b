-- Best-fit placement orders candidate servers by (freeVCpus, serverId). Without serverId in the index, SQLite
-- sorted every server with the same free vCPUs (the whole empty part of the fleet) to find the first one.
-- DropIndex
DROP INDEX "Server_availabilityZone_dedicatedHostId_hostClass_freeVCpus_idx";

-- CreateIndex
CREATE INDEX "Server_availabilityZone_dedicatedHostId_hostClass_freeVCpus_serverId_idx" ON "Server"("availabilityZone", "dedicatedHostId", "hostClass", "freeVCpus", "serverId");
