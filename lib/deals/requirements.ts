/** Built-in deal fields a stage may require (besides "custom:<key>"). */
export const requirableDealFields = ["value", "expectedCloseDate", "ownerId", "contactId", "companyId", "source", "notes"] as const;

type DealValues = {
  value: number;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  expectedCloseDate: string | null;
  source: string | null;
  notes: string | null;
  custom: Record<string, unknown>;
};

function filled(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Which of a stage's required fields the deal has not filled (a value of 0 counts as not filled). Pure. */
export function missingRequirements(required: string[], deal: DealValues): string[] {
  return required.filter((field) => {
    if (field.startsWith("custom:")) return !filled(deal.custom[field.slice(7)]);
    if (field === "value") return !(deal.value > 0);
    return !filled((deal as Record<string, unknown>)[field]);
  });
}
