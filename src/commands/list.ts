import { lessonSummaries } from "../lessons/load.js";
import { colorEnabled } from "../render/color.js";
import { lessonListText } from "../render/lesson-list.js";

/** `redis-learn list`: every lesson as a table. Needs no server. (Usually answered by the launcher, bin.ts, before this loads.) */
export async function listCommand(): Promise<void> {
  process.stdout.write(lessonListText(await lessonSummaries(), colorEnabled(process.stdout)));
}
