/**
 * The client address for the per-IP sign-in limit. `next start` appends the socket's peer to X-Forwarded-For,
 * so the right-most entry is trustworthy; behind N reverse proxies (TRUSTED_PROXY_HOPS=N) the client is N
 * entries further left. Entries further left are client-controlled and never used.
 */
export function clientIp(forwardedFor: string | null | undefined, trustedHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0)): string | null {
  const chain = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (chain.length === 0) return null;
  return chain[Math.max(0, chain.length - 1 - Math.max(0, Math.floor(trustedHops) || 0))] ?? null;
}
