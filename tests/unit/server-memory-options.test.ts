import { describe, expect, it } from "vitest";
import { PGLITE_MEMORY_SETTINGS, pgliteStartParams } from "@/db/pglite";
import { DEFAULT_MAX_OLD_SPACE_MB, serverNodeOptions } from "../../scripts/server-node-options.mjs";

describe("server Node options", () => {
  it("adds the heap ceiling when NODE_OPTIONS has none, keeping the operator's other flags", () => {
    expect(serverNodeOptions({})).toBe(`--max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`);
    expect(serverNodeOptions({ NODE_OPTIONS: "--enable-source-maps" })).toBe(`--enable-source-maps --max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`);
  });

  it("leaves an operator's own ceiling alone (either spelling)", () => {
    expect(serverNodeOptions({ NODE_OPTIONS: "--max-old-space-size=2048" })).toBe("--max-old-space-size=2048");
    expect(serverNodeOptions({ NODE_OPTIONS: "--max_old_space_size=1024 --trace-gc" })).toBe("--max_old_space_size=1024 --trace-gc");
  });
});

describe("PGlite start parameters", () => {
  const defaults = ["--single", "-c", "search_path=public"];

  it("keeps PGlite's defaults and adds the memory settings", () => {
    const params = pgliteStartParams(defaults, {});
    expect(params.slice(0, defaults.length)).toEqual(defaults);
    for (const [name, value] of Object.entries(PGLITE_MEMORY_SETTINGS)) expect(params).toContain(`${name}=${value}`);
  });

  it("lets PGLITE_SETTINGS override a setting and add others (the last -c wins in PostgreSQL)", () => {
    const params = pgliteStartParams(defaults, { PGLITE_SETTINGS: "shared_buffers=256MB, work_mem=8MB,effective_cache_size=1GB" });
    expect(params.filter((p) => p.startsWith("shared_buffers="))).toEqual(["shared_buffers=256MB"]);
    expect(params).toContain("work_mem=8MB");
    expect(params).toContain("effective_cache_size=1GB");
  });

  it("refuses a malformed entry instead of passing it to PostgreSQL", () => {
    expect(() => pgliteStartParams(defaults, { PGLITE_SETTINGS: "shared_buffers" })).toThrow(/PGLITE_SETTINGS/);
    expect(() => pgliteStartParams(defaults, { PGLITE_SETTINGS: "shared_buffers=1MB; drop" })).toThrow(/PGLITE_SETTINGS/);
    expect(() => pgliteStartParams(defaults, { PGLITE_SETTINGS: "-D=/etc" })).toThrow(/PGLITE_SETTINGS/);
  });
});
