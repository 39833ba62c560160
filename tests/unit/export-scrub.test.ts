import { expect, it } from "vitest";
import { scrubSecrets } from "@/lib/exports/workspace";

it("drops secrets nested in JSON columns of the workspace export, keeping everything else", () => {
  const row = { id: "w1", name: "Tell the ERP", actions: [{ type: "webhook", url: "https://erp.example/hook", secret: "whsec_x" }, { type: "move_stage", stageId: "s1" }], meta: { apiToken: "t", passwordHash: "h", ok: true } };
  expect(scrubSecrets(row)).toEqual({ id: "w1", name: "Tell the ERP", actions: [{ type: "webhook", url: "https://erp.example/hook" }, { type: "move_stage", stageId: "s1" }], meta: { ok: true } });
});
