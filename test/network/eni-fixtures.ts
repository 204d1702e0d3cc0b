// What the interface and Elastic IP tests start from: the caller's default subnets, and subnets or VPCs of a chosen
// shape. CreateVpc and CreateSubnet are built on another branch (net-vpc), so these are written through the store,
// as the default network is, in the server's own process; everything the tests then check goes through real clients.
import { CreateNetworkInterfaceCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { newId } from "../../src/domain/ids.js";
import { newVpcWithDefaults, type Subnet } from "../../src/domain/network.js";
import { NetworkRepo } from "../../src/store/network-repo.js";
import type { TestServer } from "../support/server.js";

const scope = (accountId = "000000000000", region = "us-east-1") => ({ accountId, region });

/** The default subnet of a zone, the default network made on first use by a networking call. */
export async function defaultSubnet(server: TestServer, ec2: EC2Client, zone = "us-east-1a", accountId?: string): Promise<Subnet> {
  // Any networking call makes the default network; a refused one leaves it behind all the same.
  await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: "subnet-00000000000000000" })).catch(() => undefined);
  const subnet = new NetworkRepo(server.store.sql).subnets(scope(accountId)).find((s) => s.defaultForAz && s.availabilityZone === zone);
  if (!subnet) throw new Error(`no default subnet in ${zone}`);
  return subnet;
}

/** A subnet of the default VPC with this block (outside the default /20s, which stop at 172.31.95.255). */
export async function extraSubnet(server: TestServer, ec2: EC2Client, cidrBlock: string, zone = "us-east-1a"): Promise<Subnet> {
  const base = await defaultSubnet(server, ec2, zone);
  const subnet: Subnet = { ...base, subnetId: newId("subnet"), cidrBlock, defaultForAz: false, mapPublicIpOnLaunch: false, tags: [] };
  const repo = new NetworkRepo(server.store.sql);
  await server.store.sql.write(() => repo.insertSubnetSync(subnet));
  return subnet;
}

/** A second VPC of the account with its default group, and one subnet: for the groups-of-another-network rule. */
export async function otherVpc(server: TestServer): Promise<{ vpcId: string; defaultGroupId: string; subnetId: string }> {
  const made = newVpcWithDefaults(scope(), { cidrBlock: "10.9.0.0/16", isDefault: false, instanceTenancy: "default", tags: [] }, new Date());
  const subnet: Subnet = {
    ...scope(),
    subnetId: newId("subnet"),
    vpcId: made.vpc.vpcId,
    cidrBlock: "10.9.0.0/24",
    availabilityZone: "us-east-1a",
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    createdAt: new Date(),
    tags: [],
  };
  const repo = new NetworkRepo(server.store.sql);
  await server.store.sql.write(() => {
    repo.insertVpcWithDefaultsSync(made);
    repo.insertSubnetSync(subnet);
  });
  return { vpcId: made.vpc.vpcId, defaultGroupId: made.securityGroup.groupId, subnetId: subnet.subnetId };
}

/** The caller's default group of the default VPC. */
export function defaultGroupOf(server: TestServer, vpcId: string): string {
  return new NetworkRepo(server.store.sql).securityGroups(scope()).find((g) => g.vpcId === vpcId && g.groupName === "default")!.groupId;
}
