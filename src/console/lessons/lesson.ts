// A lesson: steps that each make one API call on the real engine, show it as the `aws` command that makes the same
// call, and check from the answer whether the step's goal is met. Steps pass in order; the lesson checks its own
// completion (every step passed). A step that is not met yet (a workflow still running, an instance still
// stopping) is run again, after the learner moves the virtual clock if the engine is waiting on it.
import type { Api, Client, Param } from "../api/client.js";
import type { XmlObject } from "../api/xml.js";

export interface StepRequest {
  api: Api;
  action: string;
  params: Record<string, Param>;
}

/** What earlier steps found (ids, figures), by name; a name not found yet reads as a placeholder. */
export class LessonState {
  private readonly values = new Map<string, string>();
  get(name: string): string {
    return this.values.get(name) ?? `<${name}>`;
  }
  has(name: string): boolean {
    return this.values.has(name);
  }
  set(name: string, value: string): void {
    this.values.set(name, value);
  }
}

export interface StepOutcome {
  passed: boolean;
  /** What the answer shows, in words: why the step passed, or what is still missing. */
  message: string;
}

export interface LessonStep {
  title: string;
  explain: string;
  request(state: LessonState, client: Client): StepRequest | Promise<StepRequest>;
  /** Judges the answer; when the call is meant to be refused, `expectError` names EC2's code and `check` is skipped. */
  check?(answer: XmlObject, state: LessonState): StepOutcome;
  expectError?: string;
}

export interface Lesson {
  id: string;
  title: string;
  intro: string;
  /** Amazon images the lesson uses, looked up by name when it opens: state names to image names. */
  images: Record<string, string>;
  steps: LessonStep[];
  /** What the learner has seen, said once every step has passed. */
  conclusion: string;
}

export const passed = (message: string): StepOutcome => ({ passed: true, message });
export const notYet = (message: string): StepOutcome => ({ passed: false, message });
