import { describe, expect, it } from "vitest";
import { defaultsFor, workspaceDefaults } from "@/lib/pipelines/defaults";

describe("workspace defaults per language", () => {
  it("are the same pipeline in every language: stages, probabilities, rotting days and list lengths match English", () => {
    const en = workspaceDefaults.en;
    for (const d of Object.values(workspaceDefaults)) {
      expect(d.stages.map((s) => [s.probability, s.rottingDays])).toEqual(en.stages.map((s) => [s.probability, s.rottingDays]));
      expect([d.dealSources.length, d.lostReasons.length]).toEqual([en.dealSources.length, en.lostReasons.length]);
      // Names are unique within each list (stages and pick-list labels are chosen by name).
      for (const names of [d.stages.map((s) => s.name), d.dealSources, d.lostReasons]) expect(new Set(names).size).toBe(names.length);
    }
  });

  it("picks Simplified Chinese for zh-CN and English for anything else", () => {
    expect(defaultsFor("zh-CN").pipelineName).toBe("销售管道");
    for (const locale of ["en", null, undefined, "fr"]) expect(defaultsFor(locale)).toBe(workspaceDefaults.en);
  });
});
