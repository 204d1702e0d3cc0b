// GetPasswordData: a Windows instance's administrator password, encrypted to its key pair as EC2Launch does at the
// first boot. There is no guest to set one, so the password is derived from the instance id: the same on every call.
import { createHash } from "node:crypto";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { currentState, type Instance, lastBootAt } from "../domain/instances.js";
import type { KeyPairsRepo } from "../store/key-pairs-repo.js";
import type { InstanceService } from "./instances.js";
import { encryptToKeyPair } from "./key-material.js";

export interface PasswordData {
  instanceId: string;
  timestamp: Date;
  /** Base64 of the encrypted password; empty while there is none, as in EC2. */
  passwordData: string;
}

export class InstancePasswordService {
  constructor(
    private readonly instances: InstanceService,
    private readonly keyPairs: KeyPairsRepo,
    private readonly clock: Clock,
  ) {}

  async passwordData(caller: Caller, instanceId: string): Promise<PasswordData> {
    const instance = await this.instances.getOne(caller, instanceId);
    const now = this.clock.now();
    const none = { instanceId: instance.instanceId, timestamp: now, passwordData: "" };
    // Linux sets no password; Windows sets it at its first boot, to the key pair it was launched with.
    if (instance.platform !== "windows" || !instance.keyName || currentState(instance, now) === "pending") return none;
    const keyPair = await this.keyPairs.byName(caller, instance.keyName);
    const encrypted = keyPair ? encryptToKeyPair(keyPair.publicKey, administratorPassword(instance)) : undefined;
    return encrypted ? { instanceId: instance.instanceId, timestamp: lastBootAt(instance), passwordData: encrypted } : none;
  }
}

/** A password Windows' complexity rules accept (upper, lower, digit, symbol), stable for the instance. */
function administratorPassword(instance: Pick<Instance, "instanceId">): string {
  const digest = createHash("sha256").update(`mini-ec2 administrator password of ${instance.instanceId}`).digest();
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const body = [...digest.subarray(0, 28)].map((byte) => alphabet[byte % alphabet.length]).join("");
  return `${body}A7b!`;
}
