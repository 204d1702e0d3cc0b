-- EnableEbsEncryptionByDefault / DisableEbsEncryptionByDefault: an account's setting per region, once changed.
-- CreateTable
CREATE TABLE "EbsEncryptionDefault" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,

    PRIMARY KEY ("accountId", "region")
);
