-- The PV -> HVM conversion: runs are listed per account, region and definition, and a ClientToken names one run.
-- AlterTable
ALTER TABLE "WorkflowRun" ADD COLUMN "clientToken" TEXT;

-- CreateIndex
CREATE INDEX "WorkflowRun_accountId_region_definition_idx" ON "WorkflowRun"("accountId", "region", "definition");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowRun_accountId_region_clientToken_key" ON "WorkflowRun"("accountId", "region", "clientToken");
