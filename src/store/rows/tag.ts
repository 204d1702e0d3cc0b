// The Tag table's one codec: one row per key of a resource, the owning account and region part of the row.
import type { Tag } from "../../domain/tags.js";
import type { Tag as TagRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export type { TagRow };

/** Whose tags: the resource, its type and the account (and region) that tagged it. */
export type TagOwner = Omit<TagRow, "key" | "value">;

export const tagColumns = new SqliteColumns<TagRow>("Tag", { dates: {}, booleans: {} });

export function tagToRow(owner: TagOwner, tag: Tag): TagRow {
  return { resourceId: owner.resourceId, resourceType: owner.resourceType, accountId: owner.accountId, region: owner.region, key: tag.Key, value: tag.Value };
}

export function tagFromRow(row: Pick<TagRow, "key" | "value">): Tag {
  return { Key: row.key, Value: row.value };
}
