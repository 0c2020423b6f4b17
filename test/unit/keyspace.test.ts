import { describe, expect, it } from "vitest";
import { parseKeyspace, renderKeyspaceChange } from "../../src/render/keyspace.js";
import { makeStyle } from "../../src/render/style.js";

const INFO = "# Keyspace\r\ndb0:keys=3002,expires=1,avg_ttl=0\r\ndb5:keys=7,expires=0,avg_ttl=0\r\n";

describe("FLUSHDB, FLUSHALL and SWAPDB: keys per database before and after", () => {
  it("reads INFO keyspace", () => {
    expect([...parseKeyspace(INFO)]).toEqual([[0, 3002], [5, 7]]);
    expect(parseKeyspace("# Keyspace\r\n").size).toBe(0);
  });

  it.each<[string, string, string, string]>([
    ["FLUSHALL", INFO, "# Keyspace\r\n", "Keys per database, before → after: db0 3,002 → 0, db5 7 → 0"],
    ["FLUSHDB in db 5", INFO, "db0:keys=3002,expires=1,avg_ttl=0\r\n", "Keys per database, before → after: db0 3,002 → 3,002, db5 7 → 0"],
    ["SWAPDB 0 5", INFO, "db0:keys=7,expires=0,avg_ttl=0\r\ndb5:keys=3002,expires=1,avg_ttl=0\r\n", "Keys per database, before → after: db0 3,002 → 7, db5 7 → 3,002"],
    ["on an empty server", "", "", "Keys per database: none before, none after."],
  ])("%s", (_, before, after, text) => {
    expect(renderKeyspaceChange(parseKeyspace(before), parseKeyspace(after), makeStyle(false))).toBe(text);
  });
});
