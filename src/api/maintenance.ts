// StartServerMaintenance and FailServer (extensions): a server of the simulated fleet drained or failed.
import type {
  ModifyInstanceEventStartTimeRequest,
  ModifyInstanceEventStartTimeResult,
  ModifyInstanceMaintenanceOptionsRequest,
  ModifyInstanceMaintenanceOptionsResult,
} from "@aws-sdk/client-ec2";
import { defaultInstanceMaintenance, type InstanceMaintenance } from "../domain/instance-options.js";
import type { InstanceService } from "../services/instances.js";
import { eventWire } from "./instance-lifecycle.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { MaintenanceService } from "../services/maintenance.js";

export function maintenanceOperations(maintenance: MaintenanceService): OperationTable {
  return {
    StartServerMaintenance: operation<{ ServerId: string; EventCode?: "instance-stop" | "system-reboot" }, object>({
      async handle(input, caller) {
        const result = await maintenance.startMaintenance(caller, input.ServerId, input.EventCode);
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

export function maintenanceOptionsInfo(options: InstanceMaintenance) {
  return { AutoRecovery: options.autoRecovery, RebootMigration: options.rebootMigration };
}

/** EC2's own operations on scheduled events and maintenance options. */
export function instanceEventOperations(maintenance: MaintenanceService, instances: InstanceService): OperationTable {
  return {
    ModifyInstanceMaintenanceOptions: operation<ModifyInstanceMaintenanceOptionsRequest, ModifyInstanceMaintenanceOptionsResult>({
      async handle(input, caller) {
        const options = await instances.changeOptions(caller, input.InstanceId!, (current) => ({
          maintenance: {
            ...(current.maintenance ?? defaultInstanceMaintenance),
            ...(input.AutoRecovery ? { autoRecovery: input.AutoRecovery } : {}),
            ...(input.RebootMigration ? { rebootMigration: input.RebootMigration } : {}),
          },
        }));
        return { InstanceId: input.InstanceId, ...maintenanceOptionsInfo(options.maintenance!) };
      },
    }),
    ModifyInstanceEventStartTime: operation<ModifyInstanceEventStartTimeRequest, ModifyInstanceEventStartTimeResult>({
      async handle(input, caller) {
        const event = await maintenance.rescheduleEvent(caller, input.InstanceId!, input.InstanceEventId!, input.NotBefore!);
        return {
          Event: eventWire(event),
        };
      },
    }),
  };
}
