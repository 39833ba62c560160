export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight text-zinc-900 ${className}`}>
      <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6">
        <rect width="24" height="24" rx="6" className="fill-brand-600" />
        <path d="M6 7h3v10H6zM10.5 7h3v7h-3zM15 7h3v4h-3z" fill="white" />
      </svg>
      Pipewise
    </span>
  );
}
