// Launch templates of one account and region, their versions (data as JSON) and their tags.
import { insertUnlessTaken } from "./unique-insert.js";
import type { Scope } from "../domain/caller.js";
import type { LaunchTemplate, LaunchTemplateData, LaunchTemplateVersion } from "../domain/launch-templates.js";
import { type LaunchTemplate as TemplateRow, type LaunchTemplateVersion as VersionRow, type PrismaClient } from "./generated/client.js";
import { scopeWhere } from "./scope.js";
import { deleteTags, insertTags, tagsByResource } from "./tags-repo.js";
import { fitsOneStatement, inChunks, keepListed } from "./bound-ids.js";

const resourceType = "launch-template";

export class LaunchTemplatesRepo {
  constructor(private readonly prisma: PrismaClient) {}

  /** The template with its first version and its tags, or "duplicate" when the name is taken in the region. */
  async insert(template: LaunchTemplate, first: LaunchTemplateVersion): Promise<"created" | "duplicate"> {
    const { tags, ...row } = template;
    return insertUnlessTaken(
      () =>
        this.prisma.launchTemplate.findFirst({
          where: { ...scopeWhere(template), launchTemplateName: template.launchTemplateName },
          select: { launchTemplateId: true },
        }),
      () =>
        this.prisma.$transaction(async (tx) => {
          await tx.launchTemplate.create({ data: row });
          await tx.launchTemplateVersion.create({ data: versionToRow(first) });
          await insertTags(tx, { resourceId: template.launchTemplateId, resourceType, accountId: template.accountId, region: template.region }, tags);
        }),
    );
  }

  /** `withTags: false` for a launch, which needs the template's versions and not its tags: one query fewer. */
  async list(scope: Scope, where: { ids?: string[]; names?: string[] } = {}, withTags = true): Promise<LaunchTemplate[]> {
    const found = await this.prisma.launchTemplate.findMany({
      where: {
        ...scopeWhere(scope),
        ...(where.ids && fitsOneStatement(where.ids) ? { launchTemplateId: { in: where.ids } } : {}),
        ...(where.names && fitsOneStatement(where.names) ? { launchTemplateName: { in: where.names } } : {}),
      },
      orderBy: { launchTemplateId: "asc" },
    });
    const rows = keepListed(
      keepListed(found, where.ids, (row) => row.launchTemplateId),
      where.names,
      (row) => row.launchTemplateName,
    );
    const tags = withTags
      ? await tagsByResource(
          this.prisma,
          scope,
          resourceType,
          rows.map((row) => row.launchTemplateId),
        )
      : new Map<string, LaunchTemplate["tags"]>();
    return rows.map((row) => toTemplate(row, tags.get(row.launchTemplateId) ?? []));
  }

  /** Versions of these templates (all of them, or these numbers), by template then number. */
  async versions(launchTemplateIds: readonly string[], numbers?: readonly number[]): Promise<LaunchTemplateVersion[]> {
    const bindIds = fitsOneStatement(launchTemplateIds);
    const bindNumbers = numbers !== undefined && fitsOneStatement(numbers);
    const rows = await this.prisma.launchTemplateVersion.findMany({
      where: {
        ...(bindIds ? { launchTemplateId: { in: [...launchTemplateIds] } } : {}),
        ...(bindNumbers ? { versionNumber: { in: [...numbers] } } : {}),
      },
      orderBy: [{ launchTemplateId: "asc" }, { versionNumber: "asc" }],
    });
    // Lists too long to bind are applied here (store/bound-ids.ts).
    const ids = bindIds ? undefined : new Set(launchTemplateIds);
    const wanted = numbers === undefined || bindNumbers ? undefined : new Set(numbers);
    return rows.filter((row) => (!ids || ids.has(row.launchTemplateId)) && (!wanted || wanted.has(row.versionNumber))).map(toVersion);
  }

  /** Adds the next version (numbers only grow), in one transaction with the template's latest number; undefined if the template is gone. */
  async addVersion(launchTemplateId: string, build: (versionNumber: number) => LaunchTemplateVersion): Promise<LaunchTemplateVersion | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const template = await tx.launchTemplate.findUnique({ where: { launchTemplateId } });
      if (!template) return undefined;
      const version = build(template.latestVersion + 1);
      await tx.launchTemplate.update({ where: { launchTemplateId }, data: { latestVersion: version.versionNumber } });
      await tx.launchTemplateVersion.create({ data: versionToRow(version) });
      return version;
    });
  }

  async setDefaultVersion(launchTemplateId: string, versionNumber: number): Promise<void> {
    await this.prisma.launchTemplate.update({ where: { launchTemplateId }, data: { defaultVersion: versionNumber } });
  }

  async delete(scope: Scope, launchTemplateId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.launchTemplateVersion.deleteMany({ where: { launchTemplateId } });
      await deleteTags(tx, scopeWhere(scope), [launchTemplateId]);
      await tx.launchTemplate.delete({ where: { launchTemplateId } });
    });
  }

  async deleteVersions(launchTemplateId: string, numbers: readonly number[]): Promise<void> {
    await inChunks(numbers, (chunk) => this.prisma.launchTemplateVersion.deleteMany({ where: { launchTemplateId, versionNumber: { in: chunk } } }));
  }
}

function toTemplate(row: TemplateRow, tags: LaunchTemplate["tags"]): LaunchTemplate {
  return { ...row, tags };
}

function versionToRow(version: LaunchTemplateVersion): VersionRow {
  return {
    launchTemplateId: version.launchTemplateId,
    versionNumber: version.versionNumber,
    description: version.description ?? null,
    data: JSON.stringify(version.data),
    createdBy: version.createdBy,
    createdAt: version.createdAt,
  };
}

function toVersion(row: VersionRow): LaunchTemplateVersion {
  const { description, data, ...rest } = row;
  return { ...rest, ...(description !== null ? { description } : {}), data: JSON.parse(data) as LaunchTemplateData };
}
