// The signed-in user's keys and region, kept in sessionStorage only: they last as long as the tab and are never
// written anywhere else (not in localStorage, not in a cookie, not in the URL).
import type { Credentials } from "./api/sigv4.js";

export interface Session extends Credentials {
  region: string;
  /** The account the keys belong to, from STS GetCallerIdentity at sign-in. */
  accountId: string;
}

const key = "mini-ec2-console-session";

export function currentSession(): Session | undefined {
  const saved = sessionStorage.getItem(key);
  if (!saved) return undefined;
  try {
    return JSON.parse(saved) as Session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(key, JSON.stringify(session));
}

export function endSession(): void {
  sessionStorage.removeItem(key);
}
