// A test's own small fleet: config/fleet.json's shape written to a temporary file, for MINI_EC2_FLEET_FILE.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function writeFleetFile(fleet: object): string {
  const file = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(file, JSON.stringify(fleet));
  return file;
}
