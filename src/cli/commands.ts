// The command table, built from the service model as the AWS CLI builds its own: one command per operation
// (xform_name of its name), one flag per input member (xform_name of the member), plus the AWS CLI's
// customisations that users meet: pagination flags in place of NextToken/MaxResults, and run-instances --count.
import { type CliModel, type Operation, type Paginator, type Shape, scalarTypes, shapeOf, xformName } from "./model.js";

export type ArgumentKind = "member" | "count" | "starting-token" | "page-size" | "max-items";

export interface CliArgument {
  /** The flag without its dashes: `image-id`. */
  name: string;
  kind: ArgumentKind;
  /** The input member this flag fills (kind "member"). */
  member?: string;
  shape?: Shape;
  required: boolean;
  /** Accepted but left out of help, as the AWS CLI hides the members its pagination replaces. */
  hidden: boolean;
  /**
   * An EC2 structure whose only member is a boolean Value (AttributeBooleanValue): `--ena-support` alone means
   * {Value: true} and `--no-ena-support` {Value: false}, as awscli's toplevelbool.py allows; a value still works.
   */
  booleanValue?: boolean;
  documentation?: string;
}

export interface Command {
  name: string;
  operation: Operation;
  model: CliModel;
  inputShape?: Shape;
  arguments: Map<string, CliArgument>;
  paginator?: Paginator;
}

export function commandNames(model: CliModel): string[] {
  return Object.keys(model.operations).map(xformName).sort();
}

export function findCommand(model: CliModel, name: string): Command | undefined {
  const operation = Object.values(model.operations).find((candidate) => xformName(candidate.name) === name);
  return operation && buildCommand(model, operation);
}

export function buildCommand(model: CliModel, operation: Operation): Command {
  const inputShape = operation.input ? shapeOf(model, operation.input) : undefined;
  const paginator = model.paginators[operation.name];
  const args = new Map<string, CliArgument>();
  for (const [member, ref] of Object.entries(inputShape?.members ?? {})) {
    const hidden = paginator !== undefined && (member === paginator.input_token || member === paginator.limit_key);
    args.set(xformName(member), {
      name: xformName(member),
      kind: "member",
      member,
      shape: shapeOf(model, ref),
      required: inputShape?.required?.includes(member) ?? false,
      hidden,
      booleanValue: model.group === "ec2" && isBooleanValueStructure(model, shapeOf(model, ref)),
      documentation: ref.documentation,
    });
  }
  if (paginator) addPaginationArguments(args);
  if (model.group === "ec2" && operation.name === "RunInstances") replaceCountArguments(args);
  return { name: xformName(operation.name), operation, model, inputShape, arguments: args, paginator };
}

function addPaginationArguments(args: Map<string, CliArgument>): void {
  const add = (name: string, kind: ArgumentKind, type: Shape["type"], documentation: string) =>
    args.set(name, { name, kind, shape: { type }, required: false, hidden: false, documentation });
  add("starting-token", "starting-token", "string", "A token to specify where to start paginating: the NextToken from a previously truncated response.");
  add(
    "page-size",
    "page-size",
    "integer",
    "The size of each page to get in the AWS service call. This does not affect the number of items returned in the command's output.",
  );
  add(
    "max-items",
    "max-items",
    "integer",
    "The total number of items to return in the command's output. If more are available, a NextToken is provided to resume from.",
  );
}

// awscli/customizations/ec2/addcount.py: --count N or MIN:MAX stands for MinCount and MaxCount, default 1.
function replaceCountArguments(args: Map<string, CliArgument>): void {
  args.delete("min-count");
  args.delete("max-count");
  args.set("count", {
    name: "count",
    kind: "count",
    shape: { type: "string" },
    required: false,
    hidden: false,
    documentation:
      "Number of instances to launch. If a single number is provided, it is assumed to be the minimum to launch (defaults to 1). If a range is provided in the form min:max then the first number is interpreted as the minimum number of instances to launch and the second is interpreted as the maximum number of instances to launch.",
  });
}

/** Flags whose values are a list of words (`--instance-ids i-1 i-2`, `--filters A=b C=d`) rather than one value. */
export function takesManyValues(argument: CliArgument): boolean {
  return argument.shape?.type === "list";
}

/** A flag that stands alone, with a --no- form. */
export function isBoolean(argument: CliArgument): boolean {
  return argument.shape?.type === "boolean" || argument.booleanValue === true;
}

function isBooleanValueStructure(model: CliModel, shape: Shape): boolean {
  const members = Object.entries(shape.members ?? {});
  return shape.type === "structure" && members.length === 1 && members[0]![0] === "Value" && shapeOf(model, members[0]![1]).type === "boolean";
}

/** The type name the AWS CLI's help and errors show for a flag. */
export function typeLabel(model: CliModel, argument: CliArgument): string {
  const shape = argument.shape!;
  if (shape.type === "list") {
    const member = shapeOf(model, shape.member!);
    return scalarTypes.has(member.type) ? `list of ${member.type}` : `list of ${member.type}s`;
  }
  return shape.type;
}
