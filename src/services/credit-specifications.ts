// The credit option of burstable instances and the account's default per family: DescribeInstanceCreditSpecifications,
// ModifyInstanceCreditSpecification (instance by instance, each failure answered with EC2's code for it),
// GetDefaultCreditSpecification and ModifyDefaultCreditSpecification. The rules are domain/credit-specification.ts.
import type { CreditMode } from "../domain/burstable.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { type BurstableFamily, changeCreditMode, creditModeOf, familyDefaultMode, modeChangeRefusal, parseCreditMode } from "../domain/credit-specification.js";
import { Ec2Error } from "../domain/errors.js";
import { type Filter, filterPredicate } from "../domain/filters.js";
import { instanceCreditFilters } from "../domain/filters/credit-specifications.js";
import type { Instance } from "../domain/instances.js";
import { decodeToken, encodeToken } from "../domain/pagination.js";
import type { CreditDefaultsRepo } from "../store/credit-defaults-repo.js";
import type { InstanceService } from "./instances.js";

export interface InstanceCreditSpecification {
  instanceId: string;
  cpuCredits: CreditMode;
}

export interface CreditQuery {
  instanceIds?: string[];
  filters?: Filter[];
  nextToken?: string;
  want: number;
}

export interface CreditModification {
  successful: string[];
  unsuccessful: Array<{ instanceId: string; code: string; message: string }>;
}

/** The codes ModifyInstanceCreditSpecification answers per instance; anything else fails the whole call. */
const perInstanceCodes = new Set([
  "InvalidInstanceID.Malformed",
  "InvalidInstanceID.NotFound",
  "IncorrectInstanceState",
  "InstanceCreditSpecification.NotSupported",
]);

const specificationOf = (instance: Instance): InstanceCreditSpecification => ({ instanceId: instance.instanceId, cpuCredits: creditModeOf(instance) });

export class CreditSpecificationService {
  constructor(
    private readonly instances: InstanceService,
    private readonly defaults: CreditDefaultsRepo,
    private readonly clock: Clock,
  ) {}

  /**
   * Named instances: each one's option (a non-burstable one reads standard, as EC2 answers; docs/decisions.md).
   * Without names, as the API reference says: the instances whose option is unlimited, burstable or resized since.
   */
  async describe(caller: Caller, query: CreditQuery): Promise<{ specifications: InstanceCreditSpecification[]; nextToken?: string }> {
    const matches = filterPredicate(query.filters, instanceCreditFilters);
    if (query.instanceIds?.length) {
      const found = await this.instances.get(caller, query.instanceIds);
      return { specifications: found.map(specificationOf).filter(matches) };
    }
    const after = query.nextToken !== undefined ? decodeToken(query.nextToken) : undefined;
    const { instances, more } = await this.instances.scan(caller, {
      ...(after ? { afterId: after } : {}),
      want: query.want,
      // The instance's own row answers both: its linked rows are read only for the instances kept.
      acceptRow: (instance) => creditModeOf(instance) === "unlimited" && matches(specificationOf(instance)),
    });
    const last = instances[instances.length - 1];
    return { specifications: instances.map(specificationOf), ...(more && last ? { nextToken: encodeToken(last.instanceId) } : {}) };
  }

  /** Each instance on its own: one that cannot change is reported with EC2's code and the others still change. */
  async modify(caller: Caller, requests: ReadonlyArray<{ instanceId: string; cpuCredits: string }>): Promise<CreditModification> {
    const result: CreditModification = { successful: [], unsuccessful: [] };
    // A bad value is the caller's mistake for the whole request, not one instance's state.
    const wanted = requests.map((request) => ({ instanceId: request.instanceId, to: parseCreditMode(request.cpuCredits, "CpuCredits") }));
    for (const { instanceId, to } of wanted) {
      try {
        const instance = await this.instances.getOne(caller, instanceId);
        const refusal = modeChangeRefusal(instance, to);
        if (refusal) throw refusal;
        const at = this.clock.now().getTime();
        await this.instances.changeOptions(caller, instanceId, (options) => ({ credits: changeCreditMode(options.credits, creditModeOf(instance), to, at) }));
        result.successful.push(instanceId);
      } catch (error) {
        if (!(error instanceof Ec2Error) || !perInstanceCodes.has(error.code)) throw error;
        result.unsuccessful.push({ instanceId, code: error.code, message: error.message });
      }
    }
    return result;
  }

  async getDefault(caller: Caller, family: BurstableFamily): Promise<CreditMode> {
    return (await this.defaults.find(caller, family)) ?? familyDefaultMode(family);
  }

  /** Applied at once (EC2 takes up to five minutes to reach every zone; docs/decisions.md). */
  async modifyDefault(caller: Caller, family: BurstableFamily, cpuCredits: string): Promise<CreditMode> {
    const mode = parseCreditMode(cpuCredits, "CpuCredits");
    await this.defaults.put(caller, family, mode);
    return mode;
  }
}
