// Network resources other operations make (security groups, network interfaces, built by their own helpers), put
// in a test server's store directly, as those operations would: for the tests of what depends on them.
import type { Subnet } from "@aws-sdk/client-ec2";
import { newId } from "../../src/domain/ids.js";
import { macAddressFor, type NetworkInterface } from "../../src/domain/network.js";
import { NetworkRepo } from "../../src/store/network-repo.js";
import type { TestServer } from "../support/server.js";

const scope = { accountId: "000000000000", region: "us-east-1" };

/** A security group named `name` in the VPC; answers its id. */
export function insertGroup(server: TestServer, vpcId: string, name = "web"): string {
  const group = { ...scope, groupId: newId("sg"), vpcId, groupName: name, description: name, createdAt: new Date(), tags: [] };
  new NetworkRepo(server.store.sql).insertSecurityGroupSync(group, []);
  return group.groupId;
}

/** An interface in the subnet holding its lowest free address, attached to `instanceId` (device 0) when given. */
export async function insertInterface(server: TestServer, subnet: Subnet, instanceId?: string): Promise<string> {
  const network = new NetworkRepo(server.store.sql);
  const networkInterfaceId = newId("eni");
  const eni: NetworkInterface = {
    ...scope,
    networkInterfaceId,
    subnetId: subnet.SubnetId!,
    vpcId: subnet.VpcId!,
    availabilityZone: subnet.AvailabilityZone!,
    description: "",
    interfaceType: "interface",
    macAddress: macAddressFor(networkInterfaceId),
    sourceDestCheck: true,
    createdAt: new Date(),
    groupIds: [],
    privateIps: [],
    tags: [],
    ...(instanceId
      ? {
          attachment: {
            instanceId,
            attachmentId: newId("eni-attach"),
            deviceIndex: 0,
            networkCardIndex: 0,
            attachedAt: new Date(),
            deleteOnTermination: true,
          },
        }
      : {}),
  };
  await server.store.sql.write(() => {
    network.insertInterfaceSync(eni);
    const stored = network.subnets(scope, [subnet.SubnetId!])[0]!;
    network.allocatePrivateIpSync(stored, networkInterfaceId, true);
  });
  return networkInterfaceId;
}

export function removeRow(server: TestServer, table: "SecurityGroup" | "NetworkInterface", column: string, id: string): void {
  server.store.sql.run(`DELETE FROM "${table}" WHERE "${column}" = ?`, id);
  if (table === "NetworkInterface") server.store.sql.run('DELETE FROM "PrivateIpAddress" WHERE "networkInterfaceId" = ?', id);
}
