import { getTranslations } from "next-intl/server";
import { requireMember } from "@/lib/auth/session";
import { openApiDocument } from "@/lib/api/openapi";
import { appUrl } from "@/lib/app-url";
import { Card } from "../../../../../_components/ui";

export async function generateMetadata() {
  const t = await getTranslations("api");
  return { title: t("reference") };
}

type Schema = { type?: string | string[]; format?: string; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; items?: Schema; properties?: Record<string, Schema>; required?: string[]; description?: string; minimum?: number; maximum?: number; maxLength?: number };
type Operation = { operationId: string; summary: string; description?: string; tags: string[]; "x-permission": string; parameters: { name: string; in: string; required: boolean; description?: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }> };

/** A short, readable type for a JSON Schema ("string (uuid) | null", "number ≥ 0", "open | won | lost"). */
function typeOf(s: Schema | undefined): string {
  if (!s) return "any";
  if (s.anyOf) return [...new Set(s.anyOf.map(typeOf))].join(" | ");
  if (s.enum) return s.enum.map((v) => (v === null ? "null" : String(v))).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === "array") return `${typeOf(s.items)}[]`;
  const base = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
  const extra = [s.format, s.minimum !== undefined ? `≥ ${s.minimum}` : null, s.maximum !== undefined ? `≤ ${s.maximum}` : null, s.maxLength !== undefined ? `≤ ${s.maxLength} chars` : null].filter(Boolean);
  return extra.length ? `${base} (${extra.join(", ")})` : base;
}

function FieldTable({ rows, labels }: { rows: Row[]; labels: { field: string; type: string; required: string; description: string; yes: string } }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[36rem] table-fixed text-left text-xs">
        <thead className="text-zinc-500">
          <tr>
            <th className="w-1/4 py-1 pr-3 font-medium">{labels.field}</th>
            <th className="w-1/3 py-1 pr-3 font-medium">{labels.type}</th>
            <th className="w-16 py-1 pr-3 font-medium">{labels.required}</th>
            <th className="py-1 font-medium">{labels.description}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 align-top">
          {rows.map((r) => (
            <tr key={r.name}>
              <td className="py-1 pr-3 font-mono break-all">{r.name}</td>
              <td className="py-1 pr-3 font-mono break-words text-zinc-600">{r.type}</td>
              <td className="py-1 pr-3">{r.required ? labels.yes : ""}</td>
              <td className="py-1 text-zinc-600">{r.description ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Row = { name: string; type: string; required: boolean; description?: string };

/** The fields of an object schema, with the fields of nested objects and arrays of objects as `a.b` / `a[].b`. */
function fieldsOf(s: Schema | undefined, prefix = "", depth = 0): Row[] {
  return Object.entries(s?.properties ?? {}).flatMap(([name, p]) => {
    const row = { name: `${prefix}${name}`, type: typeOf(p), required: s?.required?.includes(name) ?? false, description: p.description };
    if (depth >= 2) return [row];
    if (p.type === "array" && p.items?.properties) return [row, ...fieldsOf(p.items, `${prefix}${name}[].`, depth + 1)];
    if (p.properties) return [row, ...fieldsOf(p, `${prefix}${name}.`, depth + 1)];
    return [row];
  });
}

const methodColour: Record<string, string> = { get: "bg-sky-50 text-sky-700", post: "bg-emerald-50 text-emerald-700", patch: "bg-amber-50 text-amber-700", delete: "bg-red-50 text-red-700" };

/** The API reference, rendered from the same OpenAPI document /api/v1/openapi.json serves. */
export default async function ApiReferencePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  await requireMember(workspace, "api.manage");
  const t = await getTranslations("api");
  const doc = openApiDocument();
  const base = appUrl("/api/v1");
  const labels = { field: t("field"), type: t("type"), required: t("required"), description: t("description"), yes: t("yes") };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })));
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h2 className="text-lg font-semibold">{t("referenceTitle")}</h2>
        <p className="text-sm text-zinc-600">{t("referenceIntro", { base })}</p>
        <a href="/api/v1/openapi.json" className="text-sm font-medium text-brand-700 hover:underline">
          {t("openapiLink")}
        </a>
      </div>
      <nav aria-label={t("reference")} className="flex flex-wrap gap-2 text-sm">
        {doc.tags.map((tag) => (
          <a key={tag.name} href={`#tag-${tag.name}`} className="rounded-full border border-zinc-200 px-3 py-1 hover:bg-zinc-50">
            {tag.name}
          </a>
        ))}
      </nav>
      {doc.tags.map((tag) => (
        <section key={tag.name} id={`tag-${tag.name}`} className="space-y-3" aria-labelledby={`h-${tag.name}`}>
          <h3 id={`h-${tag.name}`} className="text-base font-semibold">{tag.name}</h3>
          {operations
            .filter((o) => o.op.tags.includes(tag.name))
            .map(({ path, method, op }) => {
              const query = op.parameters.filter((p) => p.in === "query");
              const body = op.requestBody?.content["application/json"]?.schema;
              const [status, success] = Object.entries(op.responses).find(([code]) => code.startsWith("2"))!;
              const response = success.content?.["application/json"]?.schema;
              return (
                <Card key={op.operationId} id={op.operationId} className="space-y-3 p-4">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${methodColour[method] ?? ""}`}>{method}</span>
                    <code className="text-sm break-all">/api/v1{path}</code>
                    <span className="text-sm text-zinc-600">— {op.summary}</span>
                  </div>
                  {op.description ? <p className="text-sm text-zinc-600">{op.description}</p> : null}
                  <p className="text-xs text-zinc-500">
                    {t("permission")}: <code>{op["x-permission"]}</code>
                  </p>
                  {query.length ? (
                    <div>
                      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">{t("parameters")}</h4>
                      <FieldTable labels={labels} rows={query.map((p) => ({ name: p.name, type: typeOf(p.schema), required: p.required, description: p.description }))} />
                    </div>
                  ) : null}
                  {body ? (
                    <div>
                      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">{t("requestBody")}</h4>
                      <FieldTable labels={labels} rows={fieldsOf(body)} />
                    </div>
                  ) : null}
                  <div>
                    <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">
                      {t("response")} {status}
                    </h4>
                    {response?.properties ? <FieldTable labels={labels} rows={fieldsOf(response)} /> : <p className="text-xs text-zinc-500">{success.description}</p>}
                  </div>
                </Card>
              );
            })}
        </section>
      ))}
    </div>
  );
}
