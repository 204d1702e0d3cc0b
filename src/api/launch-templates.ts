// CreateLaunchTemplate, CreateLaunchTemplateVersion, DescribeLaunchTemplates, DescribeLaunchTemplateVersions,
// ModifyLaunchTemplate, DeleteLaunchTemplate, DeleteLaunchTemplateVersions and GetLaunchTemplateData.
import type {
  CreateLaunchTemplateRequest,
  CreateLaunchTemplateResult,
  CreateLaunchTemplateVersionRequest,
  CreateLaunchTemplateVersionResult,
  DeleteLaunchTemplateRequest,
  DeleteLaunchTemplateResult,
  DeleteLaunchTemplateVersionsRequest,
  DeleteLaunchTemplateVersionsResult,
  DescribeLaunchTemplatesRequest,
  DescribeLaunchTemplatesResult,
  DescribeLaunchTemplateVersionsRequest,
  DescribeLaunchTemplateVersionsResult,
  GetLaunchTemplateDataRequest,
  GetLaunchTemplateDataResult,
  LaunchTemplate as LaunchTemplateInfo,
  LaunchTemplateVersion as LaunchTemplateVersionInfo,
  ModifyLaunchTemplateRequest,
  ModifyLaunchTemplateResult,
  ResponseLaunchTemplateData,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { LaunchTemplate, LaunchTemplateData, LaunchTemplateVersion } from "../domain/launch-templates.js";
import { definedOnly } from "../domain/objects.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { LaunchTemplateService } from "../services/launch-templates.js";

export function launchTemplateOperations(templates: LaunchTemplateService): OperationTable {
  return {
    CreateLaunchTemplate: operation<CreateLaunchTemplateRequest, CreateLaunchTemplateResult>({
      validate(input) {
        tagsFromSpecifications(input.TagSpecifications, "launch-template");
      },
      async handle(input, caller) {
        const template = await templates.create(caller, {
          name: input.LaunchTemplateName!,
          ...definedOnly({ description: input.VersionDescription }),
          data: templateDataInput(input.LaunchTemplateData),
          tags: tagsFromSpecifications(input.TagSpecifications, "launch-template"),
        });
        return { LaunchTemplate: templateInfo(template) };
      },
    }),
    CreateLaunchTemplateVersion: operation<CreateLaunchTemplateVersionRequest, CreateLaunchTemplateVersionResult>({
      async handle(input, caller) {
        const { template, version } = await templates.createVersion(caller, input, {
          ...definedOnly({ sourceVersion: input.SourceVersion, description: input.VersionDescription }),
          data: templateDataInput(input.LaunchTemplateData),
        });
        return { LaunchTemplateVersion: versionInfo(template, version) };
      },
    }),
    DescribeLaunchTemplates: operation<DescribeLaunchTemplatesRequest, DescribeLaunchTemplatesResult>({
      async handle(input, caller) {
        const { items, nextToken } = await templates.describe(
          caller,
          definedOnly({
            ids: input.LaunchTemplateIds,
            names: input.LaunchTemplateNames,
            filters: input.Filters,
            maxResults: input.MaxResults,
            nextToken: input.NextToken,
          }),
        );
        return { LaunchTemplates: items.map(templateInfo), ...definedOnly({ NextToken: nextToken }) };
      },
    }),
    DescribeLaunchTemplateVersions: operation<DescribeLaunchTemplateVersionsRequest, DescribeLaunchTemplateVersionsResult>({
      async handle(input, caller) {
        const { items, nextToken } = await templates.describeVersions(caller, input, {
          versions: input.Versions,
          minVersion: input.MinVersion,
          maxVersion: input.MaxVersion,
          filters: input.Filters,
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return { LaunchTemplateVersions: items.map(({ template, version }) => versionInfo(template, version)), ...definedOnly({ NextToken: nextToken }) };
      },
    }),
    ModifyLaunchTemplate: operation<ModifyLaunchTemplateRequest, ModifyLaunchTemplateResult>({
      async handle(input, caller) {
        return { LaunchTemplate: templateInfo(await templates.setDefaultVersion(caller, input, input.DefaultVersion)) };
      },
    }),
    DeleteLaunchTemplate: operation<DeleteLaunchTemplateRequest, DeleteLaunchTemplateResult>({
      async handle(input, caller) {
        return { LaunchTemplate: templateInfo(await templates.delete(caller, input)) };
      },
    }),
    DeleteLaunchTemplateVersions: operation<DeleteLaunchTemplateVersionsRequest, DeleteLaunchTemplateVersionsResult>({
      async handle(input, caller) {
        if (!input.Versions?.length) throw Errors.missingParameter("LaunchTemplateVersion");
        const { template, deleted, failed } = await templates.deleteVersions(caller, input, input.Versions);
        const names = { LaunchTemplateId: template.launchTemplateId, LaunchTemplateName: template.launchTemplateName };
        return {
          SuccessfullyDeletedLaunchTemplateVersions: deleted.map((versionNumber) => ({ ...names, VersionNumber: versionNumber })),
          UnsuccessfullyDeletedLaunchTemplateVersions: failed.map((f) => ({
            ...names,
            ...definedOnly({ VersionNumber: f.versionNumber }),
            ResponseError: { Code: f.code, Message: f.message },
          })),
        };
      },
    }),
    GetLaunchTemplateData: operation<GetLaunchTemplateDataRequest, GetLaunchTemplateDataResult>({
      async handle(input, caller) {
        return { LaunchTemplateData: responseData(await templates.dataOfInstance(caller, input.InstanceId!)) };
      },
    }),
  };
}

/** The parsed LaunchTemplateData as a plain record, for the domain to check member by member. */
function templateDataInput(data: unknown): Record<string, unknown> {
  return { ...((data ?? {}) as Record<string, unknown>) };
}

function templateInfo(template: LaunchTemplate): LaunchTemplateInfo {
  return {
    LaunchTemplateId: template.launchTemplateId,
    LaunchTemplateName: template.launchTemplateName,
    CreateTime: template.createdAt,
    CreatedBy: template.createdBy,
    DefaultVersionNumber: template.defaultVersion,
    LatestVersionNumber: template.latestVersion,
    ...(template.tags.length > 0 ? { Tags: template.tags } : {}),
  };
}

function versionInfo(template: LaunchTemplate, version: LaunchTemplateVersion): LaunchTemplateVersionInfo {
  return {
    LaunchTemplateId: template.launchTemplateId,
    LaunchTemplateName: template.launchTemplateName,
    VersionNumber: version.versionNumber,
    ...definedOnly({ VersionDescription: version.description }),
    CreateTime: version.createdAt,
    CreatedBy: version.createdBy,
    DefaultVersion: version.versionNumber === template.defaultVersion,
    LaunchTemplateData: responseData(version.data),
  };
}

/** The stored data is already in the response's member names; only the types differ (string enums). */
function responseData(data: LaunchTemplateData): ResponseLaunchTemplateData {
  return data as ResponseLaunchTemplateData;
}
