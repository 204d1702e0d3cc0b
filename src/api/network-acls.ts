// DescribeNetworkAcls: each VPC's default ACL (mini-ec2 creates no other).
import type { DescribeNetworkAclsRequest, DescribeNetworkAclsResult, NetworkAcl as NetworkAclShape } from "@aws-sdk/client-ec2";
import type { NetworkAclView } from "../domain/filters/network-acls.js";
import { aclAssociationId } from "../domain/vpc-rules.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { NetworkAclService } from "../services/network-acls.js";

export function networkAclOperations(acls: NetworkAclService): OperationTable {
  return {
    DescribeNetworkAcls: operation<DescribeNetworkAclsRequest, DescribeNetworkAclsResult>({
      async handle(input, caller) {
        const page = await acls.describe(caller, {
          ids: input.NetworkAclIds,
          filters: input.Filters,
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return { NetworkAcls: page.items.map(aclShape), NextToken: page.nextToken };
      },
    }),
  };
}

function aclShape({ acl, subnetIds }: NetworkAclView): NetworkAclShape {
  return {
    NetworkAclId: acl.networkAclId,
    VpcId: acl.vpcId,
    OwnerId: acl.accountId,
    IsDefault: acl.isDefault,
    Entries: acl.entries.map((entry) => ({
      RuleNumber: entry.ruleNumber,
      Egress: entry.egress,
      Protocol: entry.protocol,
      RuleAction: entry.ruleAction,
      CidrBlock: entry.cidrBlock,
    })),
    Associations: subnetIds.map((subnetId) => ({ NetworkAclAssociationId: aclAssociationId(subnetId), NetworkAclId: acl.networkAclId, SubnetId: subnetId })),
    Tags: acl.tags.length > 0 ? acl.tags : undefined,
  };
}
