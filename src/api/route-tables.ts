// CreateRouteTable, DescribeRouteTables, DeleteRouteTable, CreateRoute, ReplaceRoute, DeleteRoute,
// AssociateRouteTable, DisassociateRouteTable, ReplaceRouteTableAssociation.
import type {
  AssociateRouteTableRequest,
  AssociateRouteTableResult,
  CreateRouteRequest,
  CreateRouteResult,
  CreateRouteTableRequest,
  CreateRouteTableResult,
  DeleteRouteRequest,
  DeleteRouteTableRequest,
  DescribeRouteTablesRequest,
  DescribeRouteTablesResult,
  DisassociateRouteTableRequest,
  ReplaceRouteRequest,
  ReplaceRouteTableAssociationRequest,
  ReplaceRouteTableAssociationResult,
  RouteTable as RouteTableShape,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { RouteTableView } from "../domain/filters/route-tables.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { RouteTarget, RouteTableService } from "../services/route-tables.js";

/** Route targets and destinations mini-ec2 does not model (no NAT, peering, transit or IPv6): refused by name. */
const unmodelledRouteMembers = [
  "DestinationIpv6CidrBlock",
  "DestinationPrefixListId",
  "VpcEndpointId",
  "TransitGatewayId",
  "LocalGatewayId",
  "CarrierGatewayId",
  "CoreNetworkArn",
  "OdbNetworkArn",
  "EgressOnlyInternetGatewayId",
  "VpcPeeringConnectionId",
  "NatGatewayId",
  "LocalTarget",
] as const;

function routeTargetOf(operationName: string, input: CreateRouteRequest | ReplaceRouteRequest): RouteTarget {
  for (const member of unmodelledRouteMembers) {
    if ((input as unknown as Record<string, unknown>)[member] !== undefined) {
      throw Errors.unsupportedParameter(operationName, member, "routes here target an internet gateway, a network interface or an instance, for IPv4 blocks");
    }
  }
  if (!input.DestinationCidrBlock) throw Errors.missingParameter("DestinationCidrBlock");
  return {
    ...(input.GatewayId !== undefined ? { gatewayId: input.GatewayId } : {}),
    ...(input.NetworkInterfaceId !== undefined ? { networkInterfaceId: input.NetworkInterfaceId } : {}),
    ...(input.InstanceId !== undefined ? { instanceId: input.InstanceId } : {}),
  };
}

export function routeTableOperations(tables: RouteTableService): OperationTable {
  return {
    CreateRouteTable: operation<CreateRouteTableRequest, CreateRouteTableResult>({
      validate: (input) => void tagsFromSpecifications(input.TagSpecifications, "route-table"),
      async handle(input, caller) {
        const view = await tables.create(caller, input.VpcId!, tagsFromSpecifications(input.TagSpecifications, "route-table"));
        return { RouteTable: routeTableShape(view), ClientToken: input.ClientToken };
      },
    }),

    DescribeRouteTables: operation<DescribeRouteTablesRequest, DescribeRouteTablesResult>({
      async handle(input, caller) {
        const page = await tables.describe(caller, {
          ids: input.RouteTableIds,
          filters: input.Filters,
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return { RouteTables: page.items.map(routeTableShape), NextToken: page.nextToken };
      },
    }),

    DeleteRouteTable: operation<DeleteRouteTableRequest, object>({
      async handle(input, caller) {
        await tables.delete(caller, input.RouteTableId!);
        return {};
      },
    }),

    CreateRoute: operation<CreateRouteRequest, CreateRouteResult>({
      validate: (input) => void routeTargetOf("CreateRoute", input),
      async handle(input, caller) {
        await tables.createRoute(caller, input.RouteTableId!, input.DestinationCidrBlock!, routeTargetOf("CreateRoute", input));
        return { Return: true };
      },
    }),

    ReplaceRoute: operation<ReplaceRouteRequest, object>({
      validate: (input) => void routeTargetOf("ReplaceRoute", input),
      async handle(input, caller) {
        await tables.replaceRoute(caller, input.RouteTableId!, input.DestinationCidrBlock!, routeTargetOf("ReplaceRoute", input));
        return {};
      },
    }),

    DeleteRoute: operation<DeleteRouteRequest, object>({
      validate(input) {
        if (input.DestinationIpv6CidrBlock !== undefined || input.DestinationPrefixListId !== undefined) {
          throw Errors.unsupportedParameter(
            "DeleteRoute",
            input.DestinationIpv6CidrBlock !== undefined ? "DestinationIpv6CidrBlock" : "DestinationPrefixListId",
            "routes here are for IPv4 blocks",
          );
        }
        if (!input.DestinationCidrBlock) throw Errors.missingParameter("DestinationCidrBlock");
      },
      async handle(input, caller) {
        await tables.deleteRoute(caller, input.RouteTableId!, input.DestinationCidrBlock!);
        return {};
      },
    }),

    AssociateRouteTable: operation<AssociateRouteTableRequest, AssociateRouteTableResult>({
      validate(input) {
        if (input.GatewayId !== undefined) throw Errors.unsupportedParameter("AssociateRouteTable", "GatewayId", "gateway route tables are not modelled");
        if (input.PublicIpv4Pool !== undefined)
          throw Errors.unsupportedParameter("AssociateRouteTable", "PublicIpv4Pool", "public IPv4 pools are not modelled");
        if (!input.SubnetId) throw Errors.missingParameter("SubnetId");
      },
      async handle(input, caller) {
        const associationId = await tables.associate(caller, input.RouteTableId!, input.SubnetId!);
        return { AssociationId: associationId, AssociationState: { State: "associated" } };
      },
    }),

    DisassociateRouteTable: operation<DisassociateRouteTableRequest, object>({
      async handle(input, caller) {
        await tables.disassociate(caller, input.AssociationId!);
        return {};
      },
    }),

    ReplaceRouteTableAssociation: operation<ReplaceRouteTableAssociationRequest, ReplaceRouteTableAssociationResult>({
      async handle(input, caller) {
        const newAssociationId = await tables.replaceAssociation(caller, input.AssociationId!, input.RouteTableId!);
        return { NewAssociationId: newAssociationId, AssociationState: { State: "associated" } };
      },
    }),
  };
}

function routeTableShape({ table, routes }: RouteTableView): RouteTableShape {
  return {
    RouteTableId: table.routeTableId,
    VpcId: table.vpcId,
    OwnerId: table.accountId,
    Routes: routes.map((route) => ({
      DestinationCidrBlock: route.destinationCidrBlock,
      GatewayId: route.gatewayId,
      NetworkInterfaceId: route.networkInterfaceId,
      InstanceId: route.instanceId,
      InstanceOwnerId: route.instanceId ? table.accountId : undefined,
      Origin: route.origin,
      State: route.state,
    })),
    Associations: table.associations.map((association) => ({
      Main: association.main,
      RouteTableAssociationId: association.associationId,
      RouteTableId: table.routeTableId,
      SubnetId: association.subnetId,
      AssociationState: { State: "associated" },
    })),
    PropagatingVgws: [],
    Tags: table.tags.length > 0 ? table.tags : undefined,
  };
}
