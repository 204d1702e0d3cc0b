-- Networking (docs/networking.md): the default VPC, subnets, security groups, gateways, route tables, network ACLs,
-- network interfaces and their addresses, Elastic IPs; and the VPC and subnet of each instance's primary interface.
-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "vpcId" TEXT;
ALTER TABLE "Instance" ADD COLUMN "subnetId" TEXT;

-- CreateTable
CREATE TABLE "AccountNetwork" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "defaultVpcId" TEXT,

    PRIMARY KEY ("accountId", "region")
);

-- CreateTable
CREATE TABLE "Vpc" (
    "vpcId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "cidrBlock" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL,
    "instanceTenancy" TEXT NOT NULL,
    "enableDnsSupport" BOOLEAN NOT NULL,
    "enableDnsHostnames" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Subnet" (
    "subnetId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "vpcId" TEXT NOT NULL,
    "cidrBlock" TEXT NOT NULL,
    "availabilityZone" TEXT NOT NULL,
    "defaultForAz" BOOLEAN NOT NULL,
    "mapPublicIpOnLaunch" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SecurityGroup" (
    "groupId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "vpcId" TEXT NOT NULL,
    "groupName" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SecurityGroupRule" (
    "ruleId" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "isEgress" BOOLEAN NOT NULL,
    "ipProtocol" TEXT NOT NULL,
    "fromPort" INTEGER,
    "toPort" INTEGER,
    "cidrIpv4" TEXT,
    "cidrIpv6" TEXT,
    "prefixListId" TEXT,
    "referencedGroupId" TEXT,
    "description" TEXT
);

-- CreateTable
CREATE TABLE "InternetGateway" (
    "internetGatewayId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "vpcId" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RouteTable" (
    "routeTableId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "vpcId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Route" (
    "routeTableId" TEXT NOT NULL,
    "destinationCidrBlock" TEXT NOT NULL,
    "gatewayId" TEXT,
    "networkInterfaceId" TEXT,
    "instanceId" TEXT,
    "origin" TEXT NOT NULL,

    PRIMARY KEY ("routeTableId", "destinationCidrBlock")
);

-- CreateTable
CREATE TABLE "RouteTableAssociation" (
    "associationId" TEXT NOT NULL PRIMARY KEY,
    "routeTableId" TEXT NOT NULL,
    "subnetId" TEXT,
    "main" BOOLEAN NOT NULL
);

-- CreateTable
CREATE TABLE "NetworkAcl" (
    "networkAclId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "vpcId" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL,
    "entries" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "NetworkInterface" (
    "networkInterfaceId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "subnetId" TEXT NOT NULL,
    "vpcId" TEXT NOT NULL,
    "availabilityZone" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "interfaceType" TEXT NOT NULL,
    "macAddress" TEXT NOT NULL,
    "sourceDestCheck" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "instanceId" TEXT,
    "attachmentId" TEXT,
    "deviceIndex" INTEGER,
    "networkCardIndex" INTEGER,
    "attachedAt" DATETIME,
    "deleteOnTermination" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "NetworkInterfaceGroup" (
    "networkInterfaceId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,

    PRIMARY KEY ("networkInterfaceId", "groupId")
);

-- CreateTable
CREATE TABLE "PrivateIpAddress" (
    "subnetId" TEXT NOT NULL,
    "addressNumber" INTEGER NOT NULL,
    "privateIpAddress" TEXT NOT NULL,
    "networkInterfaceId" TEXT NOT NULL,
    "primary" BOOLEAN NOT NULL,

    PRIMARY KEY ("subnetId", "addressNumber")
);

-- CreateTable
CREATE TABLE "Address" (
    "allocationId" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "publicIp" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "associationId" TEXT,
    "networkInterfaceId" TEXT,
    "privateIpAddress" TEXT
);

-- CreateIndex
CREATE INDEX "Vpc_accountId_region_idx" ON "Vpc"("accountId", "region");

-- CreateIndex
CREATE INDEX "Subnet_accountId_region_idx" ON "Subnet"("accountId", "region");

-- CreateIndex
CREATE INDEX "Subnet_vpcId_idx" ON "Subnet"("vpcId");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityGroup_vpcId_groupName_key" ON "SecurityGroup"("vpcId", "groupName");

-- CreateIndex
CREATE INDEX "SecurityGroup_accountId_region_idx" ON "SecurityGroup"("accountId", "region");

-- CreateIndex
CREATE INDEX "SecurityGroupRule_groupId_idx" ON "SecurityGroupRule"("groupId");

-- CreateIndex
CREATE INDEX "SecurityGroupRule_referencedGroupId_idx" ON "SecurityGroupRule"("referencedGroupId");

-- CreateIndex
CREATE INDEX "InternetGateway_accountId_region_idx" ON "InternetGateway"("accountId", "region");

-- CreateIndex
CREATE INDEX "InternetGateway_vpcId_idx" ON "InternetGateway"("vpcId");

-- CreateIndex
CREATE INDEX "RouteTable_accountId_region_idx" ON "RouteTable"("accountId", "region");

-- CreateIndex
CREATE INDEX "RouteTable_vpcId_idx" ON "RouteTable"("vpcId");

-- CreateIndex
CREATE UNIQUE INDEX "RouteTableAssociation_subnetId_key" ON "RouteTableAssociation"("subnetId");

-- CreateIndex
CREATE INDEX "RouteTableAssociation_routeTableId_idx" ON "RouteTableAssociation"("routeTableId");

-- CreateIndex
CREATE INDEX "NetworkAcl_accountId_region_idx" ON "NetworkAcl"("accountId", "region");

-- CreateIndex
CREATE INDEX "NetworkAcl_vpcId_idx" ON "NetworkAcl"("vpcId");

-- CreateIndex
CREATE INDEX "NetworkInterface_accountId_region_idx" ON "NetworkInterface"("accountId", "region");

-- CreateIndex
CREATE INDEX "NetworkInterface_instanceId_idx" ON "NetworkInterface"("instanceId");

-- CreateIndex
CREATE INDEX "NetworkInterface_subnetId_idx" ON "NetworkInterface"("subnetId");

-- CreateIndex
CREATE INDEX "NetworkInterfaceGroup_groupId_idx" ON "NetworkInterfaceGroup"("groupId");

-- CreateIndex
CREATE INDEX "PrivateIpAddress_networkInterfaceId_idx" ON "PrivateIpAddress"("networkInterfaceId");

-- CreateIndex
CREATE UNIQUE INDEX "Address_publicIp_key" ON "Address"("publicIp");

-- CreateIndex
CREATE INDEX "Address_accountId_region_idx" ON "Address"("accountId", "region");

-- CreateIndex
CREATE INDEX "Address_networkInterfaceId_idx" ON "Address"("networkInterfaceId");
