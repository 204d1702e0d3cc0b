// DescribeInstanceBoot (extension): how an instance's guest boots where it runs, for the console's instance page:
// GetConsoleOutput's log with the lines that decided it marked, and the path each device's I/O takes (docs/console.md).
import type { Clock } from "../domain/clock.js";
import { ioPathsOf } from "../domain/io-paths.js";
import { currentState } from "../domain/instances.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceService } from "../services/instances.js";

interface DescribeInstanceBootInput {
  InstanceId: string;
}

export function instanceBootOperations(instances: InstanceService, clock: Clock): OperationTable {
  return {
    DescribeInstanceBoot: operation<DescribeInstanceBootInput, object>({
      async handle(input, caller) {
        const instance = await instances.getOne(caller, input.InstanceId);
        const facts = await instances.bootInput(caller, instance);
        // As GetConsoleOutput: no log before the instance has run on a server.
        const hasRun = currentState(instance, clock.now()) !== "pending" && Boolean(instance.serverId);
        const boot = hasRun ? await instances.boot(caller, instance) : undefined;
        return {
          InstanceId: instance.instanceId,
          InstanceType: instance.instanceType,
          Hypervisor: instance.hypervisor,
          VirtualizationType: instance.virtualizationType,
          BootMode: instance.bootMode,
          ...(boot
            ? {
                Booted: boot.booted,
                ...(boot.failure ? { Failure: boot.failure } : {}),
                ConsoleLines: boot.lines.map((text, index) => ({ Text: text, Deciding: boot.deciding.includes(index) })),
              }
            : {}),
          IoPaths: (facts ? ioPathsOf(facts) : []).map((path) => ({
            Device: path.device,
            DeviceType: path.deviceType,
            Path: path.path,
            Driver: path.driver,
            DriverPresent: path.driverPresent,
            Through: path.through,
            Description: path.description,
          })),
        };
      },
    }),
  };
}
