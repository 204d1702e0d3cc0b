// Security group scenarios (docs/networking.md): making a group with a rule, and describing a few hundred groups
// with their rules grouped, the call every Terraform plan makes.
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import type { Scenario } from "./harness.js";

export function securityGroupScenarios(ec2: EC2Client): Scenario[] {
  return [
    {
      name: "CreateSecurityGroup + AuthorizeSecurityGroupIngress (SSH)",
      calls: 300,
      call: async (i) => {
        const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `bench-sg-${i}`, Description: "bench" }));
        await ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId,
            IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
          }),
        );
      },
    },
    { name: "DescribeSecurityGroups (350 groups, all)", calls: 100, call: () => ec2.send(new DescribeSecurityGroupsCommand({})) },
    {
      name: "DescribeSecurityGroups (ip-permission.from-port filter)",
      calls: 100,
      call: () => ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "ip-permission.from-port", Values: ["22"] }] })),
    },
  ];
}
