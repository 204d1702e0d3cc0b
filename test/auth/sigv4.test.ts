// SigV4 verification: header signatures from the SDK and by hand, presigned URLs from smithy and from botocore.
import { execFile } from "node:child_process";
import { get } from "node:http";
import { promisify } from "node:util";
import { Sha256 } from "@aws-crypto/sha256-js";
import { DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import { GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { ec2Params, rawRequest } from "../support/signed-request.js";
import { testServer } from "../support/server.js";

const server = testServer();

const call = (request: Parameters<typeof rawRequest>[1]) => rawRequest(server.url, { params: ec2Params("DescribeRegions"), ...request });

describe("header signatures", () => {
  it("accepts the SDK's signature (it signs amz-sdk-*, x-amz-user-agent and x-amz-content-sha256 too)", async () => {
    const result = await server.ec2().send(new DescribeRegionsCommand({ RegionNames: ["us-east-1"] }));
    expect(result.Regions).toHaveLength(1);
  });

  it("accepts a hand-signed POST and GET", async () => {
    expect((await call({})).status).toBe(200);
    expect((await call({ method: "GET" })).status).toBe(200);
  });

  it("rejects a wrong secret with SignatureDoesNotMatch (403)", async () => {
    const response = await call({ credentials: { accessKeyId: "test", secretAccessKey: "not-the-secret" } });
    expect([response.status, response.code]).toEqual([403, "SignatureDoesNotMatch"]);
    expect(response.message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
  });

  it("rejects an unknown access key with AuthFailure (401)", async () => {
    const response = await call({ credentials: { accessKeyId: "AKIANOBODY0000000000", secretAccessKey: "x" } });
    expect([response.status, response.code, response.message]).toEqual([401, "AuthFailure", "AWS was not able to validate the provided access credentials"]);
  });

  it("rejects an unsigned request with MissingAuthenticationToken (403)", async () => {
    const response = await call({ sign: false });
    expect([response.status, response.code]).toEqual([403, "MissingAuthenticationToken"]);
    expect(response.message).toMatch(/Signature Version 4/);
  });

  it("rejects a request signed 20 minutes ago, or ahead, with RequestExpired", async () => {
    for (const offsetMs of [-20 * 60_000, 20 * 60_000]) {
      const response = await call({ signingDate: new Date(Date.now() + offsetMs) });
      expect([response.status, response.code]).toEqual([400, "RequestExpired"]);
      expect(response.message).toMatch(/^Request has expired\./);
    }
    expect((await call({ signingDate: new Date(Date.now() - 10 * 60_000) })).status).toBe(200);
  });

  it("rejects a credential scope with an unknown region or another service", async () => {
    const region = await call({ region: "xx-nowhere-1" });
    expect([region.status, region.code, region.message]).toEqual([
      403,
      "SignatureDoesNotMatch",
      "Credential should be scoped to a valid region, not 'xx-nowhere-1'.",
    ]);
    const service = await call({ service: "s3" });
    expect([service.status, service.code, service.message]).toEqual([403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'ec2'."]);
  });

  it("rejects a body changed after signing (signed as botocore does, with no content-hash header)", async () => {
    const signer = new SignatureV4({
      service: "ec2",
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      sha256: Sha256,
      applyChecksum: false,
    });
    const url = new URL(server.url);
    const body = "Action=DescribeRegions&Version=2016-11-15";
    const signed = await signer.sign(
      new HttpRequest({
        method: "POST",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        headers: { host: url.host, "content-type": "application/x-www-form-urlencoded" },
        body,
      }),
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== "host"));
    expect(Object.keys(headers)).not.toContain("x-amz-content-sha256");
    expect((await fetch(server.url, { method: "POST", headers, body })).status).toBe(200);
    const response = await fetch(server.url, { method: "POST", headers, body: `${body}&AllRegions=true` });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("refuses UNSIGNED-PAYLOAD and a signature that leaves out the host", async () => {
    const url = new URL(server.url);
    const body = "Action=DescribeRegions&Version=2016-11-15";
    const send = async (headers: Record<string, string>, signableHeaders?: Set<string>) => {
      const signer = new SignatureV4({
        service: "ec2",
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        sha256: Sha256,
        applyChecksum: false,
      });
      const request = new HttpRequest({
        method: "POST",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body,
      });
      const signed = await signer.sign(request, signableHeaders ? { unsignableHeaders: new Set(["host"]) } : {});
      const response = await fetch(server.url, {
        method: "POST",
        headers: Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== "host")),
        body,
      });
      return { status: response.status, text: await response.text() };
    };
    const unsigned = await send({ host: url.host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" });
    expect(unsigned.status).toBe(403);
    expect(unsigned.text).toContain("<Code>SignatureDoesNotMatch</Code>");
    const hostless = await send({ host: url.host }, new Set());
    expect(hostless.status).toBe(403);
    expect(hostless.text).toContain("&apos;Host&apos; must be a signed header.");
  });

  it("rejects a SignedHeaders entry for a header the request does not carry, as AWS does", async () => {
    const claimMore = (extra: string) => (headers: Record<string, string>) => {
      headers.authorization = headers.authorization!.replace(
        /SignedHeaders=([^,]+)/,
        (_, names: string) => `SignedHeaders=${[...names.split(";"), extra].sort().join(";")}`,
      );
    };
    // The signature covers what was sent; only the list claims more. Accepted, a client could believe a header
    // it never sent was checked.
    for (const extra of ["x-amz-meta-extra", "x-amz-security-token", "content-md5"]) {
      const response = await call({ afterSigning: claimMore(extra) });
      expect([response.status, response.code], extra).toEqual([403, "SignatureDoesNotMatch"]);
      expect(response.message).toContain(`'${extra}'`);
    }
    // A header signed with its value and then left out: the signature no longer matches either.
    const dropped = await call({
      headers: { "x-amz-meta-extra": "signed" },
      afterSigning: (headers) => {
        delete headers["x-amz-meta-extra"];
      },
    });
    expect([dropped.status, dropped.code]).toEqual([403, "SignatureDoesNotMatch"]);
    // The same request, untouched, is good.
    expect((await call({ headers: { "x-amz-meta-extra": "signed" } })).status).toBe(200);
  });

  it("rejects a garbled Authorization header with IncompleteSignature", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: {
        authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request",
        "content-type": "application/x-www-form-urlencoded",
        "x-amz-date": "20260101T000000Z",
      },
      body: "Action=DescribeRegions&Version=2016-11-15",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(
      "Authorization header requires &apos;SignedHeaders&apos; parameter. Authorization header requires &apos;Signature&apos; parameter.",
    );
  });
});

/** A GET on a new connection, closed after it (no kept-alive socket of an earlier request is reused). */
function getOnItsOwnConnection(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, text }));
      response.on("error", reject);
    }).on("error", reject);
  });
}

describe("presigned URLs", () => {
  async function presignedUrl(
    expiresIn: number,
    signingDate = new Date(),
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = { accessKeyId: "test", secretAccessKey: "test" },
  ): Promise<string> {
    const url = new URL(server.url);
    const params = ec2Params("DescribeRegions");
    const signer = new SignatureV4({ service: "ec2", region: "us-east-1", credentials, sha256: Sha256 });
    const presigned = await signer.presign(
      new HttpRequest({ method: "GET", hostname: url.hostname, port: Number(url.port), path: "/", headers: { host: url.host }, query: params }),
      { expiresIn, signingDate },
    );
    return `${server.url}/?${new URLSearchParams(presigned.query as Record<string, string>).toString().replace(/\+/g, "%20")}`;
  }

  it("accepts a URL presigned by smithy", async () => {
    const response = await fetch(await presignedUrl(300));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<DescribeRegionsResponse");
  });

  it("accepts a URL presigned by botocore (the AWS CLI's signer), for GET", async () => {
    const script = [
      "import boto3, sys",
      "c = boto3.client('ec2', region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id='test', aws_secret_access_key='test')",
      "print(c.generate_presigned_url('describe_regions', Params={'RegionNames': ['eu-west-1']}, ExpiresIn=300, HttpMethod='GET'))",
    ].join("\n");
    // Asynchronously: a child run synchronously stops this process, the server's included, for Python's start-up,
    // after which the server closes the idle kept-alive socket while a fetch picks it up for reuse.
    const url = (await promisify(execFile)("python3", ["-c", script, server.url], { encoding: "utf8" })).stdout.trim();
    const response = await getOnItsOwnConnection(url);
    expect(response.status, response.text).toBe(200);
    expect(response.text).toContain("<regionName>eu-west-1</regionName>");
  });

  it("accepts a URL presigned with session credentials (the token is part of the signed query)", async () => {
    const { Credentials } = await server.sts().send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    const url = await presignedUrl(300, new Date(), session);
    expect(url).toContain("X-Amz-Security-Token=");
    expect((await fetch(url)).status).toBe(200);
  });

  it("rejects an expired URL with RequestExpired, exactly at X-Amz-Expires, and a tampered one with SignatureDoesNotMatch", async () => {
    const expired = await fetch(await presignedUrl(60, new Date(Date.now() - 2 * 60_000)));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("<Code>RequestExpired</Code>");
    expect((await fetch(await presignedUrl(600, new Date(Date.now() - 2 * 60_000)))).status).toBe(200);

    const tampered = (await presignedUrl(300)).replace("Action=DescribeRegions", "Action=DescribeAvailabilityZones");
    const response = await fetch(tampered);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});
