// mini-ec2's SigV4 arithmetic against the worked example of AWS's documentation (IAM ListUsers, 2015-08-30): the
// canonical request's hash and the signature must come out exactly as published. The end-to-end tests
// (test/auth) check it against the SDK's, botocore's and the AWS CLI's own signatures.
import { describe, expect, it } from "vitest";
import { canonicalRequest, sha256Hex, signatureOf } from "../../src/protocol/sigv4-signature.js";

const example = {
  method: "GET",
  path: "/",
  query: { Action: "ListUsers", Version: "2010-05-08" },
  headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", host: "iam.amazonaws.com", "x-amz-date": "20150830T123600Z" },
  payloadHash: sha256Hex(""),
};

describe("SigV4 signature", () => {
  it("builds AWS's canonical request and signs it with AWS's published result", () => {
    expect(canonicalRequest(example)).toBe(
      "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(sha256Hex(canonicalRequest(example))).toBe("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    const scope = { date: "20150830", region: "us-east-1", service: "iam" };
    expect(signatureOf(example, "20150830T123600Z", scope, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")).toBe(
      "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
    );
  });

  it("normalises the path and encodes it again (as sent, it is already encoded), sorts and encodes the query, and collapses spaces in header values", () => {
    const request = {
      ...example,
      path: "/a/./b/../c%20d/",
      query: { b: ["2", "1"], "a key": "x*y", "X-Amz-Signature": "left out" },
      headers: { host: "h", "x-amz-meta": "  two   spaces " },
    };
    expect(canonicalRequest(request).split("\n").slice(0, 5)).toEqual(["GET", "/a/c%2520d/", "a%20key=x%2Ay&b=1&b=2", "host:h", "x-amz-meta:two spaces"]);
  });
});
