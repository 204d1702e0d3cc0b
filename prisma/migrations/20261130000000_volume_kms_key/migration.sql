-- CreateVolume and RunInstances kept no KmsKeyId: an encrypted volume now keeps the key it was asked for.
-- AlterTable
ALTER TABLE "Volume" ADD COLUMN "kmsKeyId" TEXT;
