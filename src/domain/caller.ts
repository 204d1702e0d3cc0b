// Who a request speaks for, once its signature is verified: the account and region every resource it touches
// belongs to.
export interface Caller {
  accountId: string;
  accessKeyId: string;
  region: string;
  /** Set when the caller signed with temporary credentials from GetSessionToken. */
  parentAccessKeyId?: string;
}

/** The account and region a resource belongs to: all that may narrow a query to one owner's rows. */
export interface Scope {
  accountId: string;
  region: string;
}

/** What a signature's credential scope claims, before anything is checked against the store. */
export interface SigningIdentity {
  accessKeyId: string;
  region: string;
  service: string;
  sessionToken?: string;
}

/** A long-term access key: SigV4 verification recomputes each signature with its secret. */
export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export interface AccountSummary {
  accountId: string;
  createdAt: Date;
  accessKeyIds: string[];
}
