import enImports from "../i18n/messages/en/imports.json";
import zhImports from "../i18n/messages/zh-CN/imports.json";
import { headerKey } from "../spreadsheets/cells";

/**
 * The fields a spreadsheet column can be mapped to, per kind of import, and the automatic guess of which
 * column is which: the workspace's remembered choices first, then the field's label in every language we
 * speak, then common headers of other CRMs' exports (Pipedrive, Salesmate, HubSpot, Salesforce). Pure.
 */

export const importKinds = ["deals", "contacts", "companies"] as const;
export type ImportKind = (typeof importKinds)[number];

export const dealFields = [
  "title",
  "value",
  "currency",
  "pipeline",
  "stage",
  "status",
  "ownerEmail",
  "contactName",
  "contactEmail",
  "contactPhone",
  "company",
  "source",
  "expectedCloseDate",
  "createdAt",
  "closedAt",
  "lostReason",
  "notes",
  "stageHistory",
] as const;
export const contactFields = ["firstName", "lastName", "fullName", "email", "phone", "jobTitle", "company", "ownerEmail", "lifecycle", "source", "timeZone", "createdAt"] as const;
export const companyFields = ["name", "domain", "phone", "address", "ownerEmail", "createdAt"] as const;

export type DealField = (typeof dealFields)[number];
export type ContactField = (typeof contactFields)[number];
export type CompanyField = (typeof companyFields)[number];

export const fieldsOf: Record<ImportKind, readonly string[]> = { deals: dealFields, contacts: contactFields, companies: companyFields };

/** A mapping is usable when these are mapped (contacts: a first name or a full name). */
export function missingRequired(kind: ImportKind, mapping: (string | null)[]): string[] {
  const mapped = new Set(mapping.filter(Boolean));
  if (kind === "deals") return mapped.has("title") ? [] : ["title"];
  if (kind === "companies") return mapped.has("name") ? [] : ["name"];
  return mapped.has("firstName") || mapped.has("fullName") ? [] : ["firstName"];
}

/** Headers other tools write, beyond our own labels (compared after headerKey normalisation). */
const extraSynonyms: Record<ImportKind, Record<string, string[]>> = {
  deals: {
    title: ["deal title", "deal - title", "deal name", "name", "opportunity name", "subject", "交易名称", "商机名称", "名称"],
    value: ["deal value", "deal - value", "amount", "deal amount", "value", "金额", "交易金额"],
    currency: ["deal - currency", "currency code", "币种"],
    pipeline: ["deal - pipeline", "pipeline name", "销售管道"],
    stage: ["deal - stage", "deal stage", "stage name", "pipeline stage", "阶段"],
    status: ["deal - status", "deal status", "状态"],
    ownerEmail: ["owner", "deal - owner", "owner email", "deal owner", "deal owner email", "assigned to", "负责人", "负责人邮箱"],
    contactName: ["person", "person - name", "contact", "primary contact", "contact person", "联系人", "联系人姓名"],
    contactEmail: ["person - email", "email", "contact email", "primary contact email", "联系人邮箱", "邮箱"],
    contactPhone: ["person - phone", "phone", "contact phone", "联系人电话", "电话"],
    company: ["organization", "organization - name", "organisation", "company name", "account", "account name", "primary company", "公司", "公司名称", "客户"],
    source: ["deal - source", "lead source", "来源"],
    expectedCloseDate: ["deal - expected close date", "expected close date", "close date", "closing date", "预计成交日期"],
    createdAt: ["deal - deal created", "deal created", "created", "created date", "create date", "created at", "add time", "创建日期", "创建时间"],
    closedAt: ["deal - won time", "deal - lost time", "won time", "lost time", "close time", "closed date", "closed at", "won date", "lost date", "成交日期", "关闭日期"],
    lostReason: ["deal - lost reason", "lost reason", "输单原因", "丢单原因"],
    notes: ["note", "notes", "description", "deal - notes", "备注", "描述"],
    stageHistory: ["stage history", "阶段历史"],
  },
  contacts: {
    firstName: ["first name", "firstname", "given name", "person - first name", "名"],
    lastName: ["last name", "lastname", "surname", "family name", "person - last name", "姓"],
    fullName: ["name", "full name", "person - name", "contact name", "contact", "姓名", "联系人"],
    email: ["email", "e-mail", "email address", "person - email", "work email", "邮箱", "电子邮件"],
    phone: ["phone", "phone number", "mobile", "person - phone", "work phone", "电话", "手机"],
    jobTitle: ["title", "job title", "position", "person - job title", "职位", "职务"],
    company: ["company", "company name", "organization", "organization - name", "person - organization", "account name", "公司", "公司名称"],
    ownerEmail: ["owner", "owner email", "person - owner", "contact owner", "负责人"],
    lifecycle: ["lifecycle stage", "lifecycle", "status", "生命周期"],
    source: ["source", "lead source", "来源"],
    timeZone: ["time zone", "timezone", "时区"],
    createdAt: ["created", "created date", "create date", "person - add time", "add time", "创建日期", "创建时间"],
  },
  companies: {
    name: ["name", "company", "company name", "organization", "organization - name", "account name", "公司", "公司名称"],
    domain: ["website", "domain", "web", "company domain name", "organization - website", "网站", "域名"],
    phone: ["phone", "phone number", "organization - phone", "电话"],
    address: ["address", "organization - address", "street address", "地址"],
    ownerEmail: ["owner", "owner email", "organization - owner", "company owner", "负责人"],
    createdAt: ["created", "created date", "create date", "organization - add time", "add time", "创建日期", "创建时间"],
  },
};

type FieldLabels = Record<ImportKind, Record<string, string>>;
const catalogs = [enImports.fields, zhImports.fields] as unknown as FieldLabels[];

/** headerKey → field, per kind: our labels in every locale plus the extra synonyms. First claim wins. */
const synonymIndex: Record<ImportKind, Map<string, string>> = Object.fromEntries(
  importKinds.map((kind) => {
    const index = new Map<string, string>();
    for (const field of fieldsOf[kind]) for (const labels of catalogs) index.set(headerKey(labels[kind]![field]!), field);
    for (const [field, words] of Object.entries(extraSynonyms[kind])) for (const w of words) if (!index.has(headerKey(w))) index.set(headerKey(w), field);
    return [kind, index];
  }),
) as Record<ImportKind, Map<string, string>>;

/** The workspace's custom fields of the imported kind, as mapping targets ("custom:<key>"). */
export type CustomColumn = { field: string; label: string };
export const CUSTOM_PREFIX = "custom:";
export const isCustomField = (field: string) => field.startsWith(CUSTOM_PREFIX);
export const entityOf: Record<ImportKind, "deal" | "contact" | "company"> = { deals: "deal", contacts: "contact", companies: "company" };

/**
 * The guessed field for each header (null: ignore). `remembered` maps headerKey → field ("" = the workspace
 * chose to ignore such a column) and wins over the built-in guess. A field is used by one column at most.
 * Custom fields are recognised by their label, after our own labels and before other tools' headers.
 */
export function guessMapping(kind: ImportKind, headers: string[], remembered: ReadonlyMap<string, string> = new Map(), custom: CustomColumn[] = []): (string | null)[] {
  const taken = new Set<string>();
  const valid = new Set([...fieldsOf[kind], ...custom.map((c) => c.field)]);
  const ownLabels = new Set(fieldsOf[kind].flatMap((f) => catalogs.map((labels) => headerKey(labels[kind]![f]!))));
  const customIndex = new Map(custom.map((c) => [headerKey(c.label), c.field]));
  const guess = (header: string) => {
    const key = headerKey(header);
    if (ownLabels.has(key)) return synonymIndex[kind].get(key);
    return customIndex.get(key) ?? synonymIndex[kind].get(key);
  };
  const pick = (field: string | undefined) => {
    if (!field || !valid.has(field) || taken.has(field)) return null;
    taken.add(field);
    return field;
  };
  const result: (string | null)[] = headers.map(() => null);
  // Remembered choices first (including "ignore"), then the built-in guesses for what is left.
  const decided = headers.map((h) => remembered.has(headerKey(h)));
  headers.forEach((h, i) => {
    if (decided[i]) result[i] = pick(remembered.get(headerKey(h)));
  });
  headers.forEach((h, i) => {
    if (!decided[i]) result[i] = pick(guess(h));
  });
  return result;
}

/** The column headers of our template and exports, in a locale's catalog. */
export function fieldLabel(t: (key: string) => string, kind: ImportKind, field: string): string {
  return t(`fields.${kind}.${field}`);
}
