/** A translator from the root of the catalogs ("imports.fields.deals.title"), as next-intl's getTranslations() gives. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export const exportEntities = ["deals", "contacts", "companies", "activities"] as const;
export type ExportEntity = (typeof exportEntities)[number];
export type ExportFormat = "csv" | "xlsx";
