// Real clients, unchanged, at mini-ec2's endpoint: the AWS CLI and boto3's `ssm` client find AMIs through SSM's
// public parameters, and other services' clients (KMS, IAM, ELB) print an error naming mini-ec2 and the service.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { testServer } from "../support/server.js";

const al2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const amzn2 = "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2";

// One Python start for everything boto3 is asked: each start costs about a second.
const boto3Script = `
import boto3, json, sys
from botocore.exceptions import ClientError
kw = dict(region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id='test', aws_secret_access_key='test')
ssm = boto3.client('ssm', **kw)
out = {}
out['get'] = ssm.get_parameter(Name='${al2023}')['Parameter']
out['get']['LastModifiedDate'] = out['get']['LastModifiedDate'].isoformat()
pages = ssm.get_paginator('get_parameters_by_path').paginate(Path='/aws/service', Recursive=True, PaginationConfig={'PageSize': 3})
out['byPath'] = [p['Name'] for page in pages for p in page['Parameters']]
try:
    ssm.get_parameter(Name='/aws/service/none')
except ClientError as e:
    out['missing'] = e.response['Error']
try:
    ssm.put_parameter(Name='/mine', Value='x', Type='String')
except ClientError as e:
    out['put'] = e.response['Error']
out['ami'] = boto3.client('ec2', **kw).describe_images(ImageIds=[out['get']['Value']])['Images'][0]['Name']
print(json.dumps(out))
`;

describe("SSM and other services through real clients", () => {
  const server = testServer();

  it("aws ssm get-parameters answers the parameters found and the names that are not", async () => {
    const result = await aws(server.url, ["ssm", "get-parameters", "--names", al2023, amzn2, "/aws/service/none"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.Parameters.map((parameter: { Name: string }) => parameter.Name)).toEqual([al2023, amzn2]);
    expect(result.json.Parameters[0]).toMatchObject({ Type: "String", DataType: "aws:ec2:image", Version: 1, Value: expect.stringMatching(/^ami-/) });
    expect(result.json.InvalidParameters).toEqual(["/aws/service/none"]);
  });

  it("boto3's ssm client reads, pages and fails as against SSM, and the image it names exists", async () => {
    const { stdout } = await promisify(execFile)("python3", ["-c", boto3Script, server.url], { encoding: "utf8" });
    const out = JSON.parse(stdout);
    expect(out.get).toMatchObject({ Name: al2023, Type: "String", DataType: "aws:ec2:image", ARN: `arn:aws:ssm:us-east-1::parameter${al2023}` });
    expect(out.ami).toMatch(/^al2023-ami-.*-x86_64$/);
    expect(out.byPath).toContain(amzn2);
    expect(out.byPath).toContain("/aws/service/ami-windows-latest/Windows_Server-2019-English-Full-Base");
    expect(out.missing.Code).toBe("ParameterNotFound");
    expect(out.put.Code).toBe("UnsupportedOperationException");
    expect(out.put.Message).toContain("mini-ec2");
  });

  it("aws ec2 run-instances resolves --image-id resolve:ssm:<parameter>, given or from a launch template, to the image SSM names", async () => {
    const parameters = await aws(server.url, ["ssm", "get-parameters", "--names", al2023, amzn2]);
    const [imageId, amzn2Image] = parameters.json.Parameters.map((parameter: { Value: string }) => parameter.Value);
    const direct = await aws(server.url, ["ec2", "run-instances", "--image-id", `resolve:ssm:${al2023}`, "--instance-type", "t3.micro"]);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.json.Instances[0].ImageId).toBe(imageId);

    const template = await aws(server.url, [
      "ec2",
      "create-launch-template",
      "--launch-template-name",
      "ssm-alias",
      "--launch-template-data",
      JSON.stringify({ ImageId: `resolve:ssm:${amzn2}`, InstanceType: "t3.micro" }),
    ]);
    expect(template.code, template.stderr).toBe(0);
    const token = ["--launch-template", "LaunchTemplateName=ssm-alias", "--client-token", "ssm-alias-1"];
    const fromTemplate = await aws(server.url, ["ec2", "run-instances", ...token]);
    expect(fromTemplate.code, fromTemplate.stderr).toBe(0);
    expect(fromTemplate.json.Instances[0].ImageId).toBe(amzn2Image);
    // A retry with the same token is the same launch, not a mismatch between the alias and the image it names.
    const retry = await aws(server.url, ["ec2", "run-instances", ...token]);
    expect(retry.json.Instances[0].InstanceId).toBe(fromTemplate.json.Instances[0].InstanceId);

    const missing = await aws(server.url, ["ec2", "run-instances", "--image-id", "resolve:ssm:/aws/service/none", "--dry-run"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/\(InvalidParameterValue\).*resolve:ssm:\/aws\/service\/none.*does not exist/);
  });

  it("the AWS CLI's KMS, IAM and ELB commands print an error naming mini-ec2 and the service", async () => {
    const [kms, iam, elb] = await Promise.all([
      aws(server.url, ["kms", "list-keys"]),
      aws(server.url, ["iam", "list-users"]),
      aws(server.url, ["elb", "describe-load-balancers"]),
    ]);
    expect(kms.stderr).toMatch(/\(UnknownOperationException\).*ListKeys.*mini-ec2.*AWS KMS/);
    expect(iam.stderr).toMatch(/\(InvalidAction\).*ListUsers.*mini-ec2.*IAM/);
    expect(elb.stderr).toMatch(/\(InvalidAction\).*DescribeLoadBalancers.*mini-ec2.*Elastic Load Balancing/);
    for (const result of [kms, iam, elb]) expect(result.code).not.toBe(0);
  });
});
