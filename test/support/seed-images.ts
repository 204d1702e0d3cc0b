// Private images written straight to the database a server uses, not through the API (seeding is not what is
// measured or tested): bench/run.ts, bench/profile-images.ts and test/api/heavy-image-describe.test.ts.
import { newId } from "../../src/domain/ids.js";
import type { Image } from "../../src/domain/images.js";
import { openStore } from "../../src/store/database.js";
import { ImagesRepo } from "../../src/store/images-repo.js";

/** Setup, not measured: private images written straight to the database the server uses (WAL lets both write). */
export async function seedPrivateImages(databaseUrl: string, count: number): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    const repo = new ImagesRepo(store.prisma);
    const createdAt = new Date();
    for (let i = 0; i < count; i++) {
      const image: Image = {
        imageId: newId("ami"),
        accountId: "000000000000",
        region: "us-east-1",
        name: `bench-image-${i}`,
        public: false,
        imageType: "machine",
        architecture: "x86_64",
        virtualizationType: "hvm",
        rootDeviceName: "/dev/xvda",
        rootDeviceType: "ebs",
        blockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 8, VolumeType: "gp2", DeleteOnTermination: true } }],
        enaSupport: true,
        createdAt,
        availableAt: createdAt,
        launchPermissions: [],
        tags: [{ Key: "batch", Value: String(i % 100) }],
      };
      await repo.insert(image);
    }
  } finally {
    await store.close();
  }
}
