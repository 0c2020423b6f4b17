import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import { samePrediction } from "../quiz/goals.js";
import type { Step, StepPrediction } from "./schema.js";

/**
 * A step's `predict:` (pure): the question asked before its command runs. Its answer is
 * the step's `expect`, which `check` verifies on a real server, so the right choice is
 * verified too.
 */
export interface PredictParseTools {
  at(node: Node | undefined | null, field: string, message: string): void;
  checkFields(map: YAMLMap, allowed: readonly string[], prefix: string): void;
  position(node: Node): { line: number; column: number };
}

const PREDICT_FIELDS = ["question", "choices", "why"] as const;
export const DEFAULT_PREDICT_QUESTION = "What will Redis reply?";
const MIN_CHOICES = 2;
const MAX_CHOICES = 5;

/** `step` is the step as parsed so far (run, expect, blocks, receive). */
export function parsePrediction(node: Node, field: string, step: Pick<Step, "run" | "blocks" | "receive">, t: PredictParseTools): StepPrediction | undefined {
  if (!isMap(node)) {
    t.at(node, field, "must be a mapping with `why:` and, optionally, `question:` and `choices:`");
    return undefined;
  }
  t.checkFields(node, PREDICT_FIELDS, field);
  const text = (key: string): string | undefined => {
    const v = node.get(key, true) as Node | undefined;
    if (v === undefined) return undefined;
    if (!isScalar(v) || typeof v.value !== "string" || !v.value.trim()) {
      t.at(v, `${field}.${key}`, "must be text");
      return undefined;
    }
    return v.value.replace(/\n+$/, "");
  };
  let ok = true;
  if (step.blocks || step.receive) {
    t.at(node, field, `a ${step.blocks ? "blocking" : "`receive`"} step cannot ask for a prediction: put \`predict\` on a step that runs one command with \`expect\``);
    ok = false;
  } else if (step.run.length !== 1) {
    t.at(node, field, `a prediction needs a step with exactly one \`run\` command (this one has ${step.run.length}): split the step`);
    ok = false;
  }
  const expected = step.run.length === 1 ? step.run[0]?.expect : undefined;
  if (ok && expected === undefined) {
    t.at(node, field, "the step needs an `expect:`: it is the right answer, and check verifies it on a server");
    ok = false;
  }
  const question = text("question") ?? DEFAULT_PREDICT_QUESTION;
  const why = text("why");
  if (node.get("why", true) === undefined) {
    t.at(node, `${field}.why`, "missing: add `why:`, shown after a wrong guess to explain the reply");
    ok = false;
  } else if (why === undefined) ok = false;

  let choices: string[] | undefined;
  const choicesNode = node.get("choices", true) as Node | undefined;
  if (choicesNode !== undefined) {
    choices = readChoices(choicesNode, `${field}.choices`, expected, t);
    if (!choices) ok = false;
  }
  if (!ok || why === undefined) return undefined;
  const pos = t.position(node);
  return { question, why, ...(choices && { choices }), line: pos.line, column: pos.column };
}

function readChoices(node: Node, field: string, expected: string | undefined, t: PredictParseTools): string[] | undefined {
  if (!isSeq(node) || node.items.length < MIN_CHOICES || node.items.length > MAX_CHOICES) {
    t.at(node, field, `must be a list of ${MIN_CHOICES} to ${MAX_CHOICES} replies as redis-cli prints them, one of them the same as \`expect\``);
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  node.items.forEach((item, i) => {
    if (!isScalar(item) || (typeof item.value !== "string" && typeof item.value !== "number") || !String(item.value).trim()) {
      t.at(item as Node, `${field}[${i}]`, "must be a reply as redis-cli prints it, e.g. (integer) 2 or '\"text\"'");
      ok = false;
      return;
    }
    const value = String(item.value).replace(/\n+$/, "");
    const twin = out.findIndex((o) => samePrediction(o, value));
    if (twin >= 0) {
      t.at(item as Node, `${field}[${i}]`, `says the same as choices[${twin}]: make each choice a different reply`);
      ok = false;
    }
    out.push(value);
  });
  if (!ok || expected === undefined) return ok ? out : undefined;
  const right = out.filter((c) => samePrediction(c, expected)).length;
  if (right !== 1) {
    t.at(node, field, right === 0 ? `none of the choices is the step's \`expect\` (${JSON.stringify(expected)}): add it as one choice` : "more than one choice is the step's `expect`");
    return undefined;
  }
  return out;
}
