// Page 5, lessons: guided scenarios on the real engine (#/lessons?id=…). Each step shows its call as the `aws`
// command to copy, runs it with the signed-in keys, and says from the answer whether its goal is met; the lesson is
// complete when every step has passed. Progress lives in the page: opening a lesson again starts it afresh.
import { ApiError, type Client } from "../api/client.js";
import { text } from "../api/xml.js";
import { cliCommand } from "../lessons/cli-command.js";
import { hypervisorKinds, noisyNeighbour, preCopyPostCopy } from "../lessons/hosts.js";
import { type Lesson, LessonState, type LessonStep, type StepOutcome } from "../lessons/lesson.js";
import { pvToNitro, repairForNitro } from "../lessons/to-nitro.js";
import type { Page } from "../main.js";
import { errorBox, h, replaceChildren } from "../ui/dom.js";
import { statusBadge } from "../ui/status.js";

export const lessons: readonly Lesson[] = [pvToNitro, repairForNitro, preCopyPostCopy, noisyNeighbour, hypervisorKinds];

export const lessonsPage: Page = {
  title: "Lessons",
  render(main, { client }) {
    const id = new URLSearchParams(location.hash.split("?")[1] ?? "").get("id");
    const lesson = lessons.find((candidate) => candidate.id === id);
    if (!lesson) {
      replaceChildren(
        main,
        h("h2", {}, "Lessons"),
        h("p", { class: "intro" }, "Guided scenarios on the real engine: each step is one API call, shown as the aws command that makes it."),
        h("ol", {}, ...lessons.map((l) => h("li", {}, h("a", { href: `#/lessons?id=${l.id}` }, l.title), h("p", {}, l.intro)))),
      );
      return undefined;
    }
    void runLesson(main, client, lesson);
    return undefined;
  },
};

async function runLesson(main: HTMLElement, client: Client, lesson: Lesson): Promise<void> {
  const state = new LessonState();
  const outcomes: Array<StepOutcome | undefined> = lesson.steps.map(() => undefined);
  const list = h("ol", { class: "lesson-steps" });
  const completion = h("div", { role: "status", class: "lesson-completion" });
  replaceChildren(
    main,
    h("p", {}, h("a", { href: "#/lessons" }, "All lessons")),
    h("h2", {}, lesson.title),
    h("p", { class: "intro" }, lesson.intro),
    list,
    completion,
  );
  try {
    await findImages(client, lesson, state);
  } catch (error) {
    replaceChildren(completion, errorBox(error));
    return;
  }
  let judged = 0;
  const current = () => outcomes.findIndex((outcome) => !outcome?.passed);
  const draw = async (focusIndex?: number) => {
    const next = current();
    const items = await Promise.all(lesson.steps.map((step, index) => stepItem(step, index, outcomes[index], index === next, state, client, run)));
    replaceChildren(list, ...items);
    if (next === -1) {
      completion.dataset.complete = "true";
      replaceChildren(completion, h("p", { class: "lesson-complete" }, statusBadge("completed"), ` Lesson complete. ${lesson.conclusion}`));
    }
    if (focusIndex !== undefined) list.querySelectorAll<HTMLElement>("li.lesson-step")[focusIndex]?.focus();
  };
  const run = async (index: number) => {
    const step = lesson.steps[index]!;
    try {
      const request = await step.request(state, client);
      const answer = await client.call(request.api, request.action, request.params);
      outcomes[index] = step.expectError
        ? { passed: false, message: `The call was accepted, but this step expects ${step.expectError}.` }
        : (step.check?.(answer, state) ?? { passed: true, message: "Done." });
    } catch (error) {
      outcomes[index] =
        step.expectError && error instanceof ApiError && error.code === step.expectError
          ? { passed: true, message: `Refused as expected: ${error.code}: ${error.message}` }
          : { passed: false, message: `${error instanceof ApiError ? `${error.code}: ` : ""}${error instanceof Error ? error.message : String(error)}` };
    }
    await draw(outcomes[index]?.passed ? Math.min(index + 1, lesson.steps.length - 1) : index);
    // How many answers were judged: lets a reader (a test, a screen reader's user) know the list was redrawn.
    list.dataset.judged = String(++judged);
  };
  await draw();
}

/** The lesson's Amazon images, by name, into its state. */
async function findImages(client: Client, lesson: Lesson, state: LessonState): Promise<void> {
  const names = Object.values(lesson.images);
  if (names.length === 0) return;
  const answer = await client.call("ec2", "DescribeImages", { Owner: ["amazon"], Filter: [{ Name: "name", Value: names }] });
  const found = new Map(
    (Array.isArray(answer.imagesSet) ? answer.imagesSet : []).map((image) => [
      text((image as Record<string, string>).name),
      text((image as Record<string, string>).imageId),
    ]),
  );
  for (const [key, name] of Object.entries(lesson.images)) {
    const imageId = found.get(name);
    if (!imageId) throw new Error(`The Amazon image "${name}" this lesson uses is not in the catalog.`);
    state.set(key, imageId);
  }
}

async function stepItem(
  step: LessonStep,
  index: number,
  outcome: StepOutcome | undefined,
  isNext: boolean,
  state: LessonState,
  client: Client,
  run: (index: number) => Promise<void>,
): Promise<HTMLElement> {
  // Later steps show the ids they will use as <placeholders> until the steps that find them have run.
  const request = await step.request(state, client);
  const command = cliCommand(request, location.origin);
  const stepState = outcome?.passed ? "passed" : outcome ? "not-yet" : isNext ? "to-do" : "waiting";
  const badge = outcome?.passed
    ? statusBadge("passed")
    : outcome
      ? statusBadge("not yet", "bad")
      : statusBadge(isNext ? "next" : "waiting", isNext ? "busy" : "idle");
  return h(
    "li",
    { class: "lesson-step", "data-state": stepState, tabindex: -1 },
    h("h3", {}, badge, ` ${index + 1}. ${step.title}`),
    h("p", {}, step.explain),
    h("pre", { class: "cli" }, h("code", {}, command)),
    h(
      "div",
      { class: "step-actions" },
      h(
        "button",
        {
          type: "button",
          onclick: () => void navigator.clipboard?.writeText(command).catch(() => undefined),
          "aria-label": `Copy the command of step ${index + 1}`,
        },
        "Copy command",
      ),
      " ",
      h(
        "button",
        {
          type: "button",
          disabled: !isNext && !(outcome && !outcome.passed),
          onclick: (event: Event) => (((event.target as HTMLButtonElement).disabled = true), void run(index)),
        },
        outcome && !outcome.passed ? `Run step ${index + 1} again` : `Run step ${index + 1}`,
      ),
    ),
    outcome ? h("p", { class: outcome.passed ? "outcome passed" : "outcome error", role: outcome.passed ? undefined : "alert" }, outcome.message) : undefined,
  );
}
