-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AccessKey" (
    "accessKeyId" TEXT NOT NULL PRIMARY KEY,
    "secretAccessKey" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AccessKey_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServerSecret" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "KeyPair" (
    "keyPairId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "keyName" TEXT NOT NULL,
    "keyType" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Tag" (
    "resourceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,

    PRIMARY KEY ("accountId", "resourceId", "key")
);

-- CreateIndex
CREATE INDEX "AccessKey_accountId_idx" ON "AccessKey"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "KeyPair_accountId_region_keyName_key" ON "KeyPair"("accountId", "region", "keyName");

-- CreateIndex
CREATE INDEX "Tag_accountId_region_resourceType_idx" ON "Tag"("accountId", "region", "resourceType");
