// Calls mini-ec2's extension operations (Version=2026-11-22) with a SigV4-signed Query request.
import { rawRequest } from "./signed-request.js";

export async function extension(
  url: string,
  action: string,
  params: Record<string, string> = {},
  region = "us-east-1",
  credentials?: { accessKeyId: string; secretAccessKey: string },
) {
  const response = await rawRequest(url, { params: { Action: action, Version: "2026-11-22", ...params }, region, ...(credentials ? { credentials } : {}) });
  if (response.code) throw Object.assign(new Error(response.message), { name: response.code, status: response.status });
  return response.xml[`${action}Response`];
}

export async function advanceClock(url: string, seconds: number): Promise<void> {
  await extension(url, "AdvanceClock", { Seconds: String(seconds) });
}
