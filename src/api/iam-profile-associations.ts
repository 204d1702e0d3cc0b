// AssociateIamInstanceProfile, ReplaceIamInstanceProfileAssociation, DisassociateIamInstanceProfile,
// DescribeIamInstanceProfileAssociations.
import type {
  AssociateIamInstanceProfileRequest,
  AssociateIamInstanceProfileResult,
  DescribeIamInstanceProfileAssociationsRequest,
  DescribeIamInstanceProfileAssociationsResult,
  DisassociateIamInstanceProfileRequest,
  DisassociateIamInstanceProfileResult,
  IamInstanceProfileAssociation,
  ReplaceIamInstanceProfileAssociationRequest,
  ReplaceIamInstanceProfileAssociationResult,
} from "@aws-sdk/client-ec2";
import type { ProfileAssociation } from "../domain/iam-profile-associations.js";
import { paginate } from "../domain/pagination.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { IamProfileAssociationService } from "../services/iam-profile-associations.js";

const requested = (profile: { Arn?: string; Name?: string } | undefined) => ({
  ...(profile?.Arn !== undefined ? { arn: profile.Arn } : {}),
  ...(profile?.Name !== undefined ? { name: profile.Name } : {}),
});

export function iamProfileAssociationOperations(associations: IamProfileAssociationService): OperationTable {
  return {
    DescribeIamInstanceProfileAssociations: operation<DescribeIamInstanceProfileAssociationsRequest, DescribeIamInstanceProfileAssociationsResult>({
      async handle(input, caller) {
        const found = await associations.describe(caller, input.AssociationIds, input.Filters);
        const page = paginate(found, (association) => association.associationId, input, Number.MAX_SAFE_INTEGER);
        return { IamInstanceProfileAssociations: page.items.map(associationInfo), NextToken: page.nextToken };
      },
    }),
    AssociateIamInstanceProfile: operation<AssociateIamInstanceProfileRequest, AssociateIamInstanceProfileResult>({
      async handle(input, caller) {
        return { IamInstanceProfileAssociation: associationInfo(await associations.associate(caller, input.InstanceId!, requested(input.IamInstanceProfile))) };
      },
    }),
    ReplaceIamInstanceProfileAssociation: operation<ReplaceIamInstanceProfileAssociationRequest, ReplaceIamInstanceProfileAssociationResult>({
      async handle(input, caller) {
        return {
          IamInstanceProfileAssociation: associationInfo(await associations.replace(caller, input.AssociationId!, requested(input.IamInstanceProfile))),
        };
      },
    }),
    DisassociateIamInstanceProfile: operation<DisassociateIamInstanceProfileRequest, DisassociateIamInstanceProfileResult>({
      async handle(input, caller) {
        return { IamInstanceProfileAssociation: associationInfo(await associations.disassociate(caller, input.AssociationId!)) };
      },
    }),
  };
}

function associationInfo(association: ProfileAssociation): IamInstanceProfileAssociation {
  return {
    AssociationId: association.associationId,
    InstanceId: association.instanceId,
    IamInstanceProfile: { Arn: association.profile.arn, Id: association.profile.id },
    State: association.state,
    Timestamp: association.timestamp,
  };
}
