"""The calls Terraform's AWS provider makes for a small stack, in its order, through boto3 (argv[1] = endpoint).

A VPC with two subnets, an internet gateway, a route table with a default route, a security group with rules, an
AMI found through SSM, a launch template, two instances from it (one per subnet, with the group), an Elastic IP;
every resource read back after it is made, as the provider's refresh does; then `terraform destroy` in dependency
order, with each delete tried too early first. Prints one JSON object of what the test checks.
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

kw = dict(region_name="us-east-1", endpoint_url=sys.argv[1], aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **kw)
ssm = boto3.client("ssm", **kw)
out = {"refused": {}}


def error_code(call, **args):
    try:
        call(**args)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


tags = lambda kind, name: [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tags("vpc", "tf"))["Vpc"]["VpcId"]
ec2.get_waiter("vpc_available").wait(VpcIds=[vpc])
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
out["dnsHostnames"] = ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]
zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
subnets = [
    ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone, TagSpecifications=tags("subnet", f"tf-{i}"))["Subnet"]["SubnetId"]
    for i, zone in enumerate(zones)
]
ec2.modify_subnet_attribute(SubnetId=subnets[0], MapPublicIpOnLaunch={"Value": True})
out["subnets"] = ec2.describe_subnets(SubnetIds=subnets)["Subnets"]
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
associations = [ec2.associate_route_table(RouteTableId=rtb, SubnetId=s)["AssociationId"] for s in subnets]
out["routes"] = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]

sg = ec2.create_security_group(GroupName="web", Description="web servers", VpcId=vpc)["GroupId"]
# The provider revokes the default egress rule, then writes the rules it was given.
ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ec2.authorize_security_group_ingress(
    GroupId=sg,
    IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https"}]},
        {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg}]},
    ],
)
ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
out["group"] = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]

ami = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
template = ec2.create_launch_template(
    LaunchTemplateName="tf-web",
    LaunchTemplateData={"ImageId": ami, "InstanceType": "t3.micro", "MetadataOptions": {"HttpTokens": "required"}},
)["LaunchTemplate"]["LaunchTemplateId"]
instances = []
for subnet in subnets:
    instance = ec2.run_instances(
        MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"}, SubnetId=subnet, SecurityGroupIds=[sg]
    )["Instances"][0]["InstanceId"]
    instances.append(instance)
ec2.get_waiter("instance_running").wait(InstanceIds=instances)
out["instances"] = [i for r in ec2.describe_instances(InstanceIds=instances)["Reservations"] for i in r["Instances"]]
for name in ["disableApiTermination", "instanceInitiatedShutdownBehavior", "userData"]:
    ec2.describe_instance_attribute(InstanceId=instances[0], Attribute=name)

eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
eip_association = ec2.associate_address(AllocationId=eip, InstanceId=instances[1])["AssociationId"]
out["eipInstance"] = instances[1]
out["address"] = ec2.describe_addresses(AllocationIds=[eip])["Addresses"][0]

# terraform destroy: each dependency first tried too early.
out["refused"]["vpc"] = error_code(ec2.delete_vpc, VpcId=vpc)
out["refused"]["subnet"] = error_code(ec2.delete_subnet, SubnetId=subnets[0])
out["refused"]["group"] = error_code(ec2.delete_security_group, GroupId=sg)
out["refused"]["igw"] = error_code(ec2.delete_internet_gateway, InternetGatewayId=igw)
out["refused"]["rtb"] = error_code(ec2.delete_route_table, RouteTableId=rtb)
out["refused"]["release"] = error_code(ec2.release_address, AllocationId=eip)
# The instances' public addresses (the Elastic IP, the first subnet's auto-assigned one) hold the gateway.
out["refused"]["detach"] = error_code(ec2.detach_internet_gateway, InternetGatewayId=igw, VpcId=vpc)
ec2.disassociate_address(AssociationId=eip_association)
ec2.release_address(AllocationId=eip)
ec2.terminate_instances(InstanceIds=instances)
ec2.get_waiter("instance_terminated").wait(InstanceIds=instances)
ec2.delete_launch_template(LaunchTemplateId=template)
ec2.delete_security_group(GroupId=sg)
for association in associations:
    ec2.disassociate_route_table(AssociationId=association)
ec2.delete_route_table(RouteTableId=rtb)
ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
ec2.delete_internet_gateway(InternetGatewayId=igw)
for subnet in subnets:
    ec2.delete_subnet(SubnetId=subnet)
ec2.delete_vpc(VpcId=vpc)
out["vpcsLeft"] = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]
print(json.dumps(out, default=str))
