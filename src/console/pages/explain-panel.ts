// A cell's explanation: ExplainLaunch on the pair, rule by rule (what was found, why the rule exists, the fix and
// EC2's error), and a button that runs RunInstances there, so the learner sees EC2 accept or refuse it.
import type { Client } from "../api/client.js";
import { items, strings, text, type XmlObject } from "../api/xml.js";
import { errorBox, h, replaceChildren } from "../ui/dom.js";

const outcomes: Record<string, { icon: string; word: string }> = {
  passed: { icon: "✓", word: "passed" },
  failed: { icon: "✕", word: "failed" },
  warning: { icon: "!", word: "warning" },
  skipped: { icon: "–", word: "does not apply" },
};

export async function showExplanation(
  panel: HTMLElement,
  client: Client,
  imageId: string,
  imageName: string,
  instanceType: string,
  zone: string,
): Promise<void> {
  replaceChildren(panel, h("p", {}, `Explaining ${imageName} on ${instanceType}…`));
  let result: XmlObject;
  try {
    result = await client.call("extensions", "ExplainLaunch", { ImageId: imageId, InstanceType: instanceType, AvailabilityZone: zone || undefined });
  } catch (error) {
    replaceChildren(panel, errorBox(error));
    return;
  }
  const launchable = text(result.launchable) === "true";
  const wouldBoot = text(result.wouldBoot) === "true";
  const checks = items(result.checkSet);
  // The rules that decide come first; the ones that passed or do not apply are folded away below them.
  const deciding = checks.filter((c) => text(c.outcome) === "failed" || text(c.outcome) === "warning");
  const others = checks.filter((c) => !deciding.includes(c));
  const outcome = h("div", { class: "launch-outcome", "aria-live": "polite" });
  const launch = h(
    "button",
    { type: "button", class: "launch", onclick: () => void runInstance(client, outcome, imageId, instanceType, zone) },
    launchable ? `Launch ${instanceType} here` : `Try RunInstances anyway (EC2 refuses it)`,
  );
  replaceChildren(
    panel,
    h("h2", { id: "explanation-title" }, `${imageName} on ${instanceType}`),
    h("p", { class: "ids" }, h("code", {}, imageId), zone ? ` in ${zone}` : " in any zone of the region"),
    h(
      "p",
      { class: `summary ${launchable ? (wouldBoot ? "runs" : "no-boot") : "refused"}` },
      launchable
        ? wouldBoot
          ? "✓ RunInstances accepts it and the guest boots."
          : "! RunInstances accepts it, but the guest would fail to boot."
        : "✕ RunInstances refuses it.",
    ),
    deciding.length ? h("ol", { class: "checks deciding" }, ...deciding.map(checkItem)) : h("p", {}, "No rule fails and no boot-time check warns."),
    h("p", {}, launch),
    outcome,
    h("details", {}, h("summary", {}, `The other ${others.length} rules (passed or not applicable)`), h("ol", { class: "checks" }, ...others.map(checkItem))),
  );
  launch.focus();
}

function checkItem(check: XmlObject): HTMLElement {
  const kind = text(check.outcome);
  const label = outcomes[kind] ?? { icon: "?", word: kind };
  const fix = text(check.fix);
  const errorCode = text(check.errorCode);
  const enforcedAt = strings(check.enforcedAtSet);
  return h(
    "li",
    { class: `check ${kind}`, "data-rule-id": text(check.ruleId), "data-outcome": kind },
    h("span", { class: "badge", "aria-hidden": "true" }, label.icon),
    " ",
    h("strong", {}, text(check.title)),
    ` — ${label.word} `,
    h("code", { class: "rule-id" }, text(check.ruleId)),
    h("p", { class: "reason" }, text(check.reason)),
    fix && kind !== "passed" ? h("p", { class: "fix" }, h("strong", {}, "Fix: "), fix) : undefined,
    errorCode && kind === "failed" ? h("p", { class: "ec2-error" }, "EC2 answers ", h("code", {}, errorCode), `: ${text(check.errorMessage)}`) : undefined,
    h(
      "details",
      {},
      h("summary", {}, "Why this rule exists"),
      h("p", {}, text(check.explanation)),
      enforcedAt.length
        ? h("p", {}, `Enforced at ${enforcedAt.join(", ")}.`)
        : h("p", {}, "Checked at boot: EC2 launches the instance, and its status checks fail."),
    ),
  );
}

async function runInstance(client: Client, outcome: HTMLElement, imageId: string, instanceType: string, zone: string): Promise<void> {
  replaceChildren(outcome, "Calling RunInstances…");
  try {
    const result = await client.call("ec2", "RunInstances", {
      ImageId: imageId,
      InstanceType: instanceType,
      MinCount: 1,
      MaxCount: 1,
      ...(zone ? { Placement: { AvailabilityZone: zone } } : {}),
    });
    const [instance] = items(result.instancesSet);
    const instanceId = text(instance?.instanceId);
    const placedIn = text((instance?.placement as XmlObject | undefined)?.availabilityZone);
    replaceChildren(
      outcome,
      h(
        "p",
        { class: "launched", role: "status" },
        "✓ Launched ",
        h("code", {}, instanceId),
        ` in ${placedIn}. `,
        h("a", { href: `#/fleet?instance=${encodeURIComponent(instanceId)}` }, "See it on its server in the fleet"),
      ),
    );
  } catch (error) {
    replaceChildren(outcome, errorBox(error));
  }
}
