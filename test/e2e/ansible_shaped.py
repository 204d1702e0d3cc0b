"""The calls a playbook of Ansible's amazon.aws collection makes, through boto3 as the modules do (argv[1] = endpoint).

ec2_ami_info finds an AMI, ec2_vpc_net_info / ec2_vpc_subnet_info the default VPC and a subnet, ec2_group makes a
group and its rules, ec2_key imports a key, ec2_instance launches, waits and reads back the instance, then stops,
modifies, starts and terminates it; ec2_snapshot / ec2_ami make and delete an image with `state: absent`, which
waits until DescribeImages no longer answers the image. Prints one JSON object of what the test checks.
"""
import json
import sys

import boto3

kw = dict(region_name="us-east-1", endpoint_url=sys.argv[1], aws_access_key_id="test", aws_secret_access_key="test")
ec2 = boto3.client("ec2", **kw)
out = {}

images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023*-x86_64"]}])["Images"]
ami = sorted(images, key=lambda image: image["CreationDate"])[-1]["ImageId"]
vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
out["vpc"] = vpc
# A playbook names its zone's subnet: the first of DescribeSubnets is any zone's, and us-east-1e offers no t3 (as in EC2).
subnet = ec2.describe_subnets(
    Filters=[
        {"Name": "vpc-id", "Values": [vpc["VpcId"]]},
        {"Name": "default-for-az", "Values": ["true"]},
        {"Name": "availability-zone", "Values": ["us-east-1a"]},
    ]
)["Subnets"][0]
out["subnet"] = subnet

# ec2_group: look up by name in the VPC, create, then add what is missing.
found = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["ansible-web"]}, {"Name": "vpc-id", "Values": [vpc["VpcId"]]}])
assert found["SecurityGroups"] == []
sg = ec2.create_security_group(GroupName="ansible-web", Description="made by ec2_group", VpcId=vpc["VpcId"])["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])

key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhyY7jx6KJp2ECNFg0Wl7y5uEuhyBFUSMwvO0BLIL1K ansible"
ec2.import_key_pair(KeyName="ansible", PublicKeyMaterial=key.encode())

# ec2_instance: network.assign_public_ip, vpc_subnet_id, security_group, tags, then wait: running.
reservation = ec2.run_instances(
    ImageId=ami,
    InstanceType="t3.micro",
    KeyName="ansible",
    MinCount=1,
    MaxCount=1,
    NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet["SubnetId"], "Groups": [sg], "AssociatePublicIpAddress": True}],
    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "ansible-web"}]}],
)
instance_id = reservation["Instances"][0]["InstanceId"]
ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id])
filters = [{"Name": "tag:Name", "Values": ["ansible-web"]}, {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}]
out["running"] = ec2.describe_instances(Filters=filters)["Reservations"][0]["Instances"][0]
for name in ["disableApiTermination", "instanceInitiatedShutdownBehavior", "sourceDestCheck", "groupSet"]:
    out[name] = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute=name)

ec2.stop_instances(InstanceIds=[instance_id])
ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id])
ec2.modify_instance_attribute(InstanceId=instance_id, InstanceType={"Value": "t3.small"})
out["stopped"] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
ec2.start_instances(InstanceIds=[instance_id])
ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id])
out["restarted"] = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]

# ec2_ami: image from the instance, then state: absent with delete_snapshot, waiting until the image is gone.
image = ec2.create_image(InstanceId=instance_id, Name="ansible-golden", NoReboot=True)["ImageId"]
ec2.get_waiter("image_available").wait(ImageIds=[image])
snapshots = [m["Ebs"]["SnapshotId"] for m in ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"] if "Ebs" in m]
ec2.deregister_image(ImageId=image)
out["afterDeregister"] = [i["State"] for i in ec2.describe_images(ImageIds=[image])["Images"]]
for snapshot in snapshots:
    ec2.delete_snapshot(SnapshotId=snapshot)

ec2.terminate_instances(InstanceIds=[instance_id])
ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id])
ec2.delete_security_group(GroupId=sg)
ec2.delete_key_pair(KeyName="ansible")
out["interfacesLeft"] = ec2.describe_network_interfaces(Filters=[{"Name": "subnet-id", "Values": [subnet["SubnetId"]]}])["NetworkInterfaces"]
print(json.dumps(out, default=str))
