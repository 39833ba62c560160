/** A URL slug from a workspace name: lowercase ASCII words joined by dashes ("workspace" when none remain). */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug || "workspace";
}

export const reservedSlugs = new Set(["new", "api", "admin", "settings", "login"]);
