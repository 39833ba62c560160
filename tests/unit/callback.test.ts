import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback";

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallbackPath("/w/acme/deals?status=won")).toBe("/w/acme/deals?status=won");
    expect(safeCallbackPath("/invite/abc")).toBe("/invite/abc");
  });
  it("refuses anything that could leave the site", () => {
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example", "javascript:alert(1)", "", null, 42, "evil"]) {
      expect(safeCallbackPath(bad)).toBe("/");
    }
  });
});
