import fs from "node:fs";
import path from "node:path";
import { timed } from "./server";

/** Talking to the running bench server: pages, server actions (as the browser posts them) and the bench routes. */
export class AppClient {
  constructor(
    readonly base: string,
    readonly cookie: string,
    readonly benchSecret: string,
    private readonly actionIds: Map<string, string>,
  ) {}

  page(pathname: string) {
    return timed(`${this.base}${pathname}`, { headers: { cookie: this.cookie } });
  }

  actionId(file: string, name: string): string {
    const id = this.actionIds.get(`${file}#${name}`);
    if (!id) throw new Error(`server action ${name} of ${file} is not in the build's server-reference-manifest.json`);
    return id;
  }

  /**
   * Calls a server action the way React's client does: POST to the page the user is on, with the action id in
   * the Next-Action header and the arguments encoded as React's encodeReply does for plain JSON values
   * (`undefined` → "$undefined"; strings starting with "$" get another "$").
   */
  actionRequest(pagePath: string, actionId: string, args: unknown[]): { url: string; init: RequestInit & { headers: Record<string, string>; body: string } } {
    const encode = (value: unknown): unknown => {
      if (value === undefined) return "$undefined";
      if (typeof value === "string") return value.startsWith("$") ? `$${value}` : value;
      if (Array.isArray(value)) return value.map(encode);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
      return value;
    };
    return {
      url: `${this.base}${pagePath}`,
      init: {
        method: "POST",
        headers: { cookie: this.cookie, "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: this.base },
        body: JSON.stringify(encode(args)),
      },
    };
  }

  async action(pagePath: string, actionId: string, args: unknown[]) {
    const { url, init } = this.actionRequest(pagePath, actionId, args);
    return timed(url, init);
  }

  async bench<T>(route: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.base}/api/bench/${route}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.benchSecret}`, "content-type": "application/json", cookie: this.cookie },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`/api/bench/${route} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  /** Runs `fn` (one page render or action) with statement capture on; returns the statements it sent. */
  async capture(name: string, fn: () => Promise<unknown>): Promise<{ sql: string; params: unknown[] }[]> {
    await this.bench("trace", { op: "start" });
    let failure: unknown = null;
    await fn().catch((error: unknown) => (failure = error ?? new Error("capture failed")));
    // stopped even when fn failed, so a later capture starts clean
    const { statements } = await this.bench<{ statements: { sql: string; params: unknown[] }[] }>("trace", { op: "stop", name });
    if (failure) throw failure;
    return statements;
  }

  async replay(name: string, repeat: number): Promise<number[]> {
    return (await this.bench<{ times: number[] }>("replay", { name, repeat })).times;
  }
}

/** "<file>#<exportedName>" → action id, from the build's server-reference-manifest.json. */
export function readActionIds(root: string, distDir: string): Map<string, string> {
  const file = path.join(root, distDir, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { node: Record<string, { filename?: string; exportedName?: string }> };
  const ids = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) if (entry.filename && entry.exportedName) ids.set(`${entry.filename}#${entry.exportedName}`, id);
  return ids;
}

/** The result object of a server action, out of its RSC (text/x-component) response. */
export function actionResult(body: string): { ok?: boolean } | null {
  for (const line of body.split("\n")) {
    const m = /^1:(\{.*\})$/.exec(line);
    if (m) {
      try {
        return JSON.parse(m[1]!) as { ok?: boolean };
      } catch {
        return null;
      }
    }
  }
  return null;
}
