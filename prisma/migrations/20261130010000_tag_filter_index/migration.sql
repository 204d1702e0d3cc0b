-- Tag filters read the matching resources' ids from this index alone: with resourceId in it, SQLite neither reads
-- each tag's row for the id nor sorts the ids, and DescribeInstances' tag-filtered page stops after a page of them.
-- DropIndex
DROP INDEX "Tag_accountId_region_resourceType_key_value_idx";

-- CreateIndex
CREATE INDEX "Tag_accountId_region_resourceType_key_value_resourceId_idx" ON "Tag"("accountId", "region", "resourceType", "key", "value", "resourceId");
