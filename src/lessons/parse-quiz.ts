import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import type { CommandLine, CommandRule, Goal, QuizQuestion, WrongWay } from "./schema.js";

/** What parse.ts lends the quiz parser: where nodes are, and how to read a command line. */
export interface QuizParseTools {
  at(node: Node | undefined | null, field: string, message: string): void;
  checkFields(map: YAMLMap, allowed: readonly string[], prefix: string): void;
  command(node: Node, field: string): CommandLine | undefined;
  position(node: Node): { line: number; column: number };
}

const COMMON = ["id", "kind", "title", "explain"];
const FIELDS: Record<string, string[]> = {
  choose: [...COMMON, "question", "choices"],
  predict: [...COMMON, "question", "setup", "show", "ask", "expect"],
  do: [...COMMON, "task", "setup", "goal", "hint", "solution", "require", "forbid", "writes", "wrong"],
};
const GOAL_KINDS = ["equals", "list", "hash", "absent", "ttl", "type"];
const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function parseQuiz(node: Node, t: QuizParseTools): QuizQuestion[] {
  if (!isSeq(node)) {
    t.at(node, "quiz", "must be a list of questions");
    return [];
  }
  const out: QuizQuestion[] = [];
  const ids = new Set<string>();
  node.items.forEach((item, i) => {
    const q = parseQuestion(item as Node, `quiz[${i}]`, t);
    if (!q) return;
    if (ids.has(q.id)) t.at(item as Node, `quiz[${i}].id`, `"${q.id}" is used by an earlier question: ids must be unique`);
    ids.add(q.id);
    out.push(q);
  });
  return out;
}

function parseQuestion(node: Node, field: string, t: QuizParseTools): QuizQuestion | undefined {
  if (!isMap(node)) {
    t.at(node, field, "a question is a mapping with id, kind and its fields");
    return undefined;
  }
  const text = (key: string, required: boolean): string | undefined => {
    const v = node.get(key, true) as Node | undefined;
    if (v === undefined) {
      if (required) t.at(node, `${field}.${key}`, `missing: add \`${key}:\``);
      return undefined;
    }
    if (!isScalar(v) || typeof v.value !== "string" || !v.value.trim()) {
      t.at(v, `${field}.${key}`, "must be text");
      return undefined;
    }
    return v.value.replace(/\n+$/, "");
  };
  const commands = (key: string, required: boolean): CommandLine[] => {
    const v = node.get(key, true) as Node | undefined;
    if (v === undefined) {
      if (required) t.at(node, `${field}.${key}`, `missing: add \`${key}:\` with a list of commands`);
      return [];
    }
    const items = isSeq(v) ? (v.items as Node[]) : [v];
    return items.flatMap((item, i) => t.command(item, isSeq(v) ? `${field}.${key}[${i}]` : `${field}.${key}`) ?? []);
  };

  const id = text("id", true);
  if (id !== undefined && !ID_PATTERN.test(id)) t.at(node.get("id", true) as Node, `${field}.id`, "use lower-case letters, digits and dashes");
  const kind = text("kind", true);
  if (kind !== undefined && !FIELDS[kind]) {
    t.at(node.get("kind", true) as Node, `${field}.kind`, "must be choose, predict or do");
    return undefined;
  }
  if (kind === undefined || id === undefined) return undefined;
  t.checkFields(node, FIELDS[kind] as string[], field);
  const explain = text("explain", kind === "predict");
  const title = text("title", false);
  const base = { id, ...t.position(node), ...(explain !== undefined && { explain }), ...(title !== undefined && { title }) };

  if (kind === "choose") {
    const question = text("question", true);
    const choicesNode = node.get("choices", true) as Node | undefined;
    const choices: { text: string; correct: boolean; why: string }[] = [];
    if (!choicesNode || !isSeq(choicesNode) || choicesNode.items.length < 2 || choicesNode.items.length > 5) {
      t.at(choicesNode ?? node, `${field}.choices`, "give 2 to 5 choices, each with text, why and (for one of them) correct: true");
    } else {
      choicesNode.items.forEach((c, i) => {
        const cf = `${field}.choices[${i}]`;
        if (!isMap(c)) return t.at(c as Node, cf, "a choice is a mapping with text and why");
        t.checkFields(c, ["text", "correct", "why"], cf);
        const textNode = c.get("text", true) as Node | undefined;
        const whyNode = c.get("why", true) as Node | undefined;
        const correct = c.get("correct");
        if (!textNode || !isScalar(textNode) || String(textNode.value ?? "").trim() === "") return t.at(c, `${cf}.text`, "missing: the choice as shown");
        if (!whyNode || !isScalar(whyNode) || typeof whyNode.value !== "string") return t.at(c, `${cf}.why`, "missing: why this choice is right or wrong");
        if (correct !== undefined && typeof correct !== "boolean") return t.at(c.get("correct", true) as Node, `${cf}.correct`, "must be true or false");
        choices.push({ text: String(textNode.value), correct: correct === true, why: whyNode.value.replace(/\n+$/, "") });
      });
      if (choices.length === choicesNode.items.length && choices.filter((c) => c.correct).length !== 1) {
        t.at(choicesNode, `${field}.choices`, "exactly one choice must have correct: true");
      }
    }
    if (question === undefined) return undefined;
    return { ...base, kind, question, choices };
  }

  if (kind === "predict") {
    const question = text("question", true);
    const setup = commands("setup", false);
    const show = commands("show", false);
    const askNode = node.get("ask", true) as Node | undefined;
    const ask = askNode ? t.command(askNode, `${field}.ask`) : (t.at(node, `${field}.ask`, "missing: add `ask:` with the command whose reply is predicted"), undefined);
    const expectNode = node.get("expect", true) as Node | undefined;
    let expect: string | undefined;
    if (!expectNode) t.at(node, `${field}.expect`, "missing: the reply as redis-cli prints it");
    else if (!isScalar(expectNode) || typeof expectNode.value !== "string") t.at(expectNode, `${field}.expect`, "must be the reply as redis-cli prints it, in quotes if it starts with a quote");
    else expect = expectNode.value.replace(/\n+$/, "");
    if (question === undefined || ask === undefined || expect === undefined || explain === undefined) return undefined;
    return { ...base, kind, question, setup, show, ask, expect, explain };
  }

  const task = text("task", true);
  const hint = text("hint", true);
  const setup = commands("setup", false);
  const solution = commands("solution", true);
  const goalNode = node.get("goal", true) as Node | undefined;
  const goal: Goal[] = [];
  if (!goalNode || !isSeq(goalNode) || goalNode.items.length === 0) {
    t.at(goalNode ?? node, `${field}.goal`, "give at least one check, e.g. - {key: bike:1, equals: Deimos}");
  } else {
    goalNode.items.forEach((g, i) => {
      const parsed = parseGoal(g as Node, `${field}.goal[${i}]`, t);
      if (parsed) goal.push(parsed);
    });
  }
  const require = parseRules(node.get("require", true) as Node | undefined, `${field}.require`, t);
  const forbid = parseRules(node.get("forbid", true) as Node | undefined, `${field}.forbid`, t);
  const writes = parseRules(node.get("writes", true) as Node | undefined, `${field}.writes`, t);
  const wrong = parseWrong(node, field, t);
  if (task === undefined || hint === undefined || !solution.length || !goal.length || !wrong.length) return undefined;
  return { ...base, kind: "do", task, setup, goal, hint, solution, require, forbid, writes, wrong };
}

const RULE_EXAMPLE = "e.g. - {command: [INCR, INCRBY], why: ...} or - {command: SET, without: NX, why: ...}";

/** `require:` / `forbid:` / `writes:`: a list of rules, each naming commands, optional with/without words, and why. */
function parseRules(node: Node | undefined, field: string, t: QuizParseTools): CommandRule[] {
  if (node === undefined) return [];
  if (!isSeq(node)) {
    t.at(node, field, `must be a list of rules, ${RULE_EXAMPLE}`);
    return [];
  }
  const rules: CommandRule[] = [];
  node.items.forEach((item, i) => {
    const rf = `${field}[${i}]`;
    if (!isMap(item)) return t.at(item as Node, rf, `a rule is a mapping, ${RULE_EXAMPLE}`);
    t.checkFields(item, ["command", "with", "without", "why"], rf);
    const words = (key: string, required: boolean): string[] | undefined => {
      const v = item.get(key, true) as Node | undefined;
      if (v === undefined) {
        if (required) t.at(item, `${rf}.${key}`, `missing: add \`${key}:\`, ${RULE_EXAMPLE}`);
        return required ? undefined : [];
      }
      const list = isSeq(v) ? (v.items as Node[]) : [v];
      const out = list.map((w) => (isScalar(w) && typeof w.value === "string" && w.value.trim() ? w.value.trim() : undefined));
      if (!list.length || out.some((w) => w === undefined)) {
        t.at(v, `${rf}.${key}`, "must be a word or a list of words, e.g. NX or [INCR, INCRBY]");
        return undefined;
      }
      return out as string[];
    };
    const commands = words("command", true);
    const withWords = words("with", false);
    const withoutWords = words("without", false);
    const whyNode = item.get("why", true) as Node | undefined;
    if (!whyNode || !isScalar(whyNode) || typeof whyNode.value !== "string" || !whyNode.value.trim()) {
      t.at(whyNode ?? item, `${rf}.why`, "missing: say why the task wants or rules out these commands; the learner reads it");
      return;
    }
    if (!commands || !withWords || !withoutWords) return;
    rules.push({ commands, with: withWords, without: withoutWords, why: whyNode.value.trim(), ...t.position(item) });
  });
  return rules;
}

/** `wrong:`: at least one sequence of commands that reaches the goal the wrong way. */
function parseWrong(node: YAMLMap, field: string, t: QuizParseTools): WrongWay[] {
  const v = node.get("wrong", true) as Node | undefined;
  const example = "add `wrong:` with at least one list of commands that reaches the goal a way the task rules out, e.g. - SET counter 15";
  if (v === undefined) {
    t.at(node, `${field}.wrong`, `missing: ${example}`);
    return [];
  }
  if (!isSeq(v) || v.items.length === 0) {
    t.at(v, `${field}.wrong`, example);
    return [];
  }
  const out: WrongWay[] = [];
  (v.items as Node[]).forEach((item, i) => {
    const wf = `${field}.wrong[${i}]`;
    const lines = isSeq(item) ? (item.items as Node[]) : [item];
    if (!lines.length) return t.at(item, wf, "a wrong way needs at least one command");
    const commands = lines.flatMap((c, j) => t.command(c, isSeq(item) ? `${wf}[${j}]` : wf) ?? []);
    if (commands.length === lines.length) out.push({ commands, ...t.position(item) });
  });
  return out;
}

function parseGoal(node: Node, field: string, t: QuizParseTools): Goal | undefined {
  if (!isMap(node)) {
    t.at(node, field, "a check is a mapping: {key: name, equals|list|hash|absent|ttl|type: ...}");
    return undefined;
  }
  t.checkFields(node, ["key", ...GOAL_KINDS], field);
  const keyNode = node.get("key", true) as Node | undefined;
  if (!keyNode || !isScalar(keyNode) || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number")) {
    t.at(keyNode ?? node, `${field}.key`, "missing: which key to check");
    return undefined;
  }
  const key = String(keyNode.value);
  const kinds = GOAL_KINDS.filter((k) => node.has(k));
  if (kinds.length !== 1) {
    t.at(node, field, `give exactly one of ${GOAL_KINDS.join(", ")}`);
    return undefined;
  }
  const kind = kinds[0] as string;
  const value = node.get(kind, true) as Node;
  const { line } = t.position(node);
  const scalarText = (v: Node): string | undefined => (isScalar(v) && v.value !== null && typeof v.value !== "object" ? String(v.value) : undefined);
  switch (kind) {
    case "equals": {
      const v = scalarText(value);
      if (v === undefined) return t.at(value, `${field}.equals`, "must be the string value"), undefined;
      return { key, line, kind, value: v };
    }
    case "list": {
      if (!isSeq(value)) return t.at(value, `${field}.list`, "must be the whole list, head to tail: [a, b, c]"), undefined;
      const items = value.items.map((i) => scalarText(i as Node));
      if (items.some((i) => i === undefined)) return t.at(value, `${field}.list`, "every element must be a plain value"), undefined;
      return { key, line, kind, items: items as string[] };
    }
    case "hash": {
      if (!isMap(value)) return t.at(value, `${field}.hash`, "must be the whole hash: {field: value}"), undefined;
      const fields: Record<string, string> = {};
      for (const p of value.items) fields[String(isScalar(p.key) ? p.key.value : "")] = scalarText(p.value as Node) ?? "";
      return { key, line, kind, fields };
    }
    case "absent":
      if (!isScalar(value) || value.value !== true) return t.at(value, `${field}.absent`, "write absent: true"), undefined;
      return { key, line, kind };
    case "ttl": {
      const range = isSeq(value) ? value.items.map((i) => (isScalar(i) ? Number(i.value) : NaN)) : [];
      if (range.length !== 2 || range.some((n) => !Number.isFinite(n)) || (range[0] as number) > (range[1] as number)) {
        return t.at(value, `${field}.ttl`, "must be [min, max] in seconds, e.g. [50, 100]"), undefined;
      }
      return { key, line, kind, min: range[0] as number, max: range[1] as number };
    }
    default: {
      const v = scalarText(value);
      if (!v || !["string", "list", "hash", "set", "zset", "stream"].includes(v)) {
        return t.at(value, `${field}.type`, "must be string, list, hash, set, zset or stream"), undefined;
      }
      return { key, line, kind: "type", type: v };
    }
  }
}
