// DescribeInternetGateways' filter names, read from a gateway.
import type { FilterSpec } from "../filters.js";
import type { InternetGateway } from "../network.js";

export const internetGatewayFilters: FilterSpec<InternetGateway> = {
  fields: {
    // EC2 shows an internet gateway's attachment as "available" while it is attached.
    "attachment.state": (g) => (g.vpcId ? "available" : undefined),
    "attachment.vpc-id": (g) => g.vpcId,
    "internet-gateway-id": (g) => g.internetGatewayId,
    "owner-id": (g) => g.accountId,
  },
  tags: (g) => g.tags,
};
