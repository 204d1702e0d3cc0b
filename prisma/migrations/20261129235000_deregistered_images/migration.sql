-- DescribeImages shows a deregistered image for a while (state deregistered) before it answers NotFound, as EC2
-- does; the Image table keeps only images that exist, so its unique name may be registered again at once.
-- CreateTable
CREATE TABLE "DeregisteredImage" (
    "imageId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "deregisteredAt" DATETIME NOT NULL,
    "image" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "DeregisteredImage_region_deregisteredAt_idx" ON "DeregisteredImage"("region", "deregisteredAt");
