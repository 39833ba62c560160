/**
 * Merge-field templates of sequence steps, pure (no I/O): `Hi {{contact.first_name | "there"}},`.
 *
 * A tag is `{{ path }}` or `{{ path | "fallback" }}` (the fallback in double quotes; `\"` and `\\` escape). The
 * path names a built-in field (see `builtinFields`) or a custom field: `contact.custom.<key>`,
 * `company.custom.<key>`, `deal.custom.<key>`. An empty or missing value renders the fallback, or nothing.
 * Templates are checked on save (`checkTemplate`): an unknown field or a malformed tag is refused, so a typo
 * never reaches a prospect as "Hi {{contact.frist_name}}".
 */

export const builtinFields = [
  "contact.first_name",
  "contact.last_name",
  "contact.full_name",
  "contact.email",
  "contact.phone",
  "contact.title",
  "company.name",
  "company.domain",
  "deal.title",
  "deal.value",
  "owner.name",
  "owner.first_name",
  "owner.email",
] as const;
export type BuiltinField = (typeof builtinFields)[number];

export const customFieldPrefixes = ["contact.custom.", "company.custom.", "deal.custom."] as const;

export type TemplateTag = { raw: string; path: string; fallback: string | null; index: number };
export type TemplateProblem = { kind: "unknown_field"; path: string } | { kind: "malformed"; near: string };

const TAG = /\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\s*(?:\|\s*"((?:[^"\\]|\\.)*)"\s*)?\}\}/gi;

/** Every merge tag of a template, in order. */
export function parseTags(template: string): TemplateTag[] {
  const tags: TemplateTag[] = [];
  for (const m of template.matchAll(TAG)) {
    tags.push({ raw: m[0], path: m[1]!.toLowerCase(), fallback: m[2] === undefined ? null : m[2].replace(/\\(.)/g, "$1"), index: m.index });
  }
  return tags;
}

/**
 * What is wrong with a template: unknown fields (not built in, and not one of the workspace's custom field keys
 * for that record) and `{{`/`}}` left over after removing the valid tags. Empty when the template may be saved.
 */
export function checkTemplate(template: string, customKeys: { contact: string[]; company: string[]; deal: string[] }): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const tag of parseTags(template)) {
    if ((builtinFields as readonly string[]).includes(tag.path)) continue;
    const custom = /^(contact|company|deal)\.custom\.([a-z0-9_]+)$/.exec(tag.path);
    if (custom && customKeys[custom[1] as "contact"].includes(custom[2]!)) continue;
    if (!problems.some((p) => p.kind === "unknown_field" && p.path === tag.path)) problems.push({ kind: "unknown_field", path: tag.path });
  }
  const rest = template.replace(TAG, "");
  const stray = /\{\{|\}\}/.exec(rest);
  if (stray) problems.push({ kind: "malformed", near: rest.slice(Math.max(0, stray.index - 10), stray.index + 20) });
  return problems;
}

/** Values by merge path ("contact.first_name", "deal.custom.budget"); null/undefined/"" = missing. */
export type MergeValues = Record<string, string | null | undefined>;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Renders a template. With `html: true` every merged value (and fallback) is HTML-escaped, because contact
 * fields are typed by prospects and importers, not by the template's author; the template's own markup is kept.
 * An unknown path renders as missing (the save-time check keeps those out; a field deleted later must not
 * break a running sequence).
 */
export function renderTemplate(template: string, values: MergeValues, opts: { html?: boolean } = {}): string {
  return template.replace(TAG, (_raw, path: string, fallback: string | undefined) => {
    const value = values[path.toLowerCase()];
    const text = value === null || value === undefined || String(value).trim() === "" ? (fallback === undefined ? "" : fallback.replace(/\\(.)/g, "$1")) : String(value);
    return opts.html ? escapeHtml(text) : text;
  });
}

/**
 * The HTML body of an email from its template: the author writes plain text with line breaks (and merge
 * tags); paragraphs and line breaks become <p>/<br>, and every character of the template itself is escaped as
 * well, so neither a value nor the template can inject markup.
 */
export function renderEmailHtml(template: string, values: MergeValues, footerHtml: string): string {
  const text = renderTemplate(template, values);
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;line-height:1.5;color:#18181b">\n${paragraphs}\n${footerHtml}\n</body></html>`;
}
