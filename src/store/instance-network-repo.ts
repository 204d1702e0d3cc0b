// The instance side of the networking tables, on the synchronous connection: the interfaces a launch creates (in
// the launch's transaction), the interfaces of a page of instances (one query per table), and what terminate and
// ModifyInstanceAttribute change. Every write is a plain function run inside the caller's `sql.write`.
import type { Scope } from "../domain/caller.js";
import { formatIpv4, isAssignable, parseCidr, parseIpv4 } from "../domain/cidr.js";
import { Errors } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import { addressCount, type InstanceInterface, type InterfaceRequest } from "../domain/instance-network.js";
import { macAddressFor, type NetworkInterface, type NetworkInterfaceAttachment, primaryAddressFirst, type Subnet } from "../domain/network.js";
import type { NetworkRepo } from "./network-repo.js";
import { instanceInterfaceDecoder, privateIpDecoder } from "./rows/network.js";
import { placeholders, type Sql } from "./sql.js";
import { groupNamesSync } from "./group-names.js";
import type { Tag } from "../domain/tags.js";

/** One interface of a launch, its subnet and groups resolved (the subnet per zone when the request named none). */
export interface ResolvedInterface {
  request: InterfaceRequest;
  subnet: Subnet;
  groups: Array<{ groupId: string; groupName: string }>;
  /** The existing interface the instance takes (NetworkInterfaceId), as the launch's checks read it. */
  existing?: NetworkInterface;
}

export class InstanceNetworkRepo {
  constructor(
    private readonly sql: Sql,
    private readonly network: NetworkRepo,
  ) {}

  /**
   * Creates the instance's interfaces and takes their addresses, inside the launch's transaction. A full subnet or
   * an address in use throws EC2's error, which rolls the whole launch back. Answers the interfaces, primary first.
   */
  createForInstanceSync(scope: Scope, instanceId: string, interfaces: readonly ResolvedInterface[], now: Date, tags: readonly Tag[] = []): InstanceInterface[] {
    const created: InstanceInterface[] = [];
    for (const { request, subnet, groups, existing } of interfaces) {
      if (existing) {
        created.push({ ...existing, attachment: this.claimSync(existing.networkInterfaceId, instanceId, request, now), groups });
        continue;
      }
      const networkInterfaceId = newId("eni");
      const eni: NetworkInterface = {
        accountId: scope.accountId,
        region: scope.region,
        networkInterfaceId,
        subnetId: subnet.subnetId,
        vpcId: subnet.vpcId,
        availabilityZone: subnet.availabilityZone,
        description: request.description,
        interfaceType: request.interfaceType,
        macAddress: macAddressFor(networkInterfaceId),
        sourceDestCheck: true,
        createdAt: now,
        attachment: {
          instanceId,
          attachmentId: newId("eni-attach"),
          deviceIndex: request.deviceIndex,
          networkCardIndex: request.networkCardIndex,
          attachedAt: now,
          deleteOnTermination: request.deleteOnTermination,
        },
        groupIds: groups.map((g) => g.groupId),
        privateIps: [],
        tags: [...tags],
      };
      this.network.insertInterfaceSync(eni);
      const asked = [request.privateIpAddress, ...request.secondaryAddresses];
      const total = addressCount(request);
      for (let i = 0; i < total; i++) {
        const address = asked[i];
        const ip = this.network.allocatePrivateIpSync(subnet, networkInterfaceId, i === 0, address === undefined ? undefined : askedNumber(subnet, address));
        if (ip === "full") throw Errors.insufficientFreeAddresses(subnet.subnetId);
        if (ip === "taken") throw Errors.addressTaken(address!);
        eni.privateIps.push(ip);
      }
      created.push({ ...eni, groups });
    }
    return created;
  }

  /**
   * Attaches an existing interface to the launched instance, DeleteOnTermination false as EC2 sets it. The launch
   * checked it was available; the guarded update sees a concurrent attach that came in between.
   */
  private claimSync(networkInterfaceId: string, instanceId: string, request: InterfaceRequest, now: Date): NetworkInterfaceAttachment {
    const attachment: NetworkInterfaceAttachment = {
      instanceId,
      attachmentId: newId("eni-attach"),
      deviceIndex: request.deviceIndex,
      networkCardIndex: request.networkCardIndex,
      attachedAt: now,
      deleteOnTermination: false,
    };
    const claimed = this.sql.run(
      'UPDATE "NetworkInterface" SET "instanceId" = ?, "attachmentId" = ?, "deviceIndex" = ?, "networkCardIndex" = ?, "attachedAt" = ?, "deleteOnTermination" = 0 WHERE "networkInterfaceId" = ? AND "instanceId" IS NULL',
      instanceId,
      attachment.attachmentId,
      attachment.deviceIndex,
      attachment.networkCardIndex,
      now,
      networkInterfaceId,
    );
    if (claimed !== 1) throw Errors.launchInterfaceInUse(networkInterfaceId);
    return attachment;
  }

  /** The interfaces of these instances, by instance, device order, with their groups' names and Elastic IPs. */
  interfacesOfSync(scope: Scope, instanceIds: readonly string[]): Map<string, InstanceInterface[]> {
    const byInstance = new Map<string, InstanceInterface[]>();
    if (instanceIds.length === 0) return byInstance;
    const interfaces = this.sql.decoded(
      // The unary + keeps SQLite on the instanceId index: without statistics it would rank the two-column
      // (accountId, region) index as the more selective one and read every interface of the account. Each
      // instance's few interfaces are put in device order below, rather than by a sort of the whole page here.
      `SELECT * FROM "NetworkInterface" WHERE "instanceId" IN (${placeholders(instanceIds.length)}) AND +"accountId" = ? AND +"region" = ?`,
      instanceInterfaceDecoder,
      ...instanceIds,
      scope.accountId,
      scope.region,
    );
    if (interfaces.length === 0) return byInstance;
    const byId = new Map(interfaces.map((eni) => [eni.networkInterfaceId, eni]));
    const eniIds = [...byId.keys()];
    const inList = placeholders(eniIds.length);
    const memberships = this.sql.all<{ networkInterfaceId: string; groupId: string }>(
      `SELECT "networkInterfaceId", "groupId" FROM "NetworkInterfaceGroup" WHERE "networkInterfaceId" IN (${inList})`,
      ...eniIds,
    );
    const groupNames = groupNamesSync(
      this.sql,
      "SecurityGroup",
      memberships.map((m) => m.groupId),
    );
    for (const { networkInterfaceId, groupId } of memberships) byId.get(networkInterfaceId)!.groups.push({ groupId, groupName: groupNames.get(groupId) ?? "" });
    for (const ip of this.sql.decoded(`SELECT * FROM "PrivateIpAddress" WHERE "networkInterfaceId" IN (${inList})`, privateIpDecoder, ...eniIds)) {
      byId.get(ip.networkInterfaceId)!.privateIps.push(ip);
    }
    for (const eip of this.sql.all<{ networkInterfaceId: string; publicIp: string; allocationId: string; associationId: string | null }>(
      `SELECT "networkInterfaceId", "publicIp", "allocationId", "associationId" FROM "Address" WHERE "networkInterfaceId" IN (${inList})`,
      ...eniIds,
    )) {
      byId.get(eip.networkInterfaceId)!.elasticIp = {
        publicIp: eip.publicIp,
        allocationId: eip.allocationId,
        ...(eip.associationId ? { associationId: eip.associationId } : {}),
      };
    }
    for (const eni of interfaces) {
      if (eni.privateIps.length > 1) eni.privateIps.sort(primaryAddressFirst);
      if (eni.groups.length > 1) eni.groups.sort(byGroupName);
      eni.groupIds = eni.groups.map((g) => g.groupId);
      const instanceId = eni.attachment!.instanceId;
      const list = byInstance.get(instanceId);
      if (list) list.push(eni);
      else byInstance.set(instanceId, [eni]);
    }
    for (const list of byInstance.values()) if (list.length > 1) list.sort(byDevice);
    return byInstance;
  }

  /**
   * At terminate: the interfaces marked DeleteOnTermination go with their addresses and groups, and the Elastic IPs
   * on them are disassociated; the others are detached and stay, available.
   */
  releaseAtTerminationSync(scope: Scope, instanceId: string): void {
    const where = '"instanceId" = ? AND +"accountId" = ? AND +"region" = ?';
    const doomed = this.sql
      .all<{ networkInterfaceId: string }>(
        `SELECT "networkInterfaceId" FROM "NetworkInterface" WHERE ${where} AND "deleteOnTermination" = 1`,
        instanceId,
        ...scopeArgs(scope),
      )
      .map((row) => row.networkInterfaceId);
    if (doomed.length > 0) {
      const inList = placeholders(doomed.length);
      this.sql.run(
        `UPDATE "Address" SET "associationId" = NULL, "networkInterfaceId" = NULL, "privateIpAddress" = NULL WHERE "networkInterfaceId" IN (${inList})`,
        ...doomed,
      );
      this.sql.run(`DELETE FROM "PrivateIpAddress" WHERE "networkInterfaceId" IN (${inList})`, ...doomed);
      this.sql.run(`DELETE FROM "NetworkInterfaceGroup" WHERE "networkInterfaceId" IN (${inList})`, ...doomed);
      this.sql.run(`DELETE FROM "Tag" WHERE "resourceType" = 'network-interface' AND "resourceId" IN (${inList})`, ...doomed);
      this.sql.run(`DELETE FROM "NetworkInterface" WHERE "networkInterfaceId" IN (${inList})`, ...doomed);
    }
    this.sql.run(
      `UPDATE "NetworkInterface" SET "instanceId" = NULL, "attachmentId" = NULL, "deviceIndex" = NULL, "networkCardIndex" = NULL, "attachedAt" = NULL WHERE ${where}`,
      instanceId,
      ...scopeArgs(scope),
    );
  }

  /** ModifyInstanceAttribute Groups: the primary interface's groups become these. */
  async setPrimaryGroups(networkInterfaceId: string, groupIds: readonly string[]): Promise<void> {
    await this.sql.write(() => {
      this.sql.run('DELETE FROM "NetworkInterfaceGroup" WHERE "networkInterfaceId" = ?', networkInterfaceId);
      for (const groupId of groupIds) this.sql.insert("NetworkInterfaceGroup", { networkInterfaceId, groupId });
    });
  }

  /** ModifyInstanceAttribute SourceDestCheck: the instance's check is its primary interface's. */
  async setSourceDestCheck(scope: Scope, instanceId: string, value: boolean): Promise<void> {
    await this.sql.write(() =>
      this.sql.run(
        'UPDATE "NetworkInterface" SET "sourceDestCheck" = ? WHERE "instanceId" = ? AND +"accountId" = ? AND +"region" = ? AND "deviceIndex" = 0 AND COALESCE("networkCardIndex", 0) = 0',
        value ? 1 : 0,
        instanceId,
        ...scopeArgs(scope),
      ),
    );
  }
}

/** An address asked for, as a number of the subnet: outside it, or one of its five reserved ones, is EC2's error. */
function askedNumber(subnet: Subnet, address: string): number {
  const number = parseIpv4(address)!;
  if (!isAssignable(parseCidr(subnet.cidrBlock)!, number)) throw Errors.addressOutsideSubnet(formatIpv4(number), subnet.cidrBlock);
  return number;
}

function scopeArgs(scope: Scope): [string, string] {
  return [scope.accountId, scope.region];
}

/** An instance's interfaces in device order: network card, then device index. */
const byDevice = (a: InstanceInterface, b: InstanceInterface) =>
  (a.attachment?.networkCardIndex ?? 0) - (b.attachment?.networkCardIndex ?? 0) || (a.attachment?.deviceIndex ?? 0) - (b.attachment?.deviceIndex ?? 0);

const byGroupName = (a: { groupName: string }, b: { groupName: string }) => (a.groupName < b.groupName ? -1 : a.groupName > b.groupName ? 1 : 0);
