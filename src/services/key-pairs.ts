// Key pair use cases: create (the server makes the key), import (the caller brings the public key), describe
// and delete, all within the caller's account and region.
import type { Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { keyPairFilters } from "../domain/filters/key-pairs.js";
import { newId } from "../domain/ids.js";
import { type KeyPair, validateKeyName } from "../domain/key-pairs.js";
import type { Tag } from "../domain/tags.js";
import type { KeyPairsRepo } from "../store/key-pairs-repo.js";
import { createKeyMaterial, importPublicKey, type KeyType } from "./key-material.js";

export class KeyPairService {
  constructor(
    private readonly repo: KeyPairsRepo,
    private readonly clock: Clock,
  ) {}

  async create(scope: Scope, keyName: string, keyType: KeyType, tags: Tag[]): Promise<{ keyPair: KeyPair; privateKey: string }> {
    validateKeyName(keyName);
    const material = await createKeyMaterial(keyType, keyName);
    const keyPair = await this.store(scope, keyName, keyType, material.fingerprint, material.publicKeyOpenSsh, tags);
    return { keyPair, privateKey: material.privateKeyPem };
  }

  async import(scope: Scope, keyName: string, publicKeyMaterial: Uint8Array, tags: Tag[]): Promise<KeyPair> {
    validateKeyName(keyName);
    const imported = importPublicKey(publicKeyMaterial);
    return this.store(scope, keyName, imported.keyType, imported.fingerprint, imported.publicKeyOpenSsh, tags);
  }

  /** Key pairs by name or id that match the filters; a name or id that does not exist is an error, as in EC2. */
  async describe(scope: Scope, keyNames: readonly string[] = [], keyPairIds: readonly string[] = [], filters?: readonly Filter[]): Promise<KeyPair[]> {
    const all = await this.repo.list(scope);
    const missingName = keyNames.find((name) => !all.some((k) => k.keyName === name));
    if (missingName !== undefined) throw Errors.keyPairNotFound(missingName);
    const missingId = keyPairIds.find((id) => !all.some((k) => k.keyPairId === id));
    if (missingId !== undefined) throw Errors.keyPairIdNotFound(missingId);
    const named = keyNames.length === 0 && keyPairIds.length === 0 ? all : all.filter((k) => keyNames.includes(k.keyName) || keyPairIds.includes(k.keyPairId));
    return applyFilters(named, filters, keyPairFilters);
  }

  /** EC2 answers success for a key pair that is already gone, so callers can retry a delete. */
  delete(scope: Scope, by: { keyName?: string; keyPairId?: string }): Promise<string | undefined> {
    if (!by.keyName && !by.keyPairId) throw Errors.missingParameter("KeyName");
    return this.repo.delete(scope, by);
  }

  private async store(scope: Scope, keyName: string, keyType: KeyType, fingerprint: string, publicKey: string, tags: Tag[]): Promise<KeyPair> {
    const keyPair: KeyPair = {
      keyPairId: newId("key"),
      accountId: scope.accountId,
      region: scope.region,
      keyName,
      keyType,
      fingerprint,
      publicKey,
      createdAt: this.clock.now(),
      tags,
    };
    if ((await this.repo.insert(keyPair)) === "duplicate") throw Errors.keyPairDuplicate(keyName);
    return keyPair;
  }
}
