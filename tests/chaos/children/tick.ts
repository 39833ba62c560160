/**
 * Chaos child: the app's job engine as a separate process (what `npm run admin -- tick` or the in-process
 * ticker runs), looping `tick()` on PostgreSQL until nothing is due, with sequence emails going to SMTP_URL.
 * argv: <database url> <clock offset ms>. The offset lets a restarted process act "later" (after the leases a
 * killed one left behind have expired) without waiting for them. Prints one JSON line per tick.
 */
import { openPg } from "../helpers/db";
import { tick } from "@/lib/jobs/tick";

async function main() {
  const [url, offset] = process.argv.slice(2);
  const { db, close } = await openPg(url!, { max: 4 });
  try {
    for (let i = 0; i < 1000; i++) {
      const stats = await tick(db, new Date(Date.now() + Number(offset ?? 0)), { log: () => {} });
      process.stdout.write(`${JSON.stringify(stats)}\n`);
      if (stats.claimed === 0) break;
    }
  } finally {
    await close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
