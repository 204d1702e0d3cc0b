// Reads the versioned catalog data shipped in the repository (src/domain/catalog/data, see docs/catalog.md).
import { readFileSync } from "node:fs";
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { OfferingsData } from "../domain/catalog/offerings.js";

const dataDir = new URL("../domain/catalog/data/", import.meta.url);

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, dataDir), "utf8")) as T;
}

export function readInstanceTypes(): InstanceTypeInfo[] {
  return readJson<InstanceTypeInfo[]>("instance-types.json");
}

export function readOfferings(): OfferingsData {
  return readJson<OfferingsData>("offerings.json");
}
