/**
 * Pipewise admin CLI for self-hosters: `npm run admin -- <command> [--flag value …]`.
 *
 *   create-user       --email <e> --password <p> [--name <n>]
 *   create-workspace  --slug <s> --name <n> --owner <email> [--currency USD] [--time-zone UTC]
 *   create-api-key    --workspace <slug> --email <member> --name <name>   (the key alone on the last stdout line)
 *   tick              run the automation engine's due jobs once
 *   seed-demo         create the demo workspace ("acme") unless it exists
 *   export-workspace  --workspace <slug> [--out <file.zip>]   (the whole workspace as a ZIP)
 *
 * Works on DATABASE_URL (PostgreSQL) or on the embedded database (PGLITE_DIR, default .data/pglite). PGlite
 * allows one process at a time: while the app holds the directory the CLI refuses, names the holder and exits
 * with status 3 (stop the app, run the command, start it again — or use PostgreSQL).
 */
import fs from "node:fs";
import { register } from "node:module";
import { parseArgs } from "node:util";
import type { Db } from "@/db/types";
import type { z as Zod } from "zod";

// lib modules start with `import "server-only"` (a marker that throws outside React's server build). This CLI is
// server code, so the marker resolves to an empty module; everything else is imported after this hook is in place.
register(
  `data:text/javascript,${encodeURIComponent(
    'export async function resolve(s, c, next) { return s === "server-only" ? { url: "data:text/javascript,", shortCircuit: true } : next(s, c); }',
  )}`,
);

const { and, asc, eq } = await import("drizzle-orm");
const { closeDb, getDb, isEmbedded, pgliteDir } = await import("@/db/client");
const { memberships, workspaces } = await import("@/db/schema");
const { authorizeMember } = await import("@/lib/auth/membership");
const { createApiKey } = await import("@/lib/api-keys/commands");
const { AppError } = await import("@/lib/errors");
const { signUp, findUserByEmail } = await import("@/lib/users/commands");
const { emailSchema, nameSchema, passwordSchema } = await import("@/lib/users/schema");
const { createWorkspace } = await import("@/lib/workspaces/commands");
const { currencySchema } = await import("@/lib/deals/schema");
const { z } = await import("@/lib/validation");

const usage = `Usage: npm run admin -- <command> [options]

  create-user       --email <e> --password <p> [--name <n>]
  create-workspace  --slug <s> --name <n> --owner <email> [--currency USD] [--time-zone UTC]
  create-api-key    --workspace <slug> --email <member> --name <name>
  tick              run due jobs once
  seed-demo         create the demo workspace unless it exists
  export-workspace  --workspace <slug> [--out <file.zip>]

Database: DATABASE_URL (PostgreSQL) or the embedded PGLITE_DIR (default .data/pglite; stop the app first).`;

const commands = ["create-user", "create-workspace", "create-api-key", "tick", "seed-demo", "export-workspace"];

/** A refusal the user can fix: printed without a stack trace, exit status 1. */
class CliError extends Error {}

const slugSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "a slug is 1-48 lowercase letters, digits and dashes");
const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "unknown IANA time zone");

function need(values: Record<string, string | undefined>, ...names: string[]) {
  const missing = names.filter((n) => !values[n]);
  if (missing.length) throw new CliError(`missing ${missing.map((n) => `--${n}`).join(", ")}`);
}

function check<T>(schema: Zod.ZodType<T>, value: unknown, flag: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(`--${flag}: ${parsed.error.issues.map((i) => i.message.replace(/^errors\./, "")).join(", ")}`);
  return parsed.data;
}

async function userByEmail(db: Db, email: string) {
  const user = await findUserByEmail(db, email);
  if (!user) throw new CliError(`no user with the email ${email} (create it with create-user)`);
  return user;
}

/** The command's work; returns what to print (the last line is the result a script may read). */
async function run(command: string, values: Record<string, string | undefined>, db: Db, out: (line: string) => void): Promise<void> {
  const now = new Date();
  switch (command) {
    case "create-user": {
      need(values, "email", "password");
      const email = check(emailSchema, values.email, "email");
      const password = check(passwordSchema, values.password, "password");
      const name = check(nameSchema, values.name ?? email.split("@")[0], "name");
      const { user } = await signUp(db, { email, password, name }, now);
      out(`Created user ${user.email}`);
      out(user.id);
      return;
    }
    case "create-workspace": {
      need(values, "slug", "name", "owner");
      const slug = check(slugSchema, values.slug, "slug");
      const name = check(z.string().trim().min(1).max(120), values.name, "name");
      const currency = check(currencySchema, values.currency ?? "USD", "currency");
      const timeZone = check(timeZoneSchema, values["time-zone"] ?? "UTC", "time-zone");
      const owner = await userByEmail(db, check(emailSchema, values.owner, "owner"));
      const [taken] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug));
      if (taken) throw new CliError(`the slug "${slug}" is taken`);
      const ws = await db.transaction((tx) => createWorkspace(tx, owner.id, { name, slug, currency, timeZone }, now));
      out(`Created workspace ${ws.name} (/w/${ws.slug}), owner ${owner.email}`);
      out(ws.id);
      return;
    }
    case "create-api-key": {
      need(values, "workspace", "email", "name");
      const user = await userByEmail(db, check(emailSchema, values.email, "email"));
      const name = check(z.string().trim().min(1).max(80), values.name, "name");
      let ctx;
      try {
        ctx = await authorizeMember(db, user.id, values.workspace!, "api.manage", now);
      } catch (error) {
        if (error instanceof AppError && error.code === "NOT_FOUND") throw new CliError(`${user.email} is not a member of a workspace "${values.workspace}"`);
        if (error instanceof AppError && error.code === "FORBIDDEN") throw new CliError(`${user.email} is not an owner or admin of "${values.workspace}": only they may create API keys`);
        throw error;
      }
      const key = await createApiKey(ctx, { name });
      out(`Created API key "${key.name}" for ${user.email} in /w/${ctx.workspace.slug}. It acts as ${user.email}; store it now, it is not shown again:`);
      out(key.token);
      return;
    }
    case "tick": {
      const { tick } = await import("@/lib/jobs/tick");
      const stats = await tick(db, now);
      out(`Ran due jobs: ${JSON.stringify(stats)}`);
      return;
    }
    case "seed-demo": {
      const { DEMO_SLUG } = await import("@/lib/demo");
      const [exists] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
      if (exists) {
        out(`The demo workspace /w/${DEMO_SLUG} exists already; nothing to do.`);
        return;
      }
      const { seedDemoWorkspace } = await import("@/db/seed/demo-workspace");
      await seedDemoWorkspace(db, now);
      out(`Seeded the demo workspace /w/${DEMO_SLUG} (sign in as demo@example.com / demo-password).`);
      return;
    }
    case "export-workspace": {
      need(values, "workspace");
      const slug = values.workspace!;
      // The export runs as one of the workspace's owners (the ZIP holds every table of the workspace).
      const [owner] = await db
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
        .where(and(eq(workspaces.slug, slug), eq(memberships.role, "owner")))
        .orderBy(asc(memberships.createdAt))
        .limit(1);
      if (!owner) throw new CliError(`no workspace "${slug}"`);
      const ctx = await authorizeMember(db, owner.userId, slug, "data.exportAll", now);
      const file = values.out ?? `${slug}-${now.toISOString().slice(0, 10)}.zip`;
      const { writeWorkspaceExport } = await import("@/lib/exports/workspace");
      const stream = fs.createWriteStream(file);
      const done = new Promise<void>((resolve, reject) => {
        stream.on("finish", resolve);
        stream.on("error", reject);
      });
      const manifest = await writeWorkspaceExport(ctx, stream);
      await done;
      out(`Exported ${manifest.tables.length} tables of /w/${slug}`);
      out(file);
      return;
    }
    default:
      throw new CliError(`unknown command "${command}"\n\n${usage}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: "string" },
        password: { type: "string" },
        name: { type: "string" },
        slug: { type: "string" },
        owner: { type: "string" },
        currency: { type: "string" },
        "time-zone": { type: "string" },
        workspace: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 1;
  }
  const command = parsed.positionals[0];
  if (!command || parsed.values.help) {
    console.log(usage);
    return command ? 0 : 1;
  }
  if (!commands.includes(command)) {
    console.error(`Error: unknown command "${command}"\n\n${usage}`);
    return 1;
  }
  let db: Db;
  try {
    db = await getDb();
  } catch (error) {
    const message = (error as Error).message;
    if (isEmbedded() && /in use by process/.test(message)) {
      console.error(
        `The embedded database (${pgliteDir()}) is in use by another process — most likely the running Pipewise app.\n${message}\nPGlite allows one process at a time: stop the app, run this command, then start the app again (or use PostgreSQL with DATABASE_URL).`,
      );
      return 3;
    }
    throw error;
  }
  try {
    await run(command, parsed.values as Record<string, string | undefined>, db, (line) => console.log(line));
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`Error: ${error.message}`);
      return 1;
    }
    if (error instanceof AppError) {
      const fields = error.fieldErrors ? ` (${Object.keys(error.fieldErrors).join(", ")})` : "";
      console.error(`Error: ${error.message.replace(/^errors\./, "")}${fields}`);
      return 1;
    }
    throw error;
  } finally {
    await closeDb();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

