// The store's two speed measures that must never cost correctness: WAL checkpoints in a worker (the serving
// connections never checkpoint, yet the WAL does not grow without end and nothing is lost), and the read cache
// of the synchronous connection (a row another connection changed is never answered from memory).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { startCheckpointer, walBytes } from "../../src/store/checkpointer.js";
import { openStore } from "../../src/store/database.js";
import { ImagesRepo } from "../../src/store/images-repo.js";
import { AccountsRepo } from "../../src/store/accounts-repo.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-checkpoints-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function walDatabase(name: string): Database.Database {
  const db = new Database(join(dir, name));
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, payload TEXT)");
  return db;
}

const fill = (db: Database.Database, rows: number) => {
  const insert = db.prepare("INSERT INTO filler (payload) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run("x".repeat(1000));
  })();
};

describe("the checkpoint worker", () => {
  it("copies committed pages into the database file while the writer goes on, and empties a WAL grown past its limit", async () => {
    const db = walDatabase("limit.db");
    const file = join(dir, "limit.db");
    fill(db, 3000);
    expect(walBytes(file)).toBeGreaterThan(2_000_000);
    const databaseBefore = statSync(file).size;
    const checkpointer = startCheckpointer(
      file,
      (error) => {
        throw error;
      },
      { intervalMs: 20, truncateAtBytes: 1_000_000 },
    );
    await expect.poll(() => walBytes(file), { timeout: 10_000, interval: 20 }).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(databaseBefore + 2_000_000);
    // The writer was never blocked for good: it writes on, and the rows are all there.
    fill(db, 10);
    expect(db.prepare("SELECT count(*) AS n FROM filler").get()).toEqual({ n: 3010 });
    await checkpointer.stop();
    expect(walBytes(file)).toBe(0);
    db.close();
  });

  it("is what checkpoints a store: its connections do not, and closing it leaves no WAL behind", async () => {
    const url = `file:${join(dir, "store.db")}`;
    const store = await openStore(url);
    expect(await store.prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint")).toEqual([{ wal_autocheckpoint: 0n }]);
    await store.prisma.accessKey.count();
    await store.close();
    expect(walBytes(join(dir, "store.db"))).toBe(0);
    const reopened = new Database(join(dir, "store.db"), { readonly: true });
    expect((reopened.prepare("SELECT count(*) AS n FROM _prisma_migrations").get() as { n: number }).n).toBeGreaterThan(0);
    reopened.close();
  });
});

describe("the read cache of the synchronous connection", () => {
  it("answers an access key from memory until another connection changes it, then reads the new row", async () => {
    const store = await openStore(`file:${join(dir, "cache.db")}`);
    try {
      await store.prisma.account.create({ data: { id: "111122223333" } });
      await store.prisma.accessKey.create({ data: { accessKeyId: "AKIACACHE", secretAccessKey: "first", accountId: "111122223333" } });
      const accounts = new AccountsRepo(store.sql);
      expect(await accounts.findAccessKey("AKIACACHE")).toMatchObject({ secretAccessKey: "first" });
      await store.prisma.accessKey.update({ where: { accessKeyId: "AKIACACHE" }, data: { secretAccessKey: "second" } });
      expect(await accounts.findAccessKey("AKIACACHE")).toMatchObject({ secretAccessKey: "second" });
      await store.prisma.accessKey.delete({ where: { accessKeyId: "AKIACACHE" } });
      expect(await accounts.findAccessKey("AKIACACHE")).toBeNull();
    } finally {
      await store.close();
    }
  });

  it("shares one key cache between the repos of one connection: a key one writes, the other finds", async () => {
    const store = await openStore(`file:${join(dir, "shared-keys.db")}`);
    try {
      const reader = new AccountsRepo(store.sql);
      const writer = new AccountsRepo(store.sql);
      expect(await reader.findAccessKey("AKIASHARED")).toBeNull();
      await writer.createAccountWithKey({ accessKeyId: "AKIASHARED", secretAccessKey: "s", accountId: "444455556666" });
      expect(await reader.findAccessKey("AKIASHARED")).toMatchObject({ accountId: "444455556666" });
      await writer.deleteAccessKey("AKIASHARED");
      expect(await reader.findAccessKey("AKIASHARED")).toBeNull();
    } finally {
      await store.close();
    }
  });

  it("hands out frozen images, so that no caller can change what the next one reads", async () => {
    const store = await openStore(`file:${join(dir, "images.db")}`);
    try {
      const images = new ImagesRepo(store.prisma, store.sql);
      const createdAt = new Date();
      await new ImagesRepo(store.prisma).insert({
        imageId: "ami-0123456789abcdef0",
        accountId: "111122223333",
        region: "us-east-1",
        name: "frozen",
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
        tags: [],
      });
      const image = (await images.find("us-east-1", "ami-0123456789abcdef0"))!;
      expect(image.name).toBe("frozen");
      expect(() => {
        (image as { name: string }).name = "changed";
      }).toThrow(TypeError);
      expect(() => image.blockDeviceMappings.push({ DeviceName: "/dev/sdb" })).toThrow(TypeError);
      expect((await images.find("us-east-1", "ami-0123456789abcdef0"))!.name).toBe("frozen");
    } finally {
      await store.close();
    }
  });
});
