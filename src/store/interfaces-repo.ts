// The writes of network interfaces and Elastic IPs (docs/networking.md) beside NetworkRepo's reads and inserts, on
// the same synchronous connection: every *Sync method runs inside the caller's `sql.write`, so a use case's checks
// and its changes are one transaction.
import type { Scope } from "../domain/caller.js";
import type { Address, NetworkInterface, NetworkInterfaceAttachment } from "../domain/network.js";
import type { NetworkRepo } from "./network-repo.js";
import { addressFromRow } from "./rows/network.js";
import { placeholders, type Sql } from "./sql.js";
import { deleteTagsSync } from "./tags-repo.js";

type Raw = Record<string, unknown>;

export class InterfacesRepo {
  constructor(
    private readonly sql: Sql,
    readonly network: NetworkRepo,
  ) {}

  // --- interfaces ---

  /** The caller's interface with this id, with its groups, addresses and tags. */
  interface(scope: Scope, networkInterfaceId: string): NetworkInterface | undefined {
    return this.withTags(scope, this.network.networkInterfaces(scope, [networkInterfaceId]))[0];
  }

  /** The caller's interfaces (all, or these ids), with their tags. */
  interfaces(scope: Scope, ids?: readonly string[]): NetworkInterface[] {
    return this.withTags(scope, this.network.networkInterfaces(scope, ids));
  }

  interfaceByAttachment(scope: Scope, attachmentId: string): NetworkInterface | undefined {
    const row = this.sql.get<{ networkInterfaceId: string }>(
      'SELECT "networkInterfaceId" FROM "NetworkInterface" WHERE "accountId" = ? AND "region" = ? AND "attachmentId" = ?',
      scope.accountId,
      scope.region,
      attachmentId,
    );
    return row ? this.interface(scope, row.networkInterfaceId) : undefined;
  }

  setAttachmentSync(networkInterfaceId: string, attachment: NetworkInterfaceAttachment | undefined): void {
    this.sql.run(
      'UPDATE "NetworkInterface" SET "instanceId" = ?, "attachmentId" = ?, "deviceIndex" = ?, "networkCardIndex" = ?, "attachedAt" = ?, "deleteOnTermination" = ? WHERE "networkInterfaceId" = ?',
      attachment?.instanceId ?? null,
      attachment?.attachmentId ?? null,
      attachment?.deviceIndex ?? null,
      attachment?.networkCardIndex ?? null,
      attachment ? attachment.attachedAt.toISOString().replace("Z", "+00:00") : null,
      attachment?.deleteOnTermination ? 1 : 0,
      networkInterfaceId,
    );
  }

  updateInterfaceSync(networkInterfaceId: string, change: { description?: string; sourceDestCheck?: boolean; deleteOnTermination?: boolean }): void {
    if (change.description !== undefined) {
      this.sql.run('UPDATE "NetworkInterface" SET "description" = ? WHERE "networkInterfaceId" = ?', change.description, networkInterfaceId);
    }
    if (change.sourceDestCheck !== undefined) {
      this.sql.run('UPDATE "NetworkInterface" SET "sourceDestCheck" = ? WHERE "networkInterfaceId" = ?', change.sourceDestCheck ? 1 : 0, networkInterfaceId);
    }
    if (change.deleteOnTermination !== undefined) {
      this.sql.run(
        'UPDATE "NetworkInterface" SET "deleteOnTermination" = ? WHERE "networkInterfaceId" = ?',
        change.deleteOnTermination ? 1 : 0,
        networkInterfaceId,
      );
    }
  }

  replaceGroupsSync(networkInterfaceId: string, groupIds: readonly string[]): void {
    this.sql.run('DELETE FROM "NetworkInterfaceGroup" WHERE "networkInterfaceId" = ?', networkInterfaceId);
    for (const groupId of new Set(groupIds)) this.sql.insert("NetworkInterfaceGroup", { networkInterfaceId, groupId });
  }

  /** Frees these addresses of the interface, and drops the Elastic IP associations they held. */
  releasePrivateIpsSync(networkInterfaceId: string, addresses: readonly string[]): void {
    if (addresses.length === 0) return;
    const list = placeholders(addresses.length);
    this.sql.run(
      `UPDATE "Address" SET "associationId" = NULL, "networkInterfaceId" = NULL, "privateIpAddress" = NULL WHERE "networkInterfaceId" = ? AND "privateIpAddress" IN (${list})`,
      networkInterfaceId,
      ...addresses,
    );
    this.sql.run(`DELETE FROM "PrivateIpAddress" WHERE "networkInterfaceId" = ? AND "privateIpAddress" IN (${list})`, networkInterfaceId, ...addresses);
  }

  /** Deletes the interface with its addresses, groups and tags; its Elastic IPs stay allocated, disassociated. */
  deleteInterfaceSync(scope: Scope, networkInterfaceId: string): void {
    this.sql.run(
      'UPDATE "Address" SET "associationId" = NULL, "networkInterfaceId" = NULL, "privateIpAddress" = NULL WHERE "networkInterfaceId" = ?',
      networkInterfaceId,
    );
    this.sql.run('DELETE FROM "PrivateIpAddress" WHERE "networkInterfaceId" = ?', networkInterfaceId);
    this.sql.run('DELETE FROM "NetworkInterfaceGroup" WHERE "networkInterfaceId" = ?', networkInterfaceId);
    this.sql.run('DELETE FROM "NetworkInterface" WHERE "networkInterfaceId" = ?', networkInterfaceId);
    deleteTagsSync(this.sql, scope.region, networkInterfaceId);
  }

  // --- Elastic IPs ---

  addresses(scope: Scope, ids?: readonly string[]): Address[] {
    const found = this.network.addresses(scope, ids);
    const tags = this.network.tagsOf(
      scope,
      "eipalloc",
      found.map((address) => address.allocationId),
    );
    return found.map((address) => ({ ...address, tags: tags.get(address.allocationId) ?? [] }));
  }

  /** The Elastic IPs associated with these interfaces (any account's: an interface is its owner's alone). */
  addressesOfInterfaces(networkInterfaceIds: readonly string[]): Address[] {
    if (networkInterfaceIds.length === 0) return [];
    return this.sql
      .all<Raw>(`SELECT * FROM "Address" WHERE "networkInterfaceId" IN (${placeholders(networkInterfaceIds.length)})`, ...networkInterfaceIds)
      .map((raw) => addressFromRow(raw, []));
  }

  addressWhere(scope: Scope, column: "associationId" | "publicIp", value: string): Address | undefined {
    const raw = this.sql.get<Raw>(`SELECT * FROM "Address" WHERE "accountId" = ? AND "region" = ? AND "${column}" = ?`, scope.accountId, scope.region, value);
    return raw ? addressFromRow(raw, []) : undefined;
  }

  countAddresses(scope: Scope): number {
    return this.sql.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "Address" WHERE "accountId" = ? AND "region" = ?', scope.accountId, scope.region)!.n;
  }

  /** Whether any account holds this public address (they are unique across accounts, as EC2's are). */
  publicIpTaken(publicIp: string): boolean {
    return this.sql.get('SELECT 1 FROM "Address" WHERE "publicIp" = ?', publicIp) !== undefined;
  }

  associateSync(allocationId: string, association: { associationId: string; networkInterfaceId: string; privateIpAddress: string }): void {
    this.sql.run(
      'UPDATE "Address" SET "associationId" = ?, "networkInterfaceId" = ?, "privateIpAddress" = ? WHERE "allocationId" = ?',
      association.associationId,
      association.networkInterfaceId,
      association.privateIpAddress,
      allocationId,
    );
  }

  disassociateSync(allocationId: string): void {
    this.sql.run('UPDATE "Address" SET "associationId" = NULL, "networkInterfaceId" = NULL, "privateIpAddress" = NULL WHERE "allocationId" = ?', allocationId);
  }

  deleteAddressSync(scope: Scope, allocationId: string): void {
    this.sql.run('DELETE FROM "Address" WHERE "allocationId" = ?', allocationId);
    deleteTagsSync(this.sql, scope.region, allocationId);
  }

  /** Whether an internet gateway is attached to the VPC: an Elastic IP needs one to reach its interface. */
  vpcHasInternetGateway(vpcId: string): boolean {
    return this.sql.get('SELECT 1 FROM "InternetGateway" WHERE "vpcId" = ?', vpcId) !== undefined;
  }

  private withTags(scope: Scope, interfaces: NetworkInterface[]): NetworkInterface[] {
    const tags = this.network.tagsOf(
      scope,
      "eni",
      interfaces.map((eni) => eni.networkInterfaceId),
    );
    return interfaces.map((eni) => ({ ...eni, tags: tags.get(eni.networkInterfaceId) ?? [] }));
  }
}
