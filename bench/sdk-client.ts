// The official SDK as the bench's scenarios drive it: one client configuration, and an image found by its name.
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";

/** An SDK client of the account `test`, in us-east-1, with no retries (a retry would hide a failed call's cost). */
export function sdkClient(endpoint: string, requestHandler?: object): EC2Client {
  return new EC2Client({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    ...(requestHandler ? { requestHandler } : {}),
  });
}

/** The id of the first image of `owner` whose name matches `name` (wildcards as DescribeImages takes them). */
export async function imageNamed(ec2: EC2Client, name: string, owner = "amazon"): Promise<string> {
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({ Owners: [owner], Filters: [{ Name: "name", Values: [name] }] }));
  if (!Images[0]) throw new Error(`no image named ${name}`);
  return Images[0].ImageId!;
}
