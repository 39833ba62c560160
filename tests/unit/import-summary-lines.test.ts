import { describe, expect, it } from "vitest";
import { summaryLines } from "@/app/w/[workspace]/settings/import/_components/status";

/** Echoes the key and its values, so the assertions read which lines a preview or result shows. */
const t = (key: string, values?: Record<string, string | number>) => `${key} ${JSON.stringify(values ?? {})}`;

describe("import summary lines", () => {
  it("previews a contacts import without a line about deals", () => {
    const lines = summaryLines({ contacts: { created: 3, updated: 1 }, companies: { created: 2, updated: 0 } }, t, "preview", "contacts");
    expect(lines).toEqual(['preview.contacts {"created":3,"updated":1}', 'preview.companies {"created":2,"updated":0}']);
  });

  it("names the import's own kind in a preview that creates nothing", () => {
    expect(summaryLines({}, t, "preview", "deals")).toEqual(['preview.deals {"created":0}']);
    expect(summaryLines({}, t, "preview", "companies")).toEqual(['preview.companies {"created":0,"updated":0}']);
  });

  it("previews a deals import with the contacts and companies it creates", () => {
    const lines = summaryLines({ deals: { created: 5, updated: 0 }, contacts: { created: 2, updated: 0 } }, t, "preview", "deals");
    expect(lines).toEqual(['preview.deals {"created":5}', 'preview.contacts {"created":2,"updated":0}']);
  });

  it("reports only the kinds a finished import changed", () => {
    expect(summaryLines({ companies: { created: 1, updated: 0 } }, t, "result", "contacts")).toEqual(['result.companies {"created":1,"updated":0}']);
    expect(summaryLines({ pipelines: { created: 1, updated: 0 }, stages: { created: 2, updated: 0 } }, t, "result", "deals")).toEqual(['result.pipelines {"created":1,"stages":2}']);
  });
});
