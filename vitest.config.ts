import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/redis-server.ts", "test/setup/code-runner.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
