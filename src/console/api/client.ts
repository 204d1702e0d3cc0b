// The console's only way to the server: EC2 Query requests (form-encoded POST to "/", XML answers), signed with
// SigV4 with the signed-in user's keys. Whatever a page shows, that user could have asked the API for.
import type { Session } from "../session.js";
import { signedHeaders } from "./sigv4.js";
import { child, parseXml, text, type XmlObject, type XmlValue } from "./xml.js";

/** The API versions the console speaks: EC2's, mini-ec2's extensions' and STS's (signed as service sts). */
export const versions = { ec2: "2016-11-15", extensions: "2026-11-22", sts: "2011-06-15" } as const;
export type Api = keyof typeof versions;

/** A request parameter: a list is sent as Name.1, Name.2, …; an object as Name.Member (EC2's Query flattening). */
export type Param = string | number | boolean | undefined | Param[] | { [member: string]: Param };

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = code;
  }
}

export function formBody(action: string, version: string, params: Record<string, Param>): string {
  const form = new URLSearchParams({ Action: action, Version: version });
  const add = (name: string, value: Param) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((item, index) => add(`${name}.${index + 1}`, item));
    else if (typeof value === "object") for (const [member, inner] of Object.entries(value)) add(`${name}.${member}`, inner);
    else form.append(name, String(value));
  };
  for (const [name, value] of Object.entries(params)) add(name, value);
  return form.toString();
}

export class Client {
  constructor(readonly session: Session) {}

  /** Calls an operation and answers its result element (EC2: <XResponse>; STS: <XResponse><XResult>). */
  async call(api: Api, action: string, params: Record<string, Param> = {}): Promise<XmlObject> {
    const body = formBody(action, versions[api], params);
    const contentType = "application/x-www-form-urlencoded; charset=utf-8";
    const headers = await signedHeaders({
      method: "POST",
      host: location.host,
      path: "/",
      body,
      contentType,
      region: this.session.region,
      service: api === "sts" ? "sts" : "ec2",
      credentials: this.session,
    });
    const response = await fetch("/", { method: "POST", headers, body });
    const answer = parseXml(await response.text());
    if (!response.ok) throw errorOf(answer, response.status);
    const result = answer[`${action}Response`] as XmlValue;
    return ((api === "sts" ? child(result, `${action}Result`) : result) ?? {}) as XmlObject;
  }

  /** Every page of a paginated operation, its list member's items concatenated. */
  async all(api: Api, action: string, listName: string, params: Record<string, Param> = {}): Promise<XmlObject[]> {
    const found: XmlObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(api, action, { ...params, ...(token ? { NextToken: token } : {}) });
      const list = page[listName];
      if (Array.isArray(list)) found.push(...(list as XmlObject[]));
      token = text(page.nextToken) || undefined;
    } while (token);
    return found;
  }
}

function errorOf(answer: XmlObject, status: number): ApiError {
  // EC2: <Response><Errors><Error>; STS: <ErrorResponse><Error>.
  const envelope = answer.Response ?? answer.ErrorResponse;
  const errors = child(envelope, "Errors");
  const error = Array.isArray(errors) ? undefined : (child(errors, "Error") ?? child(envelope, "Error"));
  return new ApiError(text(child(error, "Code")) || `HTTP ${status}`, text(child(error, "Message")) || "The server refused the request.", status);
}
