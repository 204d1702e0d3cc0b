-- CreateTable
CREATE TABLE "LaunchTemplate" (
    "launchTemplateId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "launchTemplateName" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "defaultVersion" INTEGER NOT NULL,
    "latestVersion" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "LaunchTemplateVersion" (
    "launchTemplateId" TEXT NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "description" TEXT,
    "data" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("launchTemplateId", "versionNumber")
);

-- CreateIndex
CREATE UNIQUE INDEX "LaunchTemplate_accountId_region_launchTemplateName_key" ON "LaunchTemplate"("accountId", "region", "launchTemplateName");
