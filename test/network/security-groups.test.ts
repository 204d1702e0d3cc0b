// Security groups and their rules through the SDK: EC2's defaults, its grouping of rules, its checks and its words.
// CreateVpc and the interfaces belong to other parts of the network; a second VPC and an interface's use of a group
// are put in the store directly here, as those operations would.
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type IpPermission,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { newVpcWithDefaults } from "../../src/domain/network.js";
import { NetworkRepo } from "../../src/store/network-repo.js";
import { admin } from "../support/processes.js";
import { testServer } from "../support/server.js";

const server = testServer();
let ec2: EC2Client;
beforeAll(() => {
  ec2 = server.ec2();
});

const ssh: IpPermission = { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] };

async function newGroup(name: string, vpcId?: string): Promise<string> {
  return (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} group`, VpcId: vpcId }))).GroupId!;
}

async function describeGroup(groupId: string) {
  return (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
}

/** A VPC that is not the default one, with its own default group, as CreateVpc makes it. */
async function otherVpc(cidrBlock = "10.0.0.0/16"): Promise<string> {
  const network = new NetworkRepo(server.store.sql);
  const defaults = newVpcWithDefaults(
    { accountId: "000000000000", region: "us-east-1" },
    { cidrBlock, isDefault: false, instanceTenancy: "default", tags: [] },
    new Date(),
  );
  await network.sql.write(() => network.insertVpcWithDefaultsSync(defaults));
  return defaults.vpc.vpcId;
}

const error = (name: string, message?: string | RegExp) => ({ name, ...(message !== undefined ? { message } : {}) });

describe("CreateSecurityGroup", () => {
  it("makes a group in the default VPC with EC2's default egress rule, its ARN and its tags", async () => {
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "web",
        Description: "web servers",
        TagSpecifications: [{ ResourceType: "security-group", Tags: [{ Key: "team", Value: "ops" }] }],
      }),
    );
    expect(created.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:000000000000:security-group/${created.GroupId}`);
    const group = await describeGroup(created.GroupId!);
    const [defaultVpc] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))).SecurityGroups!;
    expect(group).toMatchObject({ GroupName: "web", Description: "web servers", OwnerId: "000000000000", VpcId: defaultVpc!.VpcId, IpPermissions: [] });
    expect(group.Tags).toEqual([{ Key: "team", Value: "ops" }]);
    expect(group.IpPermissionsEgress).toEqual([
      { IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
  });

  it("refuses a taken name, the reserved `default`, names like ids, bad characters, an unknown VPC and an empty description", async () => {
    await newGroup("taken");
    const [defaultGroup] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))).SecurityGroups!;
    const attempts: Array<[Partial<{ GroupName: string; Description: string; VpcId: string }>, ReturnType<typeof error>]> = [
      [{ GroupName: "taken" }, error("InvalidGroup.Duplicate", `The security group 'taken' already exists for VPC '${defaultGroup!.VpcId}'`)],
      [{ GroupName: "default" }, error("InvalidParameterValue", "Cannot use reserved security group name: default")],
      [
        { GroupName: "sg-web" },
        error("InvalidParameterValue", "Value (sg-web) for parameter GroupName is invalid. Group names may not be in the format sg-*."),
      ],
      [{ GroupName: "caf\u00e9" }, error("InvalidParameterValue", /parameter GroupName is invalid. Valid characters are/)],
      [{ GroupName: "x".repeat(256) }, error("InvalidParameterValue", /parameter GroupName is invalid/)],
      [{ GroupName: "fine", VpcId: "vpc-0123456789abcdef0" }, error("InvalidVpcID.NotFound", "The vpc ID 'vpc-0123456789abcdef0' does not exist")],
      [{ GroupName: "fine", Description: "" }, error("MissingParameter", "The request must contain the parameter GroupDescription")],
    ];
    for (const [input, expected] of attempts) {
      await expect(ec2.send(new CreateSecurityGroupCommand({ Description: "d", ...input } as never))).rejects.toMatchObject(expected);
    }
  });

  it("allows one name once per VPC, and every VPC has its own `default` group", async () => {
    const vpcId = await otherVpc();
    await newGroup("per-vpc");
    const groupId = await newGroup("per-vpc", vpcId);
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    expect(SecurityGroups!.map((g) => g.GroupName).sort()).toEqual(["default", "per-vpc"]);
    expect(SecurityGroups!.find((g) => g.GroupId === groupId)!.VpcId).toBe(vpcId);
  });
});

describe("the default group", () => {
  it("lets its own members in and everything out, and cannot be deleted", async () => {
    const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))).SecurityGroups!;
    expect(group).toMatchObject({ GroupName: "default", Description: "default VPC security group" });
    expect(group!.IpPermissions).toEqual([
      { IpProtocol: "-1", IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: group!.GroupId, UserId: "000000000000" }] },
    ]);
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: group!.GroupId }))).rejects.toMatchObject(
      error("CannotDelete", `the specified group: "${group!.GroupId}" name: "default" cannot be deleted by a user`),
    );
  });
});

describe("AuthorizeSecurityGroupIngress and Egress", () => {
  it("adds rules and shows them grouped as EC2 does: one IpPermission per protocol and port range", async () => {
    const groupId = await newGroup("grouped");
    const peerId = await newGroup("grouped-peer");
    const added = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }, { CidrIp: "10.0.0.0/8", Description: "office" }] },
          { IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: peerId, Description: "peers" }] },
          { IpProtocol: "icmp", FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: "192.168.0.0/16" }] },
          { IpProtocol: "6", FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: "::/0" }] },
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: "pl-63a5400a" }] },
        ],
      }),
    );
    expect(added.Return).toBe(true);
    expect(
      added.SecurityGroupRules!.map((r) => [r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? r.ReferencedGroupInfo?.GroupId]),
    ).toEqual([
      ["tcp", 22, 22, "0.0.0.0/0"],
      ["tcp", 22, 22, "10.0.0.0/8"],
      ["-1", -1, -1, peerId],
      ["icmp", 8, -1, "192.168.0.0/16"],
      ["tcp", 22, 22, "::/0"],
      ["tcp", 443, 443, "pl-63a5400a"],
    ]);
    for (const rule of added.SecurityGroupRules!) expect(rule).toMatchObject({ GroupId: groupId, GroupOwnerId: "000000000000", IsEgress: false });
    expect(added.SecurityGroupRules![0]!.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);

    expect((await describeGroup(groupId)).IpPermissions).toEqual([
      {
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: "0.0.0.0/0" }, { CidrIp: "10.0.0.0/8", Description: "office" }],
        Ipv6Ranges: [{ CidrIpv6: "::/0" }],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
      {
        IpProtocol: "-1",
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [{ GroupId: peerId, UserId: "000000000000", Description: "peers" }],
      },
      { IpProtocol: "icmp", FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: "192.168.0.0/16" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [{ PrefixListId: "pl-63a5400a" }], UserIdGroupPairs: [] },
    ]);
  });

  it("answers a rule the group already has with InvalidPermission.Duplicate, in EC2's words", async () => {
    const groupId = await newGroup("dupes");
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }));
    await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }))).rejects.toMatchObject(
      error("InvalidPermission.Duplicate", 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists'),
    );
    // The group's default egress rule is already there.
    await expect(
      ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] })),
    ).rejects.toMatchObject(error("InvalidPermission.Duplicate", 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists'));
    await expect(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ ...ssh, IpRanges: [{ CidrIp: "1.2.3.4/32" }, { CidrIp: "1.2.3.4/32" }] }],
        }),
      ),
    ).rejects.toMatchObject(error("InvalidParameterValue", "The same permission must not appear multiple times"));
  });

  it("checks protocols, ports, CIDRs, peers and descriptions as EC2 does", async () => {
    const groupId = await newGroup("checked");
    const cidr = [{ CidrIp: "10.1.0.0/16" }];
    const cases: Array<[IpPermission, ReturnType<typeof error>]> = [
      [
        { IpProtocol: "tcp", FromPort: 22, IpRanges: cidr },
        error("InvalidParameterValue", "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange."),
      ],
      [{ IpProtocol: "icmp", IpRanges: cidr }, error("InvalidParameterValue", "Invalid value 'Must specify both from and to ports with ICMP.' for portRange.")],
      [{ IpProtocol: "udp", FromPort: 0, ToPort: 70000, IpRanges: cidr }, error("InvalidPermission.Malformed", "TCP/UDP port (70000) out of range")],
      [{ IpProtocol: "tcp", FromPort: 90, ToPort: 80, IpRanges: cidr }, error("InvalidParameterValue", /from port \(90\) is greater than the to port \(80\)/)],
      [{ IpProtocol: "icmp", FromPort: 300, ToPort: 0, IpRanges: cidr }, error("InvalidPermission.Malformed", "ICMP type (300) out of range")],
      [{ IpProtocol: "bogus", IpRanges: cidr }, error("InvalidParameterValue", "Invalid value 'bogus' for IP protocol. Unknown protocol.")],
      [{ IpRanges: cidr }, error("InvalidParameterValue", "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.")],
      [
        { IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0" }] },
        error("InvalidParameterValue", "Value (0.0.0.0) for parameter cidrIp is invalid. This is not a valid CIDR block."),
      ],
      [{ IpProtocol: "-1", Ipv6Ranges: [{ CidrIpv6: "2001:db8::/200" }] }, error("InvalidParameterValue", /parameter cidrIpv6 is invalid/)],
      [{ IpProtocol: "-1", PrefixListIds: [{ PrefixListId: "prefix" }] }, error("InvalidPrefixListId.Malformed")],
      [
        { IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: "sg-0123456789abcdef0" }] },
        error("InvalidGroup.NotFound", "The security group 'sg-0123456789abcdef0' does not exist"),
      ],
      [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "10.2.0.0/16", Description: "no <tags>" }] }, error("InvalidParameterValue", /^Invalid rule description/)],
      [{ IpProtocol: "tcp", FromPort: 1, ToPort: 2 }, error("InvalidParameterValue", /must name at least one source or destination/)],
    ];
    for (const [permission, expected] of cases) {
      await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }))).rejects.toMatchObject(expected);
    }
    expect((await describeGroup(groupId)).IpPermissions).toEqual([]);
    // No rule at all is refused, not answered Return true.
    for (const IpPermissions of [[], undefined]) {
      await expect(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions }))).rejects.toMatchObject(
        error("MissingParameter", "The request must contain the parameter IpPermissions"),
      );
    }
    await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: "sg-nope", IpPermissions: [ssh] }))).rejects.toMatchObject(
      error("InvalidGroupId.Malformed", 'Invalid id: "sg-nope" (expecting "sg-...")'),
    );
    await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: "no-such-group", IpPermissions: [ssh] }))).rejects.toMatchObject(
      error("InvalidGroup.NotFound", /^The security group 'no-such-group' does not exist in default VPC 'vpc-/),
    );
  });

  it("keeps protocol names, drops the ports of protocol -1 and of numbered protocols", async () => {
    const groupId = await newGroup("protocols");
    const { SecurityGroupRules } = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: "UDP", FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
          { IpProtocol: "all", FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: "10.9.0.0/16" }] },
          { IpProtocol: "50", FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
        ],
      }),
    );
    expect(SecurityGroupRules!.map((r) => [r.IpProtocol, r.FromPort, r.ToPort])).toEqual([
      ["udp", 53, 53],
      ["-1", -1, -1],
      ["50", -1, -1],
    ]);
    await expect(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "50", IpRanges: [{ CidrIp: "10.0.0.0/8" }] }] })),
    ).rejects.toMatchObject(error("InvalidPermission.Duplicate", 'the specified rule "peer: 10.0.0.0/8, protocol: 50, ALLOW" already exists'));
  });

  it("takes the older top-level form for ingress (a CIDR, or a source group by name), not for egress", async () => {
    const groupId = await newGroup("legacy");
    await newGroup("legacy-source");
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: "legacy", IpProtocol: "tcp", FromPort: 80, ToPort: 80, CidrIp: "0.0.0.0/0" }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, SourceSecurityGroupName: "legacy-source" }));
    const group = await describeGroup(groupId);
    expect(group.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges!.length, p.UserIdGroupPairs!.length])).toEqual([
      ["tcp", 80, 1, 0],
      ["-1", undefined, 0, 1],
    ]);
    await expect(
      ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpProtocol: "tcp", FromPort: 80, ToPort: 80, CidrIp: "0.0.0.0/0" })),
    ).rejects.toMatchObject(error("InvalidParameterValue", /The parameter CidrIp is not supported by AuthorizeSecurityGroupEgress/));
    await expect(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, CidrIp: "1.1.1.1/32", IpPermissions: [ssh] }))).rejects.toMatchObject(
      error("InvalidParameterCombination"),
    );
  });

  it("holds 60 inbound rules with an IPv4 peer, and refuses the 61st", async () => {
    const groupId = await newGroup("crowded");
    const ranges = Array.from({ length: 60 }, (_, i) => ({ CidrIp: `10.${i}.0.0/16` }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ ...ssh, IpRanges: ranges }] }));
    await expect(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ ...ssh, IpRanges: [{ CidrIp: "11.0.0.0/8" }] }] })),
    ).rejects.toMatchObject(error("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached."));
    // IPv6 peers count apart, and egress has its own 60.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ ...ssh, IpRanges: [], Ipv6Ranges: [{ CidrIpv6: "2001:db8::/32" }] }] }),
    );
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ ...ssh, IpRanges: [{ CidrIp: "11.0.0.0/8" }] }] }));
  });

  it("tags the rules it makes from TagSpecifications, and CreateTags tags a rule by its id", async () => {
    const groupId = await newGroup("tagged-rules");
    const { SecurityGroupRules } = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [ssh],
        TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: "Name", Value: "ssh" }] }],
      }),
    );
    const ruleId = SecurityGroupRules![0]!.SecurityGroupRuleId!;
    expect(SecurityGroupRules![0]!.Tags).toEqual([{ Key: "Name", Value: "ssh" }]);
    await ec2.send(new CreateTagsCommand({ Resources: [ruleId], Tags: [{ Key: "env", Value: "test" }] }));
    const described = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "tag:env", Values: ["test"] }] }));
    expect(described.SecurityGroupRules!.map((r) => [r.SecurityGroupRuleId, r.Tags])).toEqual([
      [
        ruleId,
        [
          { Key: "Name", Value: "ssh" },
          { Key: "env", Value: "test" },
        ],
      ],
    ]);
  });
});

describe("RevokeSecurityGroupIngress and Egress", () => {
  it("removes rules by permission (descriptions aside) or by rule id, and answers what it removed", async () => {
    const groupId = await newGroup("revoked");
    const { SecurityGroupRules } = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { ...ssh, IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "anyone" }] },
          { IpProtocol: "udp", FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
        ],
      }),
    );
    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }));
    expect(revoked.Return).toBe(true);
    expect(revoked.UnknownIpPermissions).toBeUndefined();
    expect(revoked.RevokedSecurityGroupRules).toMatchObject([
      { SecurityGroupRuleId: SecurityGroupRules![0]!.SecurityGroupRuleId, CidrIpv4: "0.0.0.0/0", Description: "anyone" },
    ]);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [SecurityGroupRules![1]!.SecurityGroupRuleId!] }));
    expect((await describeGroup(groupId)).IpPermissions).toEqual([]);

    const egress = (await describeGroup(groupId)).IpPermissionsEgress!;
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: egress }));
    expect((await describeGroup(groupId)).IpPermissionsEgress).toEqual([]);
    await expect(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ["sgr-0123456789abcdef0"] }))).rejects.toMatchObject(
      error("InvalidSecurityGroupRuleId.NotFound", "The security group rule ID 'sgr-0123456789abcdef0' does not exist"),
    );
  });

  it("answers a missing rule back as unknown in the default VPC, and InvalidPermission.NotFound elsewhere, revoking nothing", async () => {
    const inDefault = await newGroup("revoke-default");
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: inDefault, IpPermissions: [ssh] }));
    const missing: IpPermission = { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] };
    const answer = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: inDefault, IpPermissions: [ssh, missing] }));
    expect(answer.Return).toBe(true);
    expect(answer.UnknownIpPermissions).toEqual([{ ...missing, Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);
    expect((await describeGroup(inDefault)).IpPermissions).toEqual([]);

    const elsewhere = await newGroup("revoke-elsewhere", await otherVpc("10.1.0.0/16"));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: elsewhere, IpPermissions: [ssh] }));
    await expect(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: elsewhere, IpPermissions: [ssh, missing] }))).rejects.toMatchObject(
      error("InvalidPermission.NotFound", "The specified rule does not exist in this security group."),
    );
    expect((await describeGroup(elsewhere)).IpPermissions).toHaveLength(1);
  });
});

describe("DeleteSecurityGroup", () => {
  it("deletes by id or by name, and refuses while another group's rule or an interface depends on the group", async () => {
    const target = await newGroup("delete-target");
    const referrer = await newGroup("delete-referrer");
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: referrer,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: target }] }],
      }),
    );
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: target }))).rejects.toMatchObject(
      error("DependencyViolation", `resource ${target} has a dependent object`),
    );
    // A group's rule naming itself is no dependency.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: referrer, IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: referrer }] }] }),
    );
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupName: "delete-referrer" }));
    expect(deleted).toMatchObject({ Return: true, GroupId: referrer });
    await expect(describeGroup(referrer)).rejects.toMatchObject(error("InvalidGroup.NotFound", `The security group '${referrer}' does not exist`));

    // An interface in the group (NetworkInterfaceGroup, as CreateNetworkInterface and RunInstances write it).
    server.store.sql.insert("NetworkInterfaceGroup", { networkInterfaceId: "eni-0123456789abcdef0", groupId: target });
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: target }))).rejects.toMatchObject(error("DependencyViolation"));
    server.store.sql.run('DELETE FROM "NetworkInterfaceGroup" WHERE "groupId" = ?', target);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: target }));
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: target }))).rejects.toMatchObject(error("InvalidGroup.NotFound"));
    await expect(ec2.send(new DeleteSecurityGroupCommand({}))).rejects.toMatchObject(error("MissingParameter"));
  });
});

describe("DescribeSecurityGroups", () => {
  it("filters on the group and on its rules, and pages", async () => {
    const web = await newGroup("filter-web");
    const db = await newGroup("filter-db");
    await ec2.send(new CreateTagsCommand({ Resources: [db], Tags: [{ Key: "tier", Value: "data" }] }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: web,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "203.0.113.0/24" }] }],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: db,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: web }] }],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: web,
        IpPermissions: [{ IpProtocol: "udp", FromPort: 123, ToPort: 123, IpRanges: [{ CidrIp: "198.51.100.0/24" }] }],
      }),
    );
    const names = async (...filters: Array<[string, string]>) =>
      (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters.map(([Name, value]) => ({ Name, Values: [value] })) })))
        .SecurityGroups!.map((g) => g.GroupName)
        .sort();
    expect(await names(["group-name", "filter-*"])).toEqual(["filter-db", "filter-web"]);
    expect(await names(["ip-permission.cidr", "203.0.113.0/24"])).toEqual(["filter-web"]);
    expect(await names(["ip-permission.from-port", "5432"], ["ip-permission.protocol", "tcp"])).toEqual(["filter-db"]);
    expect(await names(["ip-permission.group-id", web])).toEqual(["filter-db"]);
    expect(await names(["ip-permission.group-name", "filter-web"])).toEqual(["filter-db"]);
    expect(await names(["egress.ip-permission.to-port", "123"])).toEqual(["filter-web"]);
    expect(await names(["tag:tier", "data"])).toEqual(["filter-db"]);
    expect(await names(["description", "filter-web group"], ["owner-id", "000000000000"])).toEqual(["filter-web"]);
    await expect(names(["ip-permission.nonsense", "x"])).rejects.toMatchObject(
      error("InvalidParameterValue", "The filter 'ip-permission.nonsense' is invalid"),
    );

    const all = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.map((g) => g.GroupId);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5, NextToken }));
      expect(page.SecurityGroups!.length).toBeLessThanOrEqual(5);
      seen.push(...page.SecurityGroups!.map((g) => g.GroupId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toEqual(all);
  });

  it("answers unknown and malformed ids and names with EC2's errors", async () => {
    await expect(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0123456789abcdef0"] }))).rejects.toMatchObject(
      error("InvalidGroup.NotFound", "The security group 'sg-0123456789abcdef0' does not exist"),
    );
    await expect(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["web"] }))).rejects.toMatchObject(error("InvalidGroupId.Malformed"));
    // Names resolve in the default VPC only: a group of another VPC is not found by its name.
    await newGroup("only-elsewhere", await otherVpc("10.2.0.0/16"));
    await expect(ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["only-elsewhere"] }))).rejects.toMatchObject(
      error("InvalidGroup.NotFound", /^The security group 'only-elsewhere' does not exist in default VPC 'vpc-[0-9a-f]{17}'$/),
    );
  });
});

describe("DescribeSecurityGroupRules, ModifySecurityGroupRules, UpdateSecurityGroupRuleDescriptions", () => {
  it("lists rules by id and group, modifies one in place, and rewrites descriptions", async () => {
    const groupId = await newGroup("rules-by-id");
    const { SecurityGroupRules } = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }));
    const ruleId = SecurityGroupRules![0]!.SecurityGroupRuleId!;
    const ofGroup = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }] }));
    const shapes = ofGroup.SecurityGroupRules!.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4]);
    expect(shapes).toHaveLength(2);
    expect(shapes).toEqual(
      expect.arrayContaining([
        [true, "-1", -1, -1, "0.0.0.0/0"],
        [false, "tcp", 22, 22, "0.0.0.0/0"],
      ]),
    );
    expect(ofGroup.SecurityGroupRules!.find((r) => r.SecurityGroupRuleId === ruleId)!.SecurityGroupRuleArn).toBe(
      `arn:aws:ec2:us-east-1:000000000000:security-group-rule/${ruleId}`,
    );

    await ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: groupId,
        SecurityGroupRules: [
          { SecurityGroupRuleId: ruleId, SecurityGroupRule: { IpProtocol: "tcp", FromPort: 2222, ToPort: 2222, CidrIpv4: "10.0.0.0/8", Description: "moved" } },
        ],
      }),
    );
    const [modified] = (await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }))).SecurityGroupRules!;
    expect(modified).toMatchObject({ SecurityGroupRuleId: ruleId, FromPort: 2222, ToPort: 2222, CidrIpv4: "10.0.0.0/8", Description: "moved" });

    await ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 2222, ToPort: 2222, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "admin ssh" }] }],
      }),
    );
    expect((await describeGroup(groupId)).IpPermissions![0]!.IpRanges).toEqual([{ CidrIp: "10.0.0.0/8", Description: "admin ssh" }]);
    await expect(
      ec2.send(
        new UpdateSecurityGroupRuleDescriptionsIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ ...ssh, IpRanges: [{ CidrIp: "9.9.9.9/32", Description: "x" }] }],
        }),
      ),
    ).rejects.toMatchObject(error("InvalidPermission.NotFound"));
    await expect(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ["sgr-0123456789abcdef0"] }))).rejects.toMatchObject(
      error("InvalidSecurityGroupRuleId.NotFound"),
    );
    await expect(
      ec2.send(
        new ModifySecurityGroupRulesCommand({
          GroupId: groupId,
          SecurityGroupRules: [{ SecurityGroupRuleId: ruleId, SecurityGroupRule: { IpProtocol: "tcp", FromPort: 1, ToPort: 1 } }],
        }),
      ),
    ).rejects.toMatchObject(error("InvalidParameterCombination"));
  });
});

describe("another account", () => {
  it("sees none of the caller's groups or rules, and cannot change, delete or reference them", async () => {
    const other = await admin(server.databaseUrl, "create-account", "--account-id", "111122223333");
    const stranger = server.ec2({ credentials: other });
    const groupId = await newGroup("private");
    const { SecurityGroupRules } = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }));
    const notFound = error("InvalidGroup.NotFound", `The security group '${groupId}' does not exist`);
    await expect(stranger.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).rejects.toMatchObject(notFound);
    await expect(stranger.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }))).rejects.toMatchObject(notFound);
    await expect(stranger.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ssh] }))).rejects.toMatchObject(notFound);
    await expect(stranger.send(new DeleteSecurityGroupCommand({ GroupId: groupId }))).rejects.toMatchObject(notFound);
    await expect(
      stranger.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [SecurityGroupRules![0]!.SecurityGroupRuleId!] })),
    ).rejects.toMatchObject(error("InvalidSecurityGroupRuleId.NotFound"));
    // The stranger's own default network: only its own `default` group.
    const theirs = (await stranger.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!;
    expect(theirs.map((g) => [g.GroupName, g.OwnerId])).toEqual([["default", "111122223333"]]);
    const theirGroup = (await stranger.send(new CreateSecurityGroupCommand({ GroupName: "private", Description: "same name, other account" }))).GroupId!;
    await expect(
      stranger.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: theirGroup, IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: groupId }] }] }),
      ),
    ).rejects.toMatchObject(notFound);
  });
});
