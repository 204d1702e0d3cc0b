// Launch templates: create, version, describe, modify and delete them; the data of an instance as a template;
// and the template a RunInstances or ExplainLaunch names, resolved to one version and merged under its parameters.
import { instanceDevices } from "../domain/attachments.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { launchTemplateFilters, launchTemplateVersionFilters, type VersionView } from "../domain/filters/launch-templates.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import type { InstanceOptions } from "../domain/instance-options.js";
import {
  checkTemplateData,
  checkTemplateName,
  type LaunchTemplate,
  type LaunchTemplateData,
  type LaunchTemplateVersion,
  launchTemplateTags,
  mergeTemplateIntoRequest,
  type TemplateLaunchParameters,
  versionNumberOf,
} from "../domain/launch-templates.js";
import { definedOnly } from "../domain/objects.js";
import { type Page, paginate } from "../domain/pagination.js";
import type { Tag } from "../domain/tags.js";
import type { LaunchTemplatesRepo } from "../store/launch-templates-repo.js";
import type { InstanceService } from "./instances.js";

/** How a request names a template: by id or by name, exactly one. */
export interface TemplateRef {
  LaunchTemplateId?: string | undefined;
  LaunchTemplateName?: string | undefined;
}

export interface VersionQuery {
  versions?: string[] | undefined;
  minVersion?: string | undefined;
  maxVersion?: string | undefined;
  filters?: Filter[] | undefined;
  maxResults?: number | undefined;
  nextToken?: string | undefined;
}

export interface VersionDeletion {
  deleted: number[];
  failed: Array<{ version: string; versionNumber?: number; code: "launchTemplateVersionDoesNotExist" | "unexpectedError"; message: string }>;
}

export class LaunchTemplateService {
  constructor(
    private readonly templates: LaunchTemplatesRepo,
    private readonly instances: InstanceService,
    private readonly clock: Clock,
  ) {}

  async create(caller: Caller, input: { name: string; description?: string; data: Record<string, unknown>; tags: Tag[] }): Promise<LaunchTemplate> {
    checkTemplateName(input.name);
    const data = checkTemplateData(input.data);
    const now = this.clock.now();
    const template: LaunchTemplate = {
      launchTemplateId: newId("lt"),
      accountId: caller.accountId,
      region: caller.region,
      launchTemplateName: input.name,
      createdBy: createdBy(caller),
      createdAt: now,
      defaultVersion: 1,
      latestVersion: 1,
      tags: input.tags,
    };
    const first = {
      launchTemplateId: template.launchTemplateId,
      versionNumber: 1,
      ...definedOnly({ description: input.description }),
      data,
      createdBy: template.createdBy,
      createdAt: now,
    };
    if ((await this.templates.insert(template, first)) === "duplicate") throw Errors.launchTemplateNameInUse();
    return template;
  }

  /** A new version: the data given, over the source version's when SourceVersion names one. */
  async createVersion(caller: Caller, ref: TemplateRef, input: { sourceVersion?: string; description?: string; data: Record<string, unknown> }) {
    const template = await this.find(caller, ref);
    const given = checkTemplateData(input.data);
    const source = input.sourceVersion !== undefined ? (await this.versionsOf(template, [input.sourceVersion]))[0]!.data : {};
    const data: LaunchTemplateData = { ...source, ...given };
    const version = await this.templates.addVersion(template.launchTemplateId, (versionNumber) => ({
      launchTemplateId: template.launchTemplateId,
      versionNumber,
      ...definedOnly({ description: input.description }),
      data,
      createdBy: createdBy(caller),
      createdAt: this.clock.now(),
    }));
    if (!version) throw Errors.launchTemplateIdNotFound(template.launchTemplateId);
    return { template, version };
  }

  /** Every id and name asked for must exist (EC2's NotFound otherwise); filters narrow what is left. */
  async describe(
    caller: Caller,
    input: { ids?: string[]; names?: string[]; filters?: Filter[]; maxResults?: number; nextToken?: string },
  ): Promise<Page<LaunchTemplate>> {
    for (const id of input.ids ?? []) if (!isWellFormedId(id, "lt")) throw Errors.launchTemplateIdMalformed(id);
    const found = await this.templates.list(
      caller,
      definedOnly({ ids: input.ids?.length ? input.ids : undefined, names: input.names?.length ? input.names : undefined }),
    );
    const missingId = input.ids?.find((id) => !found.some((t) => t.launchTemplateId === id));
    if (missingId) throw Errors.launchTemplateIdNotFound(missingId);
    const missingName = input.names?.find((name) => !found.some((t) => t.launchTemplateName === name));
    if (missingName) throw Errors.launchTemplateNameNotFound(missingName);
    return paginate(
      applyFilters(found, input.filters, launchTemplateFilters),
      (t) => t.launchTemplateId,
      { ...definedOnly({ MaxResults: input.maxResults, NextToken: input.nextToken }) },
      200,
    );
  }

  /**
   * Versions of one template, or, without a template, the $Latest or $Default versions of every template the account
   * has (the only versions EC2 lets a call name across templates).
   */
  async describeVersions(caller: Caller, ref: TemplateRef, query: VersionQuery): Promise<Page<{ template: LaunchTemplate; version: VersionView }>> {
    const named = ref.LaunchTemplateId !== undefined || ref.LaunchTemplateName !== undefined;
    let pairs: Array<{ template: LaunchTemplate; version: LaunchTemplateVersion }>;
    if (named) {
      const template = await this.find(caller, ref);
      const versions = query.versions?.length ? await this.versionsOf(template, query.versions) : await this.templates.versions([template.launchTemplateId]);
      const min = query.minVersion !== undefined ? versionNumberOf(template, query.minVersion) : undefined;
      const max = query.maxVersion !== undefined ? versionNumberOf(template, query.maxVersion) : undefined;
      pairs = [...versions]
        .sort((a, b) => a.versionNumber - b.versionNumber)
        .filter((v) => (min === undefined || v.versionNumber >= min) && (max === undefined || v.versionNumber <= max))
        .map((version) => ({ template, version }));
    } else {
      if (!query.versions?.length || query.versions.some((v) => v !== "$Latest" && v !== "$Default")) throw Errors.launchTemplateUnnamed();
      const templates = await this.templates.list(caller);
      const wanted = (t: LaunchTemplate) => new Set(query.versions!.map((v) => versionNumberOf(t, v)));
      const versions = await this.templates.versions(templates.map((t) => t.launchTemplateId));
      pairs = versions.flatMap((version) => {
        const template = templates.find((t) => t.launchTemplateId === version.launchTemplateId)!;
        return wanted(template).has(version.versionNumber) ? [{ template, version }] : [];
      });
    }
    const views = pairs.map(({ template, version }) => ({ template, version: { ...version, isDefault: version.versionNumber === template.defaultVersion } }));
    const filtered = applyFilters(views, query.filters, {
      fields: Object.fromEntries(
        Object.entries(launchTemplateVersionFilters.fields).map(([name, read]) => [name, (p: (typeof views)[number]) => read(p.version)]),
      ),
    });
    const key = (p: (typeof views)[number]) => `${p.template.launchTemplateId}:${String(p.version.versionNumber).padStart(18, "0")}`;
    return paginate(filtered, key, definedOnly({ MaxResults: query.maxResults, NextToken: query.nextToken }), Number.MAX_SAFE_INTEGER);
  }

  async setDefaultVersion(caller: Caller, ref: TemplateRef, version: string | undefined): Promise<LaunchTemplate> {
    const template = await this.find(caller, ref);
    if (version === undefined) return template;
    const [chosen] = await this.versionsOf(template, [version]);
    await this.templates.setDefaultVersion(template.launchTemplateId, chosen!.versionNumber);
    return { ...template, defaultVersion: chosen!.versionNumber };
  }

  async delete(caller: Caller, ref: TemplateRef): Promise<LaunchTemplate> {
    const template = await this.find(caller, ref);
    await this.templates.delete(caller, template.launchTemplateId);
    return template;
  }

  /** Each version deleted or refused on its own, as EC2 answers: the default version is never deleted. */
  async deleteVersions(caller: Caller, ref: TemplateRef, versions: readonly string[]): Promise<{ template: LaunchTemplate } & VersionDeletion> {
    const template = await this.find(caller, ref);
    const existing = new Set((await this.templates.versions([template.launchTemplateId])).map((v) => v.versionNumber));
    const result: VersionDeletion = { deleted: [], failed: [] };
    for (const version of versions) {
      const number = versionNumberOf(template, version);
      if (number === undefined || !existing.has(number)) {
        result.failed.push({
          version,
          ...definedOnly({ versionNumber: number }),
          code: "launchTemplateVersionDoesNotExist",
          message: `The specified launch template version ${version} does not exist.`,
        });
      } else if (number === template.defaultVersion) {
        result.failed.push({
          version,
          versionNumber: number,
          code: "unexpectedError",
          message: `Version ${number} is the default version of the launch template and cannot be deleted. Make another version the default (ModifyLaunchTemplate), or delete the template (DeleteLaunchTemplate).`,
        });
      } else if (!result.deleted.includes(number)) {
        result.deleted.push(number);
      }
    }
    if (result.deleted.length > 0) await this.templates.deleteVersions(template.launchTemplateId, result.deleted);
    return { template, ...result };
  }

  /** GetLaunchTemplateData: what RunInstances would need to launch the instance again, as template data. */
  async dataOfInstance(caller: Caller, instanceId: string): Promise<LaunchTemplateData> {
    const instance = await this.instances.getOne(caller, instanceId);
    const tags = instance.tags.filter((tag) => !tag.Key.startsWith("aws:"));
    return definedOnly({
      ImageId: instance.imageId,
      InstanceType: instance.instanceType,
      KernelId: instance.kernelId,
      RamDiskId: instance.ramdiskId,
      KeyName: instance.keyName,
      UserData: instance.userData,
      DisableApiTermination: instance.disableApiTermination,
      ...optionsAsTemplateData(instance.options),
      Placement: definedOnly({
        AvailabilityZone: instance.availabilityZone,
        Tenancy: instance.tenancy,
        GroupName: instance.placementGroupName,
        HostId: instance.hostId,
        Affinity: instance.affinity,
      }),
      BlockDeviceMappings: instanceDevices(instance, this.clock.now()).map((device) => ({
        DeviceName: device.DeviceName!,
        Ebs: definedOnly({ DeleteOnTermination: device.Ebs?.DeleteOnTermination, VolumeSize: device.Ebs?.VolumeSize, VolumeType: device.Ebs?.VolumeType }),
      })),
      TagSpecifications: tags.length > 0 ? [{ ResourceType: "instance" as const, Tags: tags }] : undefined,
      NetworkInterfaces: instance.interfaces?.length
        ? instance.interfaces.map((eni) => ({
            DeviceIndex: eni.attachment?.deviceIndex ?? 0,
            ...(eni.attachment?.networkCardIndex ? { NetworkCardIndex: eni.attachment.networkCardIndex } : {}),
            SubnetId: eni.subnetId,
            Groups: eni.groupIds,
            DeleteOnTermination: eni.attachment?.deleteOnTermination ?? false,
          }))
        : undefined,
    });
  }

  /**
   * The request a launch from a template runs: the template version's data under the explicit parameters, and the
   * tags EC2 adds to say which template and version launched the instance. Without a template, the request as given.
   */
  async applyTo<R extends TemplateLaunchParameters>(
    caller: Caller,
    spec: (TemplateRef & { Version?: string | undefined }) | undefined,
    request: R,
  ): Promise<{ request: R; templateTags: Tag[] }> {
    if (!spec) return { request, templateTags: [] };
    const template = await this.find(caller, spec, false);
    const [version] = await this.versionsOf(template, [spec.Version ?? "$Default"]);
    return { request: mergeTemplateIntoRequest(version!.data, request), templateTags: launchTemplateTags(template.launchTemplateId, version!.versionNumber) };
  }

  /** The template a request names, the caller's own; EC2's errors for a malformed id, an unknown id or name, or neither or both. */
  private async find(caller: Caller, ref: TemplateRef, withTags = true): Promise<LaunchTemplate> {
    const { LaunchTemplateId: id, LaunchTemplateName: name } = ref;
    if (id !== undefined && name !== undefined) throw Errors.launchTemplateNamedTwice();
    if (id !== undefined) {
      if (!isWellFormedId(id, "lt")) throw Errors.launchTemplateIdMalformed(id);
      const [template] = await this.templates.list(caller, { ids: [id] }, withTags);
      if (!template) throw Errors.launchTemplateIdNotFound(id);
      return template;
    }
    if (name === undefined) throw Errors.launchTemplateUnnamed();
    const [template] = await this.templates.list(caller, { names: [name] }, withTags);
    if (!template) throw Errors.launchTemplateNameNotFound(name);
    return template;
  }

  /** The versions these specifiers name, each of which must exist. */
  private async versionsOf(template: LaunchTemplate, specifiers: readonly string[]): Promise<LaunchTemplateVersion[]> {
    const numbers = specifiers.map((specifier) => {
      const number = versionNumberOf(template, specifier);
      if (number === undefined) throw Errors.launchTemplateVersionNotFound(specifier, template.launchTemplateId);
      return number;
    });
    const found = await this.templates.versions([template.launchTemplateId], numbers);
    const missing = specifiers.find((_, i) => !found.some((v) => v.versionNumber === numbers[i]));
    if (missing !== undefined) throw Errors.launchTemplateVersionNotFound(missing, template.launchTemplateId);
    return numbers.map((n) => found.find((v) => v.versionNumber === n)!);
  }
}

/** The settings RunInstances kept on the instance, in template data's members; CPU options only when the launch chose them. */
function optionsAsTemplateData(options: InstanceOptions): LaunchTemplateData {
  const { metadata } = options;
  return {
    DisableApiStop: options.disableApiStop,
    InstanceInitiatedShutdownBehavior: options.shutdownBehavior,
    MetadataOptions: {
      HttpTokens: metadata.httpTokens,
      HttpPutResponseHopLimit: metadata.httpPutResponseHopLimit,
      HttpEndpoint: metadata.httpEndpoint,
      HttpProtocolIpv6: metadata.httpProtocolIpv6,
      InstanceMetadataTags: metadata.instanceMetadataTags,
    },
    EbsOptimized: options.ebsOptimized,
    Monitoring: { Enabled: options.monitoring },
    HibernationOptions: { Configured: options.hibernation },
    ...(options.cpu ? { CpuOptions: { CoreCount: options.cpu.coreCount, ThreadsPerCore: options.cpu.threadsPerCore } } : {}),
    ...(options.credits ? { CreditSpecification: { CpuCredits: options.credits.mode } } : {}),
    ...(options.iamInstanceProfile ? { IamInstanceProfile: { Arn: options.iamInstanceProfile.arn } } : {}),
  };
}

/** EC2 names the principal; mini-ec2's only principal is the account's root user. */
function createdBy(caller: Caller): string {
  return `arn:aws:iam::${caller.accountId}:root`;
}
