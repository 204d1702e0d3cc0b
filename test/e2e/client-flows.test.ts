// Whole flows in the shape real tools drive them, through boto3: what Terraform's AWS provider calls for a small
// networked stack (terraform_shaped.py), and what an Ansible playbook of amazon.aws calls for one server
// (ansible_shaped.py). Each script prints what it saw; the checks are here.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { testServer } from "../support/server.js";

async function runFlow(script: string, endpoint: string) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const { stdout } = await promisify(execFile)("python3", [path, endpoint], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

describe("tool-shaped flows through boto3", () => {
  const server = testServer();

  it("a Terraform-shaped stack: VPC, subnets, gateway, routes, group, launch template, instances, Elastic IP, destroy", async () => {
    const out = await runFlow("terraform_shaped.py", server.url);
    expect(out.dnsHostnames).toBe(true);
    const subnets = [...out.subnets].sort((a: { CidrBlock: string }, b: { CidrBlock: string }) => a.CidrBlock.localeCompare(b.CidrBlock));
    expect(subnets.map((s: { CidrBlock: string; AvailableIpAddressCount: number }) => [s.CidrBlock, s.AvailableIpAddressCount])).toEqual([
      ["10.0.0.0/24", 251],
      ["10.0.1.0/24", 251],
    ]);
    expect(out.routes.map((r: { DestinationCidrBlock: string; GatewayId: string }) => [r.DestinationCidrBlock, r.GatewayId.slice(0, 4)])).toEqual([
      ["10.0.0.0/16", "loca"],
      ["0.0.0.0/0", "igw-"],
    ]);
    expect(out.group.IpPermissions).toHaveLength(2);
    expect(out.group.IpPermissionsEgress).toEqual([expect.objectContaining({ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] })]);
    // The first subnet maps public addresses (ModifySubnetAttribute); the second does not.
    type Launched = { SubnetId: string; InstanceId: string; PublicIpAddress?: string };
    const first = out.instances.find((i: Launched) => i.SubnetId === subnets[0].SubnetId) as Launched;
    const second = out.instances.find((i: Launched) => i.SubnetId === subnets[1].SubnetId) as Launched;
    for (const instance of out.instances) {
      expect(instance.SecurityGroups).toEqual([{ GroupId: out.group.GroupId, GroupName: "web" }]);
      expect(instance.PrivateIpAddress).toMatch(/^10\.0\.[01]\.\d+$/);
      expect(instance.MetadataOptions.HttpTokens).toBe("required");
      expect(instance.Tags).toEqual(expect.arrayContaining([expect.objectContaining({ Key: "aws:ec2launchtemplate:id" })]));
    }
    expect(first.PublicIpAddress).toBeDefined();
    expect(second).toBeDefined();
    expect(out.address.InstanceId).toBe(out.eipInstance);
    expect(out.refused).toEqual({
      vpc: "DependencyViolation",
      subnet: "DependencyViolation",
      group: "DependencyViolation",
      igw: "DependencyViolation",
      rtb: "DependencyViolation",
      release: "InvalidIPAddress.InUse",
      detach: "DependencyViolation",
    });
    expect(out.vpcsLeft).toHaveLength(1);
  });

  it("an Ansible-shaped server: default VPC, group, key, launch, stop, modify, start, image absent, terminate", async () => {
    const out = await runFlow("ansible_shaped.py", server.url);
    expect(out.vpc).toMatchObject({ CidrBlock: "172.31.0.0/16", IsDefault: true });
    expect(out.subnet).toMatchObject({ DefaultForAz: true, MapPublicIpOnLaunch: true });
    expect(out.running).toMatchObject({ SubnetId: out.subnet.SubnetId, VpcId: out.vpc.VpcId, KeyName: "ansible" });
    expect(out.running.PrivateIpAddress).toMatch(/^172\.31\./);
    expect(out.running.PublicIpAddress).toBeDefined();
    expect(out.running.NetworkInterfaces[0].Attachment).toMatchObject({ DeviceIndex: 0, DeleteOnTermination: true });
    expect(out.sourceDestCheck.SourceDestCheck.Value).toBe(true);
    expect(out.groupSet.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(["ansible-web"]);
    expect(out.stopped.PublicIpAddress).toBeUndefined();
    expect(out.stopped.PrivateIpAddress).toBe(out.running.PrivateIpAddress);
    expect(out.restarted.InstanceType).toBe("t3.small");
    expect(out.restarted.PublicIpAddress).toBeDefined();
    expect(out.afterDeregister).toEqual(["deregistered"]);
    expect(out.interfacesLeft).toEqual([]);
  });
});
