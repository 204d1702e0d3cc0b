// mini-ec2's own operations (models/mini-ec2-2026-11-22.json) through the same SDK machinery as EC2's: an
// EC2Client whose Query protocol says Version=2026-11-22, and for each operation a Command built the way the SDK
// builds its own (Command.classBuilder with the endpoint plugin), whose schema is translated from the botocore
// model. So the SDK's own serializer writes the Query body, its middleware resolves the endpoint, signs with
// SigV4 (service ec2) and retries, and its XML parser reads the answer and EC2's error envelope.
import { createRequire } from "node:module";
import type * as Ec2Sdk from "@aws-sdk/client-ec2";
import type { CliModel, MemberRef } from "./model.js";

const require = createRequire(import.meta.url);
const namespace = "com.amazonaws.ec2";

// The schema codes of @smithy/core/schema for simple types.
const simpleCodes: Record<string, number> = { string: 0, integer: 1, long: 1, float: 1, double: 1, boolean: 2, timestamp: 4, blob: 21 };

/** A client for the extension service: the EC2 client's configuration with the extension's API version. */
export function extensionClient(model: CliModel, config: Ec2Sdk.EC2ClientConfig): Ec2Sdk.EC2Client {
  const { EC2Client } = require("@aws-sdk/client-ec2") as typeof Ec2Sdk;
  return new EC2Client({
    ...config,
    protocolSettings: { defaultNamespace: namespace, xmlNamespace: model.xmlNamespace, version: model.apiVersion, serviceTarget: "AmazonEC2" },
  } as Ec2Sdk.EC2ClientConfig);
}

/** The SDK Command class for one operation of the model; `new (commandFor(...))(input)` is sent like any other. */
export function commandFor(model: CliModel, operation: string): new (input: unknown) => any {
  const { Command } = require("@smithy/core/client");
  const { getEndpointPlugin } = require("@smithy/core/endpoints");
  const schema = new SchemaTranslator(model);
  const op = model.operations[operation]!;
  const operationSchema = [9, namespace, operation, 0, () => schema.shape(op.input?.shape), () => schema.shape(op.output?.shape)];
  return Command.classBuilder()
    .ep({ UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" }, Endpoint: { type: "builtInParams", name: "endpoint" }, Region: { type: "builtInParams", name: "region" }, UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" } })
    .m(function (this: unknown, CommandClass: any, _stack: unknown, config: unknown) {
      return [getEndpointPlugin(config, CommandClass.getEndpointParameterInstructions())];
    })
    .s("AmazonEC2", operation, {})
    .n("EC2Client", `${operation}Command`)
    .sc(operationSchema)
    .build();
}

// botocore shapes -> Smithy schema tuples: [3, ns, name, traits, memberNames, memberSchemas] for a structure,
// [1, ns, name, traits, member] for a list, [2, ns, name, traits, key, value] for a map.
class SchemaTranslator {
  private readonly built = new Map<string, unknown[]>();

  constructor(private readonly model: CliModel) {}

  shape(name: string | undefined): unknown {
    if (name === undefined) return [3, namespace, "Unit", 0, [], []];
    const shape = this.model.shapes[name]!;
    if (shape.type in simpleCodes) return simpleCodes[shape.type];
    const existing = this.built.get(name);
    if (existing) return existing;
    const tuple: unknown[] = [];
    this.built.set(name, tuple); // before the members, so a shape that contains itself refers back to this tuple
    if (shape.type === "structure") {
      const members = Object.entries(shape.members ?? {});
      tuple.push(3, namespace, name, 0, members.map(([member]) => member), members.map(([, ref]) => this.member(ref, true)));
    } else if (shape.type === "list") {
      tuple.push(1, namespace, name, 0, this.member(shape.member!, false));
    } else {
      tuple.push(2, namespace, name, 0, this.member(shape.key!, false), this.member(shape.value!, false));
    }
    return tuple;
  }

  // A member: its target (lazily, for compound shapes) with EC2's wire names as traits, as botocore's EC2
  // serializer names them: queryName, else locationName capitalised, else the member name.
  private member(ref: MemberRef, structureMember: boolean): unknown {
    const target = this.model.shapes[ref.shape]!;
    const schema = target.type in simpleCodes ? simpleCodes[target.type] : () => this.shape(ref.shape);
    const traits: Record<string, string> = {};
    if (ref.locationName) traits.xmlName = ref.locationName;
    if (structureMember && (ref.queryName || ref.locationName)) traits.ec2QueryName = ref.queryName ?? capitalize(ref.locationName!);
    return Object.keys(traits).length ? [schema, traits] : schema;
  }
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
