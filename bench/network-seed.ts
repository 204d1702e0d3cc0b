// Setup for the networking rows of `npm run bench`, not measured: a VPC with one large subnet and a security group,
// written straight to the database the server uses (WAL lets both write), as CreateVpc/CreateSubnet would.
import { newId } from "../src/domain/ids.js";
import { newVpcWithDefaults, type SecurityGroup, type Subnet } from "../src/domain/network.js";
import { openStore } from "../src/store/database.js";
import { NetworkRepo } from "../src/store/network-repo.js";

/** The bench's account (access key "test"). */
const scope = { accountId: "000000000000", region: "us-east-1" };

/** A VPC 10.0.0.0/16 whose one subnet spans it (65,531 addresses: room for the 10,000-instance fleet), and a group. */
export async function seedSubnetWithGroup(databaseUrl: string, zone = "us-east-1a"): Promise<{ subnetId: string; groupId: string }> {
  const store = await openStore(databaseUrl);
  try {
    const network = new NetworkRepo(store.sql);
    const now = new Date();
    const defaults = newVpcWithDefaults(scope, { cidrBlock: "10.0.0.0/16", isDefault: false, instanceTenancy: "default", tags: [] }, now);
    const subnet: Subnet = {
      ...scope,
      subnetId: newId("subnet"),
      vpcId: defaults.vpc.vpcId,
      cidrBlock: "10.0.0.0/16",
      availabilityZone: zone,
      defaultForAz: false,
      mapPublicIpOnLaunch: true,
      createdAt: now,
      tags: [],
    };
    const group: SecurityGroup = {
      ...scope,
      groupId: newId("sg"),
      vpcId: defaults.vpc.vpcId,
      groupName: "bench",
      description: "bench",
      createdAt: now,
      tags: [],
    };
    await store.sql.write(() => {
      network.insertVpcWithDefaultsSync(defaults);
      network.insertSubnetSync(subnet);
      network.insertSecurityGroupSync(group, []);
    });
    return { subnetId: subnet.subnetId, groupId: group.groupId };
  } finally {
    await store.close();
  }
}
