// What several test files start from: a second account, and the root snapshot of an Amazon catalog image.
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { admin } from "./processes.js";
import { startTestServer, type TestServer } from "./server.js";

export type Credentials = { accessKeyId: string; secretAccessKey: string };

/** Another account (222233334444) made with the admin command, and its credentials. */
export function createStranger(server: TestServer): Promise<Credentials> {
  return admin(server.databaseUrl, "create-account", "--account-id", "222233334444");
}

/** The snapshot an Amazon image of that name maps to its root device. */
export async function amazonRootSnapshot(server: TestServer, imageName: string): Promise<string> {
  const { Images } = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [imageName] }] }));
  return Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
}

/** A fresh server, a second account, and the root snapshot of the Amazon Linux 2 HVM image: the EBS tests' start. */
export async function startEbsTestServer(): Promise<{ server: TestServer; stranger: Credentials; al2Snapshot: string }> {
  const server = await startTestServer();
  return { server, stranger: await createStranger(server), al2Snapshot: await amazonRootSnapshot(server, "amzn2-ami-hvm-2.0.20190313-x86_64-gp2") };
}
