// An instance's live migration as mini-ec2 records it (MigrateInstance, a server's maintenance): the model's figures
// (migration.ts) for the guest's memory, its workload and the link between the two servers, and where it stands
// on the virtual clock. Pure.
import { type MigrationRound, postCopy, preCopy, type PreCopyEnd } from "./migration.js";
import type { Workload } from "./migration.js";

export type MigrationStrategy = "pre-copy" | "post-copy";
export const migrationStrategies: readonly MigrationStrategy[] = ["pre-copy", "post-copy"];

export type MigrationState = "in-progress" | "completed" | "failed";

export interface MigrationFigures {
  /** Pre-copy's rounds, the stop-and-copy last; post-copy has none (it pauses first and pushes memory after). */
  rounds: MigrationRound[];
  endedBy?: PreCopyEnd;
  totalTimeMs: number;
  downtimeMs: number;
  bytesTransferred: number;
  /** Post-copy only: pages the resumed guest fetched over the network. */
  pageFaults?: number;
}

export interface InstanceMigration extends MigrationFigures {
  migrationId: string;
  accountId: string;
  region: string;
  instanceId: string;
  instanceType: string;
  strategy: MigrationStrategy;
  state: MigrationState;
  /** Who asked: the owner (MigrateInstance) or the fleet (StartServerMaintenance). */
  initiatedBy: "user" | "maintenance";
  sourceServerId: string;
  targetServerId: string;
  startedAt: Date;
  /** When the switchover happens on the virtual clock: startedAt + the model's total time (scaled by the delays). */
  completesAt: Date;
  failureReason?: string;
}

/** The model's answer for a guest of `memoryMiB` doing `workload` over a link of `linkMbps`. */
export function migrationFigures(strategy: MigrationStrategy, input: { memoryMiB: number; workload: Workload; linkMbps: number }): MigrationFigures {
  if (strategy === "post-copy") {
    const result = postCopy(input);
    return {
      rounds: [],
      totalTimeMs: result.totalTimeMs,
      downtimeMs: result.downtimeMs,
      bytesTransferred: result.bytesTransferred,
      pageFaults: result.pageFaults,
    };
  }
  const result = preCopy(input);
  return {
    rounds: result.rounds,
    endedBy: result.endedBy,
    totalTimeMs: result.totalTimeMs,
    downtimeMs: result.downtimeMs,
    bytesTransferred: result.bytesTransferred,
  };
}

/** Why a migration that reached its switchover could not complete. */
export const instanceLeftSourceReason = "The instance stopped or left its source server before the switchover; the capacity held on the target was given back.";
