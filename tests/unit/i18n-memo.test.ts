import { describe, expect, it } from "vitest";
import { memoText } from "@/lib/i18n/memo";

describe("memoText", () => {
  it("computes each distinct call once and returns the same text as the function", () => {
    let calls = 0;
    const t = Object.assign(
      (key: string, values?: Record<string, unknown>) => {
        calls += 1;
        return `${key}:${JSON.stringify(values ?? {})}`;
      },
      { has: (key: string) => key === "known" },
    );
    const m = memoText(t);
    expect(m("ownedBy", { name: "Ana" })).toBe(t("ownedBy", { name: "Ana" }));
    calls = 0;
    for (let i = 0; i < 50; i++) m("ownedBy", { name: "Ana" });
    m("ownedBy", { name: "Bo" });
    m("expectedClose");
    m("expectedClose");
    expect(calls).toBe(2); // "Bo" and "expectedClose"; "Ana" was remembered from the first call
    expect(m.has("known")).toBe(true); // a translator's own methods are carried over
  });

  it("tells dates apart by their instant, and stops remembering past its limit (still correct)", () => {
    let calls = 0;
    const format = (d: Date, o: { timeZone: string }) => {
      calls += 1;
      return `${d.toISOString()} ${o.timeZone}`;
    };
    const m = memoText(format, 2);
    expect(m(new Date("2026-05-03T00:00:00Z"), { timeZone: "UTC" })).toBe("2026-05-03T00:00:00.000Z UTC");
    expect(m(new Date("2026-05-04T00:00:00Z"), { timeZone: "UTC" })).toBe("2026-05-04T00:00:00.000Z UTC");
    expect(m(new Date("2026-05-05T00:00:00Z"), { timeZone: "UTC" })).toBe("2026-05-05T00:00:00.000Z UTC");
    expect(m(new Date("2026-05-05T00:00:00Z"), { timeZone: "UTC" })).toBe("2026-05-05T00:00:00.000Z UTC");
    expect(calls).toBe(4); // the third date came after the limit: computed each time
    m(new Date("2026-05-03T00:00:00Z"), { timeZone: "UTC" });
    expect(calls).toBe(4);
  });
});
