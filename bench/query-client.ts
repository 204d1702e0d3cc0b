// The bench's lean client: a signed EC2 Query POST over a keep-alive connection, and the response body as text.
// The SDK spends more CPU on a RunInstances call (middleware, a 1.8 KB XML parse) than mini-ec2 does serving it,
// and on a two-core machine client and server share the cores; this client costs a small fraction of that, so
// what it measures is the server. It does the same for moto. Each call is signed anew (with mini-ec2's own SigV4
// arithmetic, which the SDK's signatures are checked against in every test) and carries its own parameters.
import { Agent, request } from "node:http";
import { algorithm, scopeString, sha256Hex, signatureOf } from "../src/protocol/sigv4-signature.js";

export interface QueryClient {
  /** Calls one EC2 action; rejects unless the server answers 200 and the body contains `expect`. */
  call(action: string, params: Record<string, string>, expect: string): Promise<string>;
  close(): void;
}

export function queryClient(endpoint: string, credentials = { accessKeyId: "test", secretAccessKey: "test" }): QueryClient {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  return {
    async call(action, params, expect) {
      const body = new URLSearchParams({ Action: action, Version: "2016-11-15", ...params }).toString();
      const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
      const scope = { date: amzDate.slice(0, 8), region: "us-east-1", service: "ec2" };
      const headers = { "content-type": "application/x-www-form-urlencoded; charset=utf-8", host: url.host, "x-amz-date": amzDate };
      const signature = signatureOf(
        { method: "POST", path: "/", query: {}, headers, payloadHash: sha256Hex(body) },
        amzDate,
        scope,
        credentials.secretAccessKey,
      );
      const authorization = `${algorithm} Credential=${credentials.accessKeyId}/${scopeString(scope)}, SignedHeaders=${Object.keys(headers).sort().join(";")}, Signature=${signature}`;
      const { status, text } = await post(url, agent, { ...headers, authorization }, body);
      if (status !== 200 || !text.includes(expect)) throw new Error(`${action} answered ${status}: ${text.slice(0, 300)}`);
      return text;
    },
    close: () => agent.destroy(),
  };
}

function post(url: URL, agent: Agent, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, method: "POST", path: "/", headers: { ...headers, "content-length": Buffer.byteLength(body) }, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
