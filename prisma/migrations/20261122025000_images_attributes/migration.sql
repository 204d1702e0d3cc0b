-- CopyImage: where a copy came from, and the ClientToken that makes the call idempotent.
ALTER TABLE "Image" ADD COLUMN "sourceImageId" TEXT;
ALTER TABLE "Image" ADD COLUMN "sourceRegion" TEXT;
ALTER TABLE "Image" ADD COLUMN "clientToken" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Image_accountId_region_clientToken_key" ON "Image"("accountId", "region", "clientToken");

-- CreateIndex: tag filters find the matching resource ids without reading every resource
CREATE INDEX "Tag_accountId_region_resourceType_key_value_idx" ON "Tag"("accountId", "region", "resourceType", "key", "value");
