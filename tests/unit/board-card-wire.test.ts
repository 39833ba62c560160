import { describe, expect, it } from "vitest";
import { packCard, unpackCard } from "@/app/w/[workspace]/pipelines/[pipelineId]/_components/card-wire";
import type { BoardCardDTO } from "@/lib/deals/queries";

const bare: BoardCardDTO = { id: "0b7a4c2e-1111-4222-8333-444455556666", title: "Acme renewal", value: 540000 };
const full: BoardCardDTO = {
  id: "7ae11934-0301-4f64-8b4c-92fe7f499884",
  title: "Globex support plan #15",
  value: 3020000,
  currency: "EUR",
  status: "won",
  stuck: true,
  daysInStage: 201,
  ownerName: "Jia Tanaka",
  orgOrPerson: "Initech Group",
  expectedCloseDate: "2026-05-26",
  nextActivity: { type: "custom", label: "Site visit", subject: "Visit Initech", dueAt: "2026-12-04T18:45:00.000Z", dueDate: null, overdue: true },
  custom: { plan: "gold", seats: 12 },
};

describe("board card wire format", () => {
  it("gives back the card it was given, with and without optional fields", () => {
    for (const card of [bare, full, { ...bare, nextActivity: { type: "call", label: null, subject: "Call", dueAt: null, dueDate: "2026-03-10", overdue: false } }, { ...bare, ownerName: "Ann Lee", expectedCloseDate: "2026-01-02" }]) {
      expect(unpackCard(JSON.parse(JSON.stringify(packCard(card))))).toEqual(card);
    }
  });

  it("leaves trailing absent values out", () => {
    expect(packCard(bare)).toEqual([bare.id, bare.title, bare.value]);
    expect(packCard({ ...bare, orgOrPerson: "Acme" })).toEqual([bare.id, bare.title, bare.value, 0, "Acme"]);
  });

  it("is much shorter than the object it replaces in the page's payload", () => {
    const typical: BoardCardDTO = { ...full, currency: undefined, status: undefined, custom: undefined, nextActivity: { ...full.nextActivity!, type: "meeting", label: null } };
    for (const k of Object.keys(typical) as (keyof BoardCardDTO)[]) if (typical[k] === undefined) delete typical[k];
    expect(JSON.stringify(packCard(typical)).length).toBeLessThan(JSON.stringify(typical).length * 0.7);
  });
});
