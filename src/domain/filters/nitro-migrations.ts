// DescribeNitroMigrations' filter names, read from a run as stored.
import type { FilterSpec } from "../filters.js";
import type { NitroMigrationInput } from "../nitro-migration.js";
import type { RunState } from "../workflows.js";

export interface MigrationFilterView {
  input: NitroMigrationInput;
  state: RunState;
  output?: unknown;
}

export const nitroMigrationFilters: FilterSpec<MigrationFilterView> = {
  fields: {
    "instance-id": (m) => m.input.instanceId,
    "target-instance-type": (m) => m.input.targetInstanceType,
    "operation-type": (m) => m.input.operationType,
    state: (m) => m.state,
    "golden-image-id": (m) => (m.output as { goldenImageId?: string } | undefined)?.goldenImageId,
  },
};
