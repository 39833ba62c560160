/** Placeholder for a list page while its server component loads (header, toolbar, rows). */
export function ListSkeleton({ label }: { label: string }) {
  return (
    <div className="mx-auto max-w-7xl animate-pulse" aria-busy="true" aria-live="polite">
      <span className="sr-only">{label}</span>
      <div className="mb-6 flex items-end justify-between">
        <div className="space-y-2">
          <div className="h-6 w-32 rounded bg-zinc-200" />
          <div className="h-4 w-20 rounded bg-zinc-200" />
        </div>
        <div className="h-9 w-32 rounded-md bg-zinc-200" />
      </div>
      <div className="mb-4 flex gap-2">
        <div className="h-9 w-72 rounded-md bg-zinc-200" />
        <div className="hidden h-9 w-36 rounded-md bg-zinc-200 sm:block" />
        <div className="hidden h-9 w-36 rounded-md bg-zinc-200 sm:block" />
      </div>
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white">
        <div className="h-10 border-b border-zinc-200 bg-zinc-50" />
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-4 border-b border-zinc-100 px-4 py-3 last:border-0">
            <div className="h-8 w-8 shrink-0 rounded-full bg-zinc-200" />
            <div className="h-4 w-40 rounded bg-zinc-200" />
            <div className="hidden h-4 w-48 rounded bg-zinc-100 md:block" />
            <div className="hidden h-4 w-32 rounded bg-zinc-100 lg:block" />
            <div className="ml-auto h-5 w-16 rounded-full bg-zinc-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
