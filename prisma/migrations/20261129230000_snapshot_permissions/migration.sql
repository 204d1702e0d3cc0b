-- ModifySnapshotAttribute's createVolumePermission: the account ids a snapshot is shared with, as JSON.
-- AlterTable
ALTER TABLE "Snapshot" ADD COLUMN "createVolumePermissions" TEXT NOT NULL DEFAULT '[]';
