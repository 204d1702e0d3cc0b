// Every launch rule through the official SDK: EC2's code and message, and nothing left behind (no instance, no
// volume, no capacity held on the fleet).
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";
import { beforeAll, expect, it } from "vitest";
import { extension } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

const server = testServer();
let images: Awaited<ReturnType<typeof amazonImageIds>>;
let akiI386: string;
let uefiOnly: string;
beforeAll(async () => {
  images = await amazonImageIds(server.ec2());
  // An x86_64 image registered for UEFI only (no BIOS fallback), from Amazon Linux 2's root snapshot.
  const { Images: [al2] = [] } = await server.ec2().send(new DescribeImagesCommand({ ImageIds: [images.al2Ena] }));
  const snapshotId = al2!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
  ({ ImageId: uefiOnly } = (await server.ec2().send(
    new RegisterImageCommand({
      Name: "uefi-only",
      Architecture: "x86_64",
      VirtualizationType: "hvm",
      BootMode: "uefi",
      EnaSupport: true,
      RootDeviceName: "/dev/xvda",
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snapshotId } }],
    }),
  )) as { ImageId: string });
  const { Images } = await server
    .ec2()
    .send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["pv-grub-hd0_1.05-i386.gz"] }] }));
  akiI386 = Images![0]!.ImageId!;
});

const virtualization = (type: string) =>
  `Virtualization type 'hvm' is required for instances of type '${type}'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html`;
const architecture = (typeArchitectures: string, imageArchitecture: string) =>
  `The architecture '${typeArchitectures}' of the specified instance type does not match the architecture '${imageArchitecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`;

const cases: Array<{ rule: string; request: () => Partial<RunInstancesCommandInput>; code: string; message: string | RegExp }> = [
  {
    rule: "virtualization-pv-needs-pv-type",
    request: () => ({ ImageId: images.pvX86, InstanceType: "t2.micro" }),
    code: "InvalidParameterCombination",
    message: virtualization("t2.micro"),
  },
  {
    rule: "virtualization-hvm-linux-on-first-generation",
    request: () => ({ ImageId: images.hvmNoEna, InstanceType: "t1.micro" }),
    code: "InvalidParameterCombination",
    message: "Non-Windows instances with a virtualization type of 'hvm' are currently not supported for this instance type.",
  },
  {
    rule: "gpu-needs-hvm",
    request: () => ({ ImageId: images.pvX86, InstanceType: "p2.xlarge" }),
    code: "InvalidParameterCombination",
    message: virtualization("p2.xlarge"),
  },
  {
    rule: "architecture-32-bit",
    request: () => ({ ImageId: images.pvI386, InstanceType: "m3.xlarge" }),
    code: "InvalidParameterValue",
    message: architecture("x86_64", "i386"),
  },
  {
    rule: "architecture-match",
    request: () => ({ ImageId: images.al2023Arm, InstanceType: "m5.large" }),
    code: "InvalidParameterValue",
    message: architecture("x86_64", "arm64"),
  },
  {
    rule: "pv-grub-kernel",
    request: () => ({ ImageId: images.pvX86, InstanceType: "m3.medium", KernelId: akiI386 }),
    code: "InvalidParameterCombination",
    message: /^The kernel image 'aki-[0-9a-f]+' is i386, but the image 'ami-[0-9a-f]+' is x86_64\. Use the x86_64 PV-GRUB AKI\.$/,
  },
  {
    rule: "ena-required",
    request: () => ({ ImageId: images.hvmNoEna, InstanceType: "m5.large" }),
    code: "InvalidParameterCombination",
    message:
      "Enhanced networking with the Elastic Network Adapter (ENA) is required for the 'm5.large' instance type. Ensure that you are using an AMI that is enabled for ENA.",
  },
  {
    rule: "boot-mode-uefi",
    request: () => ({ ImageId: uefiOnly, InstanceType: "t2.micro" }),
    code: "InvalidParameterValue",
    message:
      "The t2.micro instance type does not support an AMI with a boot mode of UEFI. Only instance types built on the Nitro System support UEFI. Specify an instance type that supports UEFI, and try again.",
  },
  {
    rule: "zone-offers-type",
    request: () => ({ ImageId: images.al2Ena, InstanceType: "m5.large", Placement: { AvailabilityZone: "us-east-1e" } }),
    code: "Unsupported",
    message:
      /^Your requested instance type \(m5\.large\) is not supported in your requested Availability Zone \(us-east-1e\)\. Please retry your request by not specifying an Availability Zone or choosing us-east-1a, /,
  },
  {
    rule: "dedicated-host-type",
    request: () => ({ ImageId: images.hvmNoEna, InstanceType: "t2.micro", Placement: { Tenancy: "host" } }),
    code: "InvalidParameterValue",
    message: "The instance type 't2.micro' is not supported on Dedicated Hosts.",
  },
];

it.each(cases)("refuses by $rule with EC2's code and message, leaving nothing behind", async ({ request, code, message }) => {
  const before = await footprint();
  const error = await server
    .ec2()
    .send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ...request() } as RunInstancesCommandInput))
    .catch((e) => e);
  expect(error.name).toBe(code);
  expect(error.$metadata.httpStatusCode).toBe(400);
  if (typeof message === "string") expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  expect(await footprint()).toEqual(before);
});

it.each(cases)("decides a dry run by $rule too: the same refusal, not DryRunOperation", async ({ request, code }) => {
  const error = await server
    .ec2()
    .send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, DryRun: true, ...request() } as RunInstancesCommandInput))
    .catch((e) => e);
  expect(error.name).toBe(code);
});

it("answers DryRunOperation only when every check passes, launching nothing; an unknown image or type is refused", async () => {
  const before = await footprint();
  const dryRun = (ImageId: string, InstanceType: string) =>
    server
      .ec2()
      .send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, DryRun: true, ImageId, InstanceType: InstanceType as never }))
      .catch((e) => e);
  expect((await dryRun(images.al2Ena, "m5.large")).name).toBe("DryRunOperation");
  expect((await dryRun("ami-0123456789abcdef0", "m5.large")).name).toBe("InvalidAMIID.NotFound");
  expect((await dryRun(images.al2Ena, "m5.huge")).name).not.toBe("DryRunOperation");
  expect((await dryRun(images.pvX86, "c5.large")).name).toBe("InvalidParameterCombination");
  expect(await footprint()).toEqual(before);
});

it("lets a UEFI arm64 image on a UEFI Graviton type through the boot-mode rule", async () => {
  const { Instances } = await server
    .ec2()
    .send(
      new RunInstancesCommand({ ImageId: images.al2023Arm, InstanceType: "a1.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }),
    );
  expect(Instances![0]!.BootMode).toBe("uefi");
});

it("names the same rule in ExplainLaunch for every refusal", async () => {
  for (const { rule, request } of cases) {
    const { ImageId, InstanceType, KernelId, Placement } = request();
    const params: Record<string, string> = { ImageId: ImageId!, InstanceType: InstanceType! };
    if (KernelId) params.KernelId = KernelId;
    if (Placement?.AvailabilityZone) params.AvailabilityZone = Placement.AvailabilityZone;
    if (Placement?.Tenancy) params.Tenancy = Placement.Tenancy;
    const result = await extension(server.url, "ExplainLaunch", params);
    const failed = (result.checkSet.item as Array<{ ruleId: string; outcome: string }>).filter((c) => c.outcome === "failed").map((c) => c.ruleId);
    expect(failed, `${ImageId} on ${InstanceType}`).toContain(rule);
    expect(result.launchable).toBe(false);
  }
});

/** What a refused launch must not change: instances, volumes, and the capacity used in us-east-1's zones. */
async function footprint() {
  const { Reservations = [] } = await server.ec2().send(new DescribeInstancesCommand({}));
  const { Volumes = [] } = await server.ec2().send(new DescribeVolumesCommand({}));
  const fleet = await extension(server.url, "DescribeFleet", {});
  const servers = fleet.serverSet ? [fleet.serverSet.item].flat() : [];
  return {
    instances: Reservations.flatMap((r) => r.Instances ?? []).length,
    volumes: Volumes.length,
    usedVCpus: servers.reduce((sum: number, s: { usedVCpus: number }) => sum + Number(s.usedVCpus), 0),
  };
}
