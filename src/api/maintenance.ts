// StartServerMaintenance and FailServer (extensions): a server of the simulated fleet drained or failed.
import { type OperationTable, operation } from "../protocol/operation.js";
import type { MaintenanceService } from "../services/maintenance.js";

export function maintenanceOperations(maintenance: MaintenanceService): OperationTable {
  return {
    StartServerMaintenance: operation<{ ServerId: string }, object>({
      async handle(input, caller) {
        const result = await maintenance.startMaintenance(caller, input.ServerId);
        return {
          ServerId: result.server.serverId,
          State: result.server.state,
          GuestsMigrating: result.migrating,
          GuestsScheduled: result.scheduled,
          GuestsAlreadyMoving: result.alreadyMoving,
          MigrationIds: result.callerMigrationIds,
          InstanceEventIds: result.callerEventIds,
        };
      },
    }),
    FailServer: operation<{ ServerId: string }, object>({
      async handle(input, caller) {
        const result = await maintenance.failServer(caller, input.ServerId);
        return {
          ServerId: result.server.serverId,
          State: result.server.state,
          GuestsRecovered: result.recovered,
          GuestsRetired: result.retired,
          RecoveredInstanceIds: result.callerRecovered,
          InstanceEventIds: result.callerEventIds,
        };
      },
    }),
  };
}
