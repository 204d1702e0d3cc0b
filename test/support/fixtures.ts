// What several test files start from: a second account, and the root snapshot of an Amazon catalog image.
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { AccountAdmin } from "../../src/services/account-admin.js";
import { AccountsRepo } from "../../src/store/accounts-repo.js";
import type { TestServer } from "./server.js";

export type Credentials = { accessKeyId: string; secretAccessKey: string };

/**
 * A new account and its first access key, made by what the admin command runs (`create-account --account-id`),
 * in the test's process: for tests that need another account, not the command (test/accounts/ runs the command).
 */
export function createAccount(server: TestServer, accountId: string): Promise<Credentials & { accountId: string }> {
  return new AccountAdmin(new AccountsRepo(server.store.sql)).createAccount(accountId);
}

/** Another account (222233334444) and its credentials. */
export function createStranger(server: TestServer): Promise<Credentials> {
  return createAccount(server, "222233334444");
}

/** The snapshot an Amazon image of that name maps to its root device. */
export async function amazonRootSnapshot(server: TestServer, imageName: string): Promise<string> {
  const { Images } = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [imageName] }] }));
  return Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
}

/** A second account, and the root snapshot of the Amazon Linux 2 HVM image: the EBS tests' start. */
export async function ebsFixtures(server: TestServer): Promise<{ stranger: Credentials; al2Snapshot: string }> {
  return { stranger: await createStranger(server), al2Snapshot: await amazonRootSnapshot(server, "amzn2-ami-hvm-2.0.20190313-x86_64-gp2") };
}
