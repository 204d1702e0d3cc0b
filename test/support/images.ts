// Finds the seeded Amazon images by name, for tests that launch them.
import { DescribeImagesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { beforeAll } from "vitest";
import { type TestServer, testServer } from "./server.js";

export const amazonImages = {
  pvX86: "amzn-ami-pv-2013.09.2.x86_64-ebs",
  pvI386: "amzn-ami-pv-2013.09.2.i386-ebs",
  pvEnaReady: "amzn-ami-pv-2018.03.0.20190611-x86_64-ebs",
  pvOldKernel: "centos-5.11-x86_64-pv-ebs",
  pvLvm: "rhel-6.5-x86_64-pv-lvm-ebs",
  pvUbuntuPartitioned: "ubuntu/images/ebs/ubuntu-trusty-14.04-amd64-server-20160114.5",
  hvmNoEna: "amzn-ami-hvm-2016.03.0.x86_64-gp2",
  al2Ena: "amzn2-ami-hvm-2.0.20190313-x86_64-gp2",
  al2023X86: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64",
  al2023Arm: "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64",
  debianNoNvme: "debian-jessie-amd64-hvm-2017-01-15-1221-ebs",
  gpu: "Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2) Version 65.3",
  windows: "Windows_Server-2019-English-Full-Base-2024.12.13",
  windows2012NoNitroDrivers: "Windows_Server-2012-R2_RTM-English-64Bit-Base-2016.06.15",
  windows2008Citrix: "Windows_Server-2008-SP2-English-64Bit-Base-2016.06.15",
} as const;

export async function amazonImageIds(ec2: EC2Client): Promise<Record<keyof typeof amazonImages, string>> {
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
  const byName = new Map(Images.map((image) => [image.Name!, image.ImageId!]));
  return Object.fromEntries(Object.entries(amazonImages).map(([key, name]) => [key, byName.get(name)!])) as Record<keyof typeof amazonImages, string>;
}

/** One server for a test file (test/support/server.ts testServer), with the Amazon image ids looked up before its tests. */
export function serverWithAmazonImages(env: Record<string, string> = {}): { server: TestServer; images: Record<keyof typeof amazonImages, string> } {
  const shared = { server: testServer(env) } as { server: TestServer; images: Record<keyof typeof amazonImages, string> };
  beforeAll(async () => {
    shared.images = await amazonImageIds(shared.server.ec2());
  });
  return shared;
}
