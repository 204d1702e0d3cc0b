// The workflows page's data: PV to HVM conversions and Xen to Nitro migrations (both durable workflows with steps),
// and the PV images a conversion can start from.
import type { Client } from "../api/client.js";
import { items, strings, text, type XmlObject } from "../api/xml.js";

export interface WorkflowStep {
  name: string;
  description: string;
  state: string;
  attempts: string;
  artifacts: string[];
  error: string;
  compensation: string;
}

export interface Workflow {
  kind: "conversion" | "nitro-migration";
  id: string;
  title: string;
  state: string;
  statusMessage: string;
  failureReason: string;
  /** The resources it made or works on, beyond each step's artifacts: the new image, the clone, the golden AMI. */
  results: Array<[label: string, id: string]>;
  createTime: string;
  steps: WorkflowStep[];
}

function steps(workflow: XmlObject): WorkflowStep[] {
  return items(workflow.stepSet).map((step) => ({
    name: text(step.name),
    description: text(step.description),
    state: text(step.state),
    attempts: text(step.attempts),
    artifacts: strings(step.artifactSet),
    error: text(step.error),
    compensation: text(step.compensation),
  }));
}

export async function describeWorkflows(client: Client): Promise<Workflow[]> {
  const [conversions, migrations] = await Promise.all([
    client.call("extensions", "DescribeImageConversions"),
    client.call("extensions", "DescribeNitroMigrations"),
  ]);
  const found: Workflow[] = [
    ...items(conversions.imageConversionSet).map(
      (c): Workflow => ({
        kind: "conversion",
        id: text(c.conversionTaskId),
        title: `PV to HVM: ${text(c.sourceImageId)} → "${text(c.name)}"`,
        state: text(c.state),
        statusMessage: text(c.statusMessage),
        failureReason: text(c.failureReason),
        results: [
          ["Source image", text(c.sourceImageId)],
          ["New HVM image", text(c.imageId)],
        ],
        createTime: text(c.createTime),
        steps: steps(c),
      }),
    ),
    ...items(migrations.nitroMigrationSet).map(
      (m): Workflow => ({
        kind: "nitro-migration",
        id: text(m.migrationTaskId),
        title: `Xen to Nitro (${text(m.operationType)}): ${text(m.instanceId)} → ${text(m.targetInstanceType)}`,
        state: text(m.state),
        statusMessage: text(m.statusMessage),
        failureReason: text(m.failureReason),
        results: [
          ["Instance", text(m.instanceId)],
          ["Clone", text(m.cloneInstanceId)],
          ["Golden image", text(m.goldenImageId)],
        ],
        createTime: text(m.createTime),
        steps: steps(m),
      }),
    ),
  ];
  return found.sort((a, b) => b.createTime.localeCompare(a.createTime));
}

/** The PV machine images the caller can convert: Amazon's and its own. */
export async function pvImages(client: Client): Promise<Array<{ imageId: string; name: string }>> {
  const result = await client.call("ec2", "DescribeImages", {
    Owner: ["amazon", "self"],
    Filter: [
      { Name: "virtualization-type", Value: ["paravirtual"] },
      { Name: "image-type", Value: ["machine"] },
      { Name: "state", Value: ["available"] },
    ],
  });
  return items(result.imagesSet)
    .map((image) => ({ imageId: text(image.imageId), name: text(image.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
