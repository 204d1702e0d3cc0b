// The error bodies and HTTP statuses AWS sends. EC2: <Response><Errors><Error>…</Error></Errors><RequestID/>
// (RequestID, not requestId: botocore reads exactly this). awsQuery (STS): <ErrorResponse><Error><Type/>….
import type { Ec2Error } from "../domain/errors.js";
import type { Protocol } from "./service-model.js";
import { xmlEscaped } from "./xml-serializer.js";

/** Codes whose status is not the 400 of an ordinary client error. */
const statusByCode: Record<string, number> = {
  AuthFailure: 401,
  MissingAuthenticationToken: 403,
  SignatureDoesNotMatch: 403,
  IncompleteSignature: 403,
  ExpiredToken: 403,
  AccessDenied: 403,
  InvalidClientTokenId: 403,
  UnauthorizedOperation: 403,
  DryRunOperation: 412,
  RequestEntityTooLarge: 413,
  InsufficientInstanceCapacity: 500,
  InsufficientHostCapacity: 500,
  InsufficientCapacity: 500,
  InternalError: 500,
  ServiceUnavailable: 503,
};

export function httpStatusOf(error: Ec2Error): number {
  return error.httpStatus ?? statusByCode[error.code] ?? 400;
}

export function serializeError(protocol: Protocol, error: Ec2Error, requestId: string): string {
  const code = xmlEscaped(error.code);
  const message = xmlEscaped(error.message);
  const id = xmlEscaped(requestId);
  const body =
    protocol === "ec2"
      ? `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`
      : `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${httpStatusOf(error) >= 500 ? "Receiver" : "Sender"}</Type>` +
        `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

/** The JSON protocol's error body (awsJson1_1), which botocore and the SDKs read by `__type`. */
export function serializeJsonError(error: Ec2Error): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
