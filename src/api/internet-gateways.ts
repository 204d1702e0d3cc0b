// CreateInternetGateway, DescribeInternetGateways, DeleteInternetGateway, AttachInternetGateway,
// DetachInternetGateway.
import type {
  AttachInternetGatewayRequest,
  AttachmentStatus,
  CreateInternetGatewayRequest,
  CreateInternetGatewayResult,
  DeleteInternetGatewayRequest,
  DescribeInternetGatewaysRequest,
  DescribeInternetGatewaysResult,
  DetachInternetGatewayRequest,
  InternetGateway as InternetGatewayShape,
} from "@aws-sdk/client-ec2";
import type { InternetGateway } from "../domain/network.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InternetGatewayService } from "../services/internet-gateways.js";

export function internetGatewayOperations(gateways: InternetGatewayService): OperationTable {
  return {
    CreateInternetGateway: operation<CreateInternetGatewayRequest, CreateInternetGatewayResult>({
      validate: (input) => void tagsFromSpecifications(input.TagSpecifications, "internet-gateway"),
      async handle(input, caller) {
        const gateway = await gateways.create(caller, tagsFromSpecifications(input.TagSpecifications, "internet-gateway"));
        return { InternetGateway: gatewayShape(gateway) };
      },
    }),

    DescribeInternetGateways: operation<DescribeInternetGatewaysRequest, DescribeInternetGatewaysResult>({
      async handle(input, caller) {
        const page = await gateways.describe(caller, {
          ids: input.InternetGatewayIds,
          filters: input.Filters,
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return { InternetGateways: page.items.map(gatewayShape), NextToken: page.nextToken };
      },
    }),

    DeleteInternetGateway: operation<DeleteInternetGatewayRequest, object>({
      async handle(input, caller) {
        await gateways.delete(caller, input.InternetGatewayId!);
        return {};
      },
    }),

    AttachInternetGateway: operation<AttachInternetGatewayRequest, object>({
      async handle(input, caller) {
        await gateways.attach(caller, input.InternetGatewayId!, input.VpcId!);
        return {};
      },
    }),

    DetachInternetGateway: operation<DetachInternetGatewayRequest, object>({
      async handle(input, caller) {
        await gateways.detach(caller, input.InternetGatewayId!, input.VpcId!);
        return {};
      },
    }),
  };
}

function gatewayShape(gateway: InternetGateway): InternetGatewayShape {
  return {
    InternetGatewayId: gateway.internetGatewayId,
    OwnerId: gateway.accountId,
    // EC2 names an internet gateway's live attachment "available", a value outside the model's AttachmentStatus.
    Attachments: gateway.vpcId ? [{ VpcId: gateway.vpcId, State: "available" as AttachmentStatus }] : [],
    Tags: gateway.tags.length > 0 ? gateway.tags : undefined,
  };
}
