// Security groups through the AWS CLI on the machine (botocore's serializer and parser): the everyday flow of a
// group with an SSH rule and a rule from another group, EC2's errors as the CLI prints them, and the grouped
// IpPermissions boto3 reads.
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { testServer } from "../support/server.js";

const server = testServer();
const cli = (...args: string[]) => aws(server.url, args);

async function ok(...args: string[]) {
  const result = await cli(...args);
  expect(result.code, result.stderr).toBe(0);
  return result.json;
}

describe("the AWS CLI with security groups", () => {
  it("creates groups, authorizes, describes, revokes and deletes, with the duplicate and dependency errors", async () => {
    const app = (await ok("ec2", "create-security-group", "--group-name", "cli-app", "--description", "app servers")).GroupId;
    const lb = (await ok("ec2", "create-security-group", "--group-name", "cli-lb", "--description", "load balancers")).GroupId;
    expect(app).toMatch(/^sg-[0-9a-f]{17}$/);

    // The CLI's shorthand for one rule, and --ip-permissions for a rule from another group.
    const ssh = await ok("ec2", "authorize-security-group-ingress", "--group-id", app, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0");
    expect(ssh).toMatchObject({
      Return: true,
      SecurityGroupRules: [{ GroupId: app, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIpv4: "0.0.0.0/0", IsEgress: false }],
    });
    await ok(
      "ec2",
      "authorize-security-group-ingress",
      "--group-id",
      app,
      "--ip-permissions",
      `IpProtocol=-1,UserIdGroupPairs=[{GroupId=${lb},Description=from the lb}]`,
    );

    const duplicate = await cli("ec2", "authorize-security-group-ingress", "--group-id", app, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0");
    expect([254, 255]).toContain(duplicate.code);
    expect(duplicate.stderr).toContain(
      'An error occurred (InvalidPermission.Duplicate) when calling the AuthorizeSecurityGroupIngress operation: the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
    );

    const described = await ok("ec2", "describe-security-groups", "--group-ids", app);
    expect(described.SecurityGroups[0].IpPermissions).toEqual([
      { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
      {
        IpProtocol: "-1",
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [{ GroupId: lb, UserId: "000000000000", Description: "from the lb" }],
      },
    ]);
    expect(described.SecurityGroups[0].IpPermissionsEgress).toEqual([
      { IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    const byRule = await ok(
      "ec2",
      "describe-security-groups",
      "--filters",
      `Name=ip-permission.group-id,Values=${lb}`,
      "--query",
      "SecurityGroups[].GroupName",
    );
    expect(byRule).toEqual(["cli-app"]);

    const inUse = await cli("ec2", "delete-security-group", "--group-id", lb);
    expect(inUse.stderr).toContain(
      `An error occurred (DependencyViolation) when calling the DeleteSecurityGroup operation: resource ${lb} has a dependent object`,
    );

    await ok("ec2", "revoke-security-group-ingress", "--group-id", app, "--ip-permissions", `IpProtocol=-1,UserIdGroupPairs=[{GroupId=${lb}}]`);
    const revoked = await ok("ec2", "revoke-security-group-ingress", "--group-id", app, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0");
    expect(revoked.Return).toBe(true);
    expect(revoked.RevokedSecurityGroupRules).toMatchObject([{ GroupId: app, CidrIpv4: "0.0.0.0/0" }]);
    expect((await ok("ec2", "describe-security-group-rules", "--filters", `Name=group-id,Values=${app}`)).SecurityGroupRules).toHaveLength(1);

    await ok("ec2", "delete-security-group", "--group-id", lb);
    await ok("ec2", "delete-security-group", "--group-name", "cli-app");
    const gone = await cli("ec2", "describe-security-groups", "--group-ids", app);
    expect(gone.stderr).toContain(
      `An error occurred (InvalidGroup.NotFound) when calling the DescribeSecurityGroups operation: The security group '${app}' does not exist`,
    );
  });
});
