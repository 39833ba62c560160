import "server-only";
import { randomUUID } from "node:crypto";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { authenticate, findUserByEmail } from "../users/commands";
import { signInSchema } from "../users/schema";
import { authSecret } from "./secret";
import { clientIp } from "./client-ip";

class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}


const providers: NextAuthConfig["providers"] = [
  Credentials({
    credentials: { email: {}, password: {} },
    async authorize(raw, request) {
      const parsed = signInSchema.safeParse(raw);
      if (!parsed.success) return null;
      const db = await getDb();
      const result = await authenticate(db, parsed.data.email, parsed.data.password, clientIp(request?.headers.get("x-forwarded-for")), new Date());
      if (!result.ok) {
        if (result.reason === "rate_limited") throw new RateLimited();
        return null;
      }
      return { id: result.user.id, email: result.user.email, name: result.user.name };
    },
  }),
];
// OAuth providers appear only when configured (AUTH_GITHUB_ID/SECRET, AUTH_GOOGLE_ID/SECRET).
if (process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET) providers.push(GitHub);
if (process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET) providers.push(Google);

export const oauthProviders = providers.filter((p) => typeof p === "function").map((p) => (p === GitHub ? "github" : "google"));

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/login" },
  providers,
  callbacks: {
    /** Stamps the token with our user id and session version; OAuth users are found or created by email. */
    async jwt({ token, user, account, profile }) {
      if (user && account) {
        const db = await getDb();
        let row = user.email ? await findUserByEmail(db, user.email) : undefined;
        // An OAuth sign-in joins an existing account only when the provider vouches for the email
        // (Google's email_verified); otherwise someone controlling an unverified address could take it over.
        if (row && account.provider !== "credentials" && (profile as { email_verified?: boolean } | undefined)?.email_verified !== true) return null;
        if (!row && account.provider !== "credentials" && user.email) {
          [row] = await db.insert(users).values({ email: user.email, name: user.name ?? user.email }).returning();
        }
        if (!row) return null;
        token.uid = row.id;
        token.sv = row.sessionVersion;
        token.sid = randomUUID(); // this session's id: signing out revokes it (lib/auth/revocation.ts)
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      (session as { sv?: number }).sv = typeof token.sv === "number" ? token.sv : -1;
      return session;
    },
  },
});
