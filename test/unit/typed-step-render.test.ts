import { describe, expect, it } from "vitest";
import { parseLesson } from "../../src/lessons/parse.js";
import type { Lesson } from "../../src/lessons/schema.js";
import { makeStyle } from "../../src/render/style.js";
import { renderCovered, renderHint, renderNextCommands, renderPredictionQuestion, renderStepIntro, renderVerdict, typedPrompt } from "../../src/render/typed-step.js";

const style = makeStyle(false);

function lesson(): Lesson {
  const r = parseLesson(
    `id: demo
title: Demo
summary: S.
keys: [k]
steps:
  - title: Push two
    explain: Pushes.
    run: [RPUSH k a, RPUSH k b]
  - title: Guess the length
    explain: Counts.
    run: LLEN k
    expect: (integer) 2
    predict:
      choices: ['(integer) 1', '(integer) 2']
      why: Two pushes, one element each.
  - title: Wait
    explain: B waits.
    client: B
    run: BLPOP k 0
    blocks: true
  - title: Woken
    explain: B gets it.
    client: B
    receive: true
quiz:
  - {id: q, kind: choose, question: Q, choices: [{text: a, correct: true, why: w}, {text: b, why: w}]}
`,
    "demo.yaml",
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.lesson;
}

describe("what a typed lesson shows", () => {
  const l = lesson();

  it.each<[number, string]>([
    [0, "step 1/4 A> "],
    [2, "step 3/4 B> "],
  ])("the prompt of step %i names the client: %s", (index, prompt) => {
    expect(typedPrompt(l, index)).toBe(prompt);
  });

  it.each<[number, RegExp]>([
    [0, /Step 1\/4 · Push two ─+\n\nPushes\.\n\nType as client A, one at a time:\n {2}RPUSH k a\n {2}RPUSH k b\n$/],
    [2, /Type as client B:\n {2}BLPOP k 0\n$/],
    [3, /Press Enter to see what client B's BLPOP k 0 returns\.\n$/],
  ])("step %i's introduction", (index, shape) => {
    expect(renderStepIntro(l, index, style)).toMatch(shape);
  });

  it("a hint names the next command and never the predicted reply", () => {
    expect(renderHint(l.steps[0]!, 1, style)).toBe("Type (command 2 of 2): RPUSH k b — or press Enter and it runs for you.");
    const hint = renderHint(l.steps[1]!, 0, style, 200);
    expect(hint).toContain("LLEN k");
    expect(hint).toContain("asked to predict");
    expect(hint).not.toContain("(integer) 2");
  });

  it("choices are numbered in the order given, lines of a multi-line reply indented", () => {
    const p = l.steps[1]!.predict!;
    expect(renderPredictionQuestion(p, ["(integer) 2", '1) "a"\n2) "b"'], style)).toBe(
      'Predict: What will Redis reply?\n  1. (integer) 2\n  2. 1) "a"\n     2) "b"\nPress the number of your answer (1-2).',
    );
    expect(renderPredictionQuestion(p, undefined, style)).toMatch(/^Predict: What will Redis reply\?\nType the reply you expect/);
    expect(renderVerdict(true, p, style)).toBe("✓ right");
    expect(renderVerdict(false, p, style)).toBe("✗ Two pushes, one element each.");
  });

  it("the end lists the steps, wrapped at word boundaries", () => {
    expect(renderCovered(l, style)).toBe("Covered: Push two · Guess the length · Wait · Woken");
    expect(renderCovered(l, style, 30)).toBe("Covered: Push two ·\n         Guess the length ·\n         Wait · Woken");
  });

  it.each<[string | undefined, string]>([
    ["lists", "Next:\n  redis-learn quiz demo      (check what you learned)\n  redis-learn lesson lists"],
    [undefined, "Next:\n  redis-learn quiz demo      (check what you learned)"],
  ])("off a terminal, the commands to run next (next lesson %s)", (next, text) => {
    expect(renderNextCommands(l, next)).toBe(text);
  });
});
