import Link from "next/link";
import { DealStatusBadge } from "./list-parts";

export type RelatedDealItem = { id: string; title: string; subtitle: string; value: string; status: "open" | "won" | "lost"; statusLabel: string };

/** The deals card body on contact and company pages; each row links to the deal page. */
export function RelatedDeals({ slug, deals, emptyText }: { slug: string; deals: RelatedDealItem[]; emptyText: string }) {
  if (deals.length === 0) return <p className="px-5 py-6 text-center text-sm text-zinc-500">{emptyText}</p>;
  return (
    <ul className="divide-y divide-zinc-100">
      {deals.map((d) => (
        <li key={d.id}>
          <Link href={`/w/${slug}/deals/${d.id}`} className="flex items-start gap-3 px-5 py-3 hover:bg-zinc-50">
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium text-zinc-900">{d.title}</p>
              <p className="truncate text-xs text-zinc-500">{d.subtitle}</p>
            </div>
            <div className="flex shrink-0 flex-col items-end gap-1">
              <span className="text-sm font-medium text-zinc-900 tabular-nums">{d.value}</span>
              <DealStatusBadge status={d.status} label={d.statusLabel} />
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
