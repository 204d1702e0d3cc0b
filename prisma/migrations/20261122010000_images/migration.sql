-- CreateTable
CREATE TABLE "Snapshot" (
    "snapshotId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "ownerAlias" TEXT,
    "volumeId" TEXT,
    "volumeSize" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "encrypted" BOOLEAN NOT NULL,
    "public" BOOLEAN NOT NULL,
    "startTime" DATETIME NOT NULL,
    "completesAt" DATETIME NOT NULL,
    "guest" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Image" (
    "imageId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "ownerAlias" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "public" BOOLEAN NOT NULL,
    "imageType" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "virtualizationType" TEXT NOT NULL,
    "kernelId" TEXT,
    "ramdiskId" TEXT,
    "rootDeviceName" TEXT,
    "rootDeviceType" TEXT NOT NULL,
    "blockDeviceMappings" TEXT NOT NULL,
    "enaSupport" BOOLEAN NOT NULL,
    "sriovNetSupport" TEXT,
    "bootMode" TEXT,
    "platform" TEXT,
    "createdAt" DATETIME NOT NULL,
    "availableAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ImageLaunchPermission" (
    "imageId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,

    PRIMARY KEY ("imageId", "accountId"),
    CONSTRAINT "ImageLaunchPermission_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("imageId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Snapshot_accountId_region_idx" ON "Snapshot"("accountId", "region");

-- CreateIndex
CREATE INDEX "Image_region_public_idx" ON "Image"("region", "public");

-- CreateIndex
CREATE UNIQUE INDEX "Image_accountId_region_name_key" ON "Image"("accountId", "region", "name");

-- CreateIndex
CREATE INDEX "ImageLaunchPermission_accountId_idx" ON "ImageLaunchPermission"("accountId");
