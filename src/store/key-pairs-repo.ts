// Key pairs, always read and written within one account and region.
import { insertUnlessTaken } from "./unique-insert.js";
import type { Scope } from "../domain/caller.js";
import type { KeyPair } from "../domain/key-pairs.js";
import { type PrismaClient } from "./generated/client.js";
import { scopeWhere } from "./scope.js";
import { deleteTags, insertTags, tagsByResource } from "./tags-repo.js";

export class KeyPairsRepo {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores the key pair and its tags together; "duplicate" when the name is taken in this account and region. */
  async insert(keyPair: KeyPair): Promise<"created" | "duplicate"> {
    const { tags, keyPairId, keyName, keyType, fingerprint, publicKey, createdAt } = keyPair;
    const row = { keyPairId, keyName, keyType, fingerprint, publicKey, createdAt, ...scopeWhere(keyPair) };
    return insertUnlessTaken(
      () => this.prisma.keyPair.findFirst({ where: { ...scopeWhere(keyPair), keyName }, select: { keyPairId: true } }),
      () =>
        this.prisma.$transaction(async (tx) => {
          await tx.keyPair.create({ data: row });
          await insertTags(tx, { resourceId: row.keyPairId, resourceType: "key-pair", accountId: row.accountId, region: row.region }, tags);
        }),
    );
  }

  async list(scope: Scope): Promise<KeyPair[]> {
    const rows = await this.prisma.keyPair.findMany({ where: scopeWhere(scope), orderBy: { keyName: "asc" } });
    const tags = await tagsByResource(
      this.prisma,
      scope,
      "key-pair",
      rows.map((row) => row.keyPairId),
    );
    return rows.map((row) => ({ ...row, keyType: row.keyType as KeyPair["keyType"], tags: tags.get(row.keyPairId) ?? [] }));
  }

  /** The type and public key of the key pair of this name (none: there is no such key pair). */
  async byName(scope: Scope, keyName: string): Promise<Pick<KeyPair, "keyType" | "publicKey"> | undefined> {
    const row = await this.prisma.keyPair.findFirst({ where: { ...scopeWhere(scope), keyName }, select: { keyType: true, publicKey: true } });
    return row ? { keyType: row.keyType as KeyPair["keyType"], publicKey: row.publicKey } : undefined;
  }

  async exists(scope: Scope, keyPairId: string): Promise<boolean> {
    return (await this.prisma.keyPair.count({ where: { ...scopeWhere(scope), keyPairId } })) > 0;
  }

  /** Deletes by name or id within the scope, with its tags; returns the deleted key pair's id, if there was one. */
  async delete(scope: Scope, by: { keyName?: string; keyPairId?: string }): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const found = await tx.keyPair.findFirst({ where: { ...scopeWhere(scope), ...by }, select: { keyPairId: true } });
      if (!found) return undefined;
      await deleteTags(tx, scopeWhere(scope), [found.keyPairId]);
      await tx.keyPair.delete({ where: { keyPairId: found.keyPairId } });
      return found.keyPairId;
    });
  }
}
