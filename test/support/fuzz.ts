// Seeded requests over every operation of the service models (EC2's, STS's and mini-ec2's extensions): a
// plausible input built from the model, then mutated by the classes of issue 12 (empty, huge, negative, wrong enum,
// sparse and huge list indexes, long strings, control characters, many ids, wildcard-heavy filters). Used by
// test/protocol/fuzz.test.ts and by `npm run bench -- fuzz`.
import {
  ec2ServiceModel,
  extensionServiceModel,
  type MemberRef,
  type ServiceModel,
  type Shape,
  shapeOf,
  stsServiceModel,
} from "../../src/protocol/service-model.js";
import { rawRequest, type RawResponse } from "./signed-request.js";

export interface FuzzRequest {
  operation: string;
  /** The signing name of the operation's service: ec2 or sts. */
  service: string;
  params: Record<string, string>;
  mutations: string[];
}

export interface FuzzOperation {
  model: ServiceModel;
  name: string;
}

/** The seed the suite uses, unless FUZZ_SEED says otherwise. */
export const defaultFuzzSeed = 20261129;

/** EC2's own 5xx answers: capacity it does not have is no server fault. */
export const ec2ServerSideCodes = new Set(["InsufficientInstanceCapacity", "InsufficientHostCapacity", "InsufficientCapacity"]);

export function fuzzOperations(): FuzzOperation[] {
  return [ec2ServiceModel(), stsServiceModel(), extensionServiceModel()].flatMap((model) => Object.keys(model.operations).map((name) => ({ model, name })));
}

/** mulberry32: a small PRNG whose output stays in 32 bits, so every pick is spread over the list. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Prefixes of EC2 ids, by the member name that carries them. */
const idPrefixes: Array<[RegExp, string]> = [
  [/kernel|ramdisk/i, "aki"],
  [/image|ami/i, "ami"],
  [/instance(id|s)?$/i, "i"],
  [/volume/i, "vol"],
  [/snapshot/i, "snap"],
  [/host/i, "h"],
  [/group/i, "pg"],
  [/keypair/i, "key"],
  [/conversion|task/i, "import-ami"],
];

const plainStrings = [
  "",
  "self",
  "amazon",
  "all",
  "us-east-1",
  "us-east-1a",
  "m5.large",
  "t2.micro",
  "c5.large",
  "/dev/xvda",
  "/dev/sda1",
  "fuzz",
  "on",
  "off",
  "true",
  "default",
  "host",
  "x86_64",
  "hvm",
  "paravirtual",
];
const filterNames = [
  "name",
  "tag:Name",
  "tag-key",
  "tag-value",
  "instance-type",
  "state",
  "instance-state-name",
  "description",
  "owner-id",
  "image-id",
  "region-name",
  "zone-name",
  "key-name",
  "status",
  "volume-type",
  "nope",
];

export class FuzzGenerator {
  private readonly random: () => number;

  constructor(
    seed: number,
    /** Real values the server knows (catalog images, zones), so that valid calls get past the first check. */
    private readonly known: Record<string, readonly string[]> = {},
  ) {
    this.random = seededRandom(seed);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  request(operation: FuzzOperation): FuzzRequest {
    const { model, name } = operation;
    const params: Array<[string, string]> = [];
    const inputShape = model.operations[name]!.input?.shape;
    if (inputShape) this.structure(model, shapeOf(model, { shape: inputShape }), "", params, 0);
    const mutations: string[] = [];
    for (let n = Math.floor(this.random() * 3); n > 0; n--) mutations.push(this.mutate(model, inputShape, params));
    const record: Record<string, string> = { Action: name, Version: model.apiVersion };
    for (const [key, value] of params) record[key] = value;
    return { operation: name, service: model.signingName, params: record, mutations };
  }

  private structure(model: ServiceModel, shape: Shape, prefix: string, out: Array<[string, string]>, depth: number): void {
    const required = new Set(shape.required ?? []);
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      if (member === "DryRun" ? !this.chance(0.1) : !required.has(member) && !this.chance(depth === 0 ? 0.35 : 0.25)) continue;
      this.member(model, ref, member, `${prefix}${wireName(model, member, ref)}`, out, depth);
    }
  }

  private member(model: ServiceModel, ref: MemberRef, member: string, key: string, out: Array<[string, string]>, depth: number): void {
    const shape = shapeOf(model, ref);
    if (shape.type === "structure") {
      if (depth < 3) this.structure(model, shape, `${key}.`, out, depth + 1);
      return;
    }
    if (shape.type === "list") {
      if (depth >= 3) return;
      const itemRef = shape.member!;
      const base = model.protocol === "query" && !shape.flattened ? `${key}.${itemRef.locationName ?? "member"}` : key;
      const count = 1 + Math.floor(this.random() * 2);
      for (let i = 1; i <= count; i++) this.member(model, itemRef, member, `${base}.${i}`, out, depth + 1);
      return;
    }
    if (shape.type === "map") return;
    out.push([key, this.scalar(shape, member)]);
  }

  private scalar(shape: Shape, member: string): string {
    switch (shape.type) {
      case "integer":
      case "long": {
        const min = shape.min ?? 1;
        const max = shape.max ?? Math.max(min, 100);
        return String(min + Math.floor(this.random() * (Math.min(max, min + 1000) - min + 1)));
      }
      case "double":
      case "float":
        return String(Math.round(this.random() * 1000) / 10);
      case "boolean":
        return this.chance(0.5) ? "true" : "false";
      case "timestamp":
        return new Date(Date.UTC(2026, 0, 1 + Math.floor(this.random() * 365))).toISOString();
      case "blob":
        return Buffer.from("fuzz").toString("base64");
      default:
        if (shape.enum) return this.pick(shape.enum);
        return this.stringFor(member);
    }
  }

  private stringFor(member: string): string {
    const known = this.known[member] ?? this.known[member.replace(/s$/, "")];
    if (known?.length && this.chance(0.7)) return this.pick(known);
    const prefix = idPrefixes.find(([pattern]) => pattern.test(member) && /id|ids$/i.test(member))?.[1];
    if (prefix) return this.id(prefix);
    if (/name/i.test(member)) return `fuzz-${Math.floor(this.random() * 1e6)}`;
    return this.pick(plainStrings);
  }

  private id(prefix: string): string {
    return `${prefix}-${Math.floor(this.random() * 2 ** 32)
      .toString(16)
      .padStart(17, "0")}`;
  }

  /** Changes `params` in place by one mutation class; answers its name. */
  private mutate(model: ServiceModel, inputShape: string | undefined, params: Array<[string, string]>): string {
    const anyParam = () => (params.length ? this.pick(params) : undefined);
    const kind = this.pick([
      "empty",
      "huge",
      "negative",
      "wrong-enum",
      "sparse-index",
      "huge-index",
      "long-string",
      "control-char",
      "many-ids",
      "wildcard-filter",
      "unknown-parameter",
    ] as const);
    switch (kind) {
      case "empty": {
        const param = anyParam();
        if (param) param[1] = "";
        break;
      }
      case "huge": {
        const param = anyParam();
        if (param) param[1] = this.pick(["99999999999999999999", "9007199254740993", "2147483648", "1e308", "Infinity", "NaN"]);
        break;
      }
      case "negative": {
        const param = anyParam();
        if (param) param[1] = this.pick(["-1", "0", "-2147483649", "-0", "-1.5"]);
        break;
      }
      case "wrong-enum": {
        const param = anyParam();
        if (param) param[1] = this.pick([param[1].toUpperCase(), "constructor", "__proto__", "not-a-value", ` ${param[1]}`]);
        break;
      }
      case "sparse-index":
      case "huge-index": {
        const listed = params.filter(([key]) => /\.\d+(\.|$)/.test(key));
        const param = listed.length ? this.pick(listed) : undefined;
        const index = kind === "sparse-index" ? this.pick(["999999", "65536", "2"]) : this.pick(["1000000", "99999999999", "0", "01", "-1"]);
        if (param) param[0] = param[0].replace(/\.\d+(?=\.|$)/, `.${index}`);
        else params.push([`Filter.${index}.Name`, "name"]);
        break;
      }
      case "long-string": {
        const param = anyParam();
        const text = this.pick(["A", "é", "💥", "*", "%"]).repeat(this.pick([256, 4096, 40_000]));
        if (param) param[1] = text;
        else params.push(["Name", text]);
        break;
      }
      case "control-char": {
        const param = anyParam();
        if (param) param[1] = `${param[1]}${this.pick(["\u0000", "\u0007", "\u001b[31m", "\r\n", "\uFFFF", "\uD800"])}`;
        break;
      }
      case "many-ids": {
        const list = inputShape ? this.topLevelList(model, inputShape) : undefined;
        const count = this.pick([101, 999, 1000, 1001, 2000]);
        if (list) {
          for (let i = 1; i <= count; i++) params.push([`${list.key}.${i}`, this.stringFor(list.member)]);
        }
        break;
      }
      case "wildcard-filter": {
        const stars = this.pick(["*", "?", "*?"]).repeat(this.pick([8, 30, 120]));
        const n = 1 + Math.floor(this.random() * 3);
        const values = this.chance(0.2) ? 201 : n;
        const index = 1 + Math.floor(this.random() * 3);
        params.push([`Filter.${index}.Name`, this.pick(filterNames)]);
        for (let v = 1; v <= values; v++) params.push([`Filter.${index}.Value.${v}`, `${stars}${this.pick(["#", "a", "\\*", "\\", ""])}`]);
        break;
      }
      case "unknown-parameter":
        params.push([this.pick(["__proto__", "constructor", "Bogus", "Filter.x", "..", "toString.1"]), "1"]);
        break;
    }
    return kind;
  }

  /** A list member of the input whose items are strings (ids, names), by wire name. */
  private topLevelList(model: ServiceModel, inputShape: string): { key: string; member: string } | undefined {
    const lists = Object.entries(shapeOf(model, { shape: inputShape }).members ?? {}).filter(([, ref]) => {
      const shape = shapeOf(model, ref);
      return shape.type === "list" && shapeOf(model, shape.member!).type === "string";
    });
    if (!lists.length) return undefined;
    const [member, ref] = this.pick(lists);
    const shape = shapeOf(model, ref);
    const key = wireName(model, member, ref);
    return { key: model.protocol === "query" && !shape.flattened ? `${key}.member` : key, member };
  }
}

/** botocore's serializers: EC2 uses queryName, else the capitalised locationName; awsQuery the locationName. */
function wireName(model: ServiceModel, member: string, ref: MemberRef): string {
  if (model.protocol === "ec2") return ref.queryName ?? (ref.locationName ? ref.locationName[0]!.toUpperCase() + ref.locationName.slice(1) : member);
  return ref.locationName ?? member;
}

export interface FuzzOutcome {
  request: FuzzRequest;
  response: RawResponse;
  ms: number;
}

/** Sends one fuzz request, signed for its service, and times it. */
export async function sendFuzz(endpoint: string, request: FuzzRequest): Promise<FuzzOutcome> {
  const started = performance.now();
  const response = await rawRequest(endpoint, { params: request.params, service: request.service });
  return { request, response, ms: performance.now() - started };
}

/** What is wrong with an answer: a 5xx that is not one of EC2's own. */
export function serverFault(outcome: FuzzOutcome): string | undefined {
  const { status, code } = outcome.response;
  if (status < 500 || (code && ec2ServerSideCodes.has(code))) return undefined;
  return `${status} ${code}: ${outcome.response.message}`;
}

/** A request as a reader can replay it (long values shortened). */
export function describeFuzz(request: FuzzRequest): string {
  const shown = Object.entries(request.params)
    .slice(0, 40)
    .map(([key, value]) => `${key}=${JSON.stringify(value.length > 60 ? `${value.slice(0, 40)}…(${value.length})` : value)}`);
  return `${request.operation} [${request.mutations.join(", ")}] ${shown.join(" ")}${Object.keys(request.params).length > 40 ? " …" : ""}`;
}
