/** Placeholder for a contact / company page while it loads. */
export function DetailSkeleton({ label, square }: { label: string; square?: boolean }) {
  return (
    <div className="mx-auto max-w-6xl animate-pulse" aria-busy="true" aria-live="polite">
      <span className="sr-only">{label}</span>
      <div className="mb-4 h-4 w-20 rounded bg-zinc-200" />
      <div className="mb-6 flex items-center gap-4">
        <div className={`h-12 w-12 bg-zinc-200 ${square ? "rounded-md" : "rounded-full"}`} />
        <div className="space-y-2">
          <div className="h-6 w-48 rounded bg-zinc-200" />
          <div className="h-4 w-32 rounded bg-zinc-200" />
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="h-96 rounded-lg border border-zinc-200 bg-white" />
        <div className="space-y-6">
          <div className="h-48 rounded-lg border border-zinc-200 bg-white" />
          <div className="h-40 rounded-lg border border-zinc-200 bg-white" />
        </div>
      </div>
    </div>
  );
}
