-- RegisterImage's UefiData, which GetInstanceUefiData returns for the image's UEFI instances.
-- AlterTable
ALTER TABLE "Image" ADD COLUMN "uefiData" TEXT;
