// SSM's public AMI parameters: the rules in domain/public-parameters.ts over the catalog's images (Amazon's,
// Canonical's and Debian's) of the caller's region as the store holds them. Those images are seeded before the server
// listens and no one can change them afterwards (no request is signed by a publisher's account), so each region's
// parameters are resolved once and kept.
import { catalogPublishers } from "../domain/catalog/amazon-images.js";
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import {
  imageAliasParameter,
  pageOf,
  parameterNameOf,
  parametersUnderPath,
  type PublicParameter,
  resolvePublicParameters,
} from "../domain/public-parameters.js";
import type { ImagesRepo } from "../store/images-repo.js";

export class PublicParameterService {
  private readonly byRegion = new Map<string, Promise<PublicParameter[]>>();

  constructor(private readonly images: ImagesRepo) {}

  private parametersOf(caller: Caller): Promise<PublicParameter[]> {
    let parameters = this.byRegion.get(caller.region);
    if (!parameters) {
      const publishers = new Set(catalogPublishers);
      parameters = this.images.visible(caller.accountId, caller.region, { owners: [...catalogPublishers] }).then((images) =>
        resolvePublicParameters(
          caller.region,
          images.filter((image) => publishers.has(image.accountId)),
        ),
      );
      // A failed read is not kept: the next request reads again.
      parameters.catch(() => this.byRegion.delete(caller.region));
      this.byRegion.set(caller.region, parameters);
    }
    return parameters;
  }

  /** Undefined when no parameter (or no such version of one) has the name; `asked` is the name as the caller wrote it. */
  private static lookup(parameters: readonly PublicParameter[], asked: string, region: string): PublicParameter | undefined {
    const { name, version } = parameterNameOf(asked, region);
    const parameter = parameters.find((candidate) => candidate.name === name);
    if (!parameter || (version !== undefined && version !== parameter.version)) return undefined;
    return parameter;
  }

  async get(caller: Caller, asked: string): Promise<PublicParameter> {
    const parameters = await this.parametersOf(caller);
    const found = PublicParameterService.lookup(parameters, asked, caller.region);
    if (found) return found;
    const { name, version } = parameterNameOf(asked, caller.region);
    if (version !== undefined && parameters.some((candidate) => candidate.name === name)) {
      throw Errors.parameterVersionNotFound(name, asked.slice(asked.lastIndexOf(":") + 1));
    }
    throw Errors.parameterNotFound(asked);
  }

  /**
   * The image an image id of the form resolve:ssm:<parameter> names now, as EC2 resolves it at launch; any other id
   * unchanged. A version selector (name:1) is honoured as GetParameter honours it.
   */
  async resolveImageId(caller: Caller, imageId: string): Promise<string> {
    const parameter = imageAliasParameter(imageId);
    if (parameter === undefined) return imageId;
    const found = PublicParameterService.lookup(await this.parametersOf(caller), parameter, caller.region);
    if (!found) throw Errors.imageAliasNotFound(imageId, parameter);
    return found.value;
  }

  /** GetParameters: the parameters found, in name order, and the names that are not. */
  async getMany(caller: Caller, names: readonly string[]): Promise<{ found: PublicParameter[]; invalid: string[] }> {
    const parameters = await this.parametersOf(caller);
    const found: PublicParameter[] = [];
    const invalid: string[] = [];
    for (const asked of new Set(names)) {
      const parameter = PublicParameterService.lookup(parameters, asked, caller.region);
      if (parameter) found.push(parameter);
      else invalid.push(asked);
    }
    return { found: found.sort((a, b) => a.name.localeCompare(b.name)), invalid };
  }

  async byPath(
    caller: Caller,
    path: string,
    options: { recursive: boolean; maxResults?: number; nextToken?: string },
  ): Promise<{ parameters: PublicParameter[]; nextToken?: string }> {
    const under = parametersUnderPath(await this.parametersOf(caller), path, options.recursive);
    const { page, nextToken } = pageOf(under, options.maxResults, options.nextToken);
    return { parameters: page, ...(nextToken ? { nextToken } : {}) };
  }
}
