// Requests for services mini-ec2 does not emulate, which clients send to the same endpoint (an endpoint_url set for
// every service): each is told so in its own protocol's error format, so that its client prints the message.
// The service is known by the credential scope the client signed for, else by a Query request's Version.

/** Names people know services by, keyed by signing name; anything else is named by its signing name. */
const displayNames: Record<string, string> = {
  kms: "AWS KMS",
  iam: "IAM",
  elasticloadbalancing: "Elastic Load Balancing",
  autoscaling: "EC2 Auto Scaling",
  cloudformation: "CloudFormation",
  monitoring: "CloudWatch",
  logs: "CloudWatch Logs",
  sns: "SNS",
  sqs: "SQS",
  rds: "RDS",
  dynamodb: "DynamoDB",
  secretsmanager: "Secrets Manager",
  ecs: "ECS",
  ecr: "ECR",
  lambda: "Lambda",
};

/** Query API versions of other services, for a request without a readable credential scope (unsigned). */
const queryVersions: Record<string, string> = {
  "2010-05-08": "iam",
  "2012-06-01": "elasticloadbalancing",
  "2015-12-01": "elasticloadbalancing",
  "2011-01-01": "autoscaling",
  "2010-05-15": "cloudformation",
  "2010-08-01": "monitoring",
  "2010-03-31": "sns",
  "2012-11-05": "sqs",
  "2014-10-31": "rds",
};

export const displayNameOf = (signingName: string): string => displayNames[signingName] ?? `the service '${signingName}'`;

/**
 * The service a Query request with an unknown Version is for, when it is recognisably another service's:
 * undefined for what may be a mistyped EC2 Version, which keeps EC2's NoSuchVersion.
 */
export function otherQueryService(version: string, scopeService: string | undefined, ownSigningNames: ReadonlySet<string>): string | undefined {
  if (scopeService !== undefined && !ownSigningNames.has(scopeService)) return displayNameOf(scopeService);
  const byVersion = queryVersions[version];
  return byVersion === undefined ? undefined : displayNameOf(byVersion);
}

/** The service of the credential scope in an Authorization header or a presigned query, if there is one to read. */
export function scopeServiceOf(authorization: string | undefined, presignedCredential: string | undefined): string | undefined {
  const credential = presignedCredential ?? /Credential=([^,\s]+)/.exec(authorization ?? "")?.[1];
  const parts = credential?.split("/");
  return parts?.length === 5 ? parts[3] : undefined;
}
