import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkTemplate, escapeHtml, parseTags, renderEmailHtml, renderTemplate } from "@/lib/sequences/template";
import { classifyInboundEmail, isSmsOptOut, messageIdsIn, normalizePhone } from "@/lib/inbound/classify";
import { checkInboundAuth } from "@/lib/inbound/auth";

const noCustom = { contact: [], company: [], deal: [] };

describe("merge-field templates", () => {
  it("fills fields and uses the fallback for missing or blank values", () => {
    const tpl = 'Hi {{contact.first_name | "there"}}, how is {{ company.name|"your team" }}? — {{owner.name}}';
    expect(renderTemplate(tpl, { "contact.first_name": "Ada", "company.name": "Globex", "owner.name": "Sam" })).toBe("Hi Ada, how is Globex? — Sam");
    expect(renderTemplate(tpl, { "contact.first_name": "  ", "company.name": null })).toBe("Hi there, how is your team? — ");
    expect(renderTemplate('{{contact.first_name | "say \\"hi\\""}}', {})).toBe('say "hi"');
  });

  it("refuses unknown fields and malformed tags; accepts the workspace's custom field keys", () => {
    expect(checkTemplate("Hi {{contact.frist_name}}", noCustom)).toEqual([{ kind: "unknown_field", path: "contact.frist_name" }]);
    expect(checkTemplate("Budget {{deal.custom.budget}}", noCustom)).toEqual([{ kind: "unknown_field", path: "deal.custom.budget" }]);
    expect(checkTemplate("Budget {{deal.custom.budget}}", { ...noCustom, deal: ["budget"] })).toEqual([]);
    expect(checkTemplate("Hi {{contact.first_name", noCustom)).toEqual([expect.objectContaining({ kind: "malformed" })]);
    expect(checkTemplate("Hi }} there", noCustom)).toEqual([expect.objectContaining({ kind: "malformed" })]);
    expect(checkTemplate('Hi {{contact.first_name | "there"}} from {{company.name}}', noCustom)).toEqual([]);
  });

  it("escapes every merged value in HTML email, whatever it contains", () => {
    fc.assert(
      // A blank value is "missing" (its fallback shows) and blank lines start paragraphs: both tested elsewhere.
      fc.property(fc.string().filter((v) => v.trim() !== "" && !/\n\s*\n/.test(v)), (value) => {
        const html = renderEmailHtml("Hello {{contact.first_name}}!", { "contact.first_name": value }, "");
        expect(html).toContain(`Hello ${escapeHtml(value).replace(/\n/g, "<br>")}!`);
        const body = html.slice(html.indexOf("<p>"), html.lastIndexOf("</p>") + 4);
        expect(body.replace(/<\/?p>|<br>/g, "")).not.toMatch(/[<>"']/);
      }),
    );
    expect(renderTemplate("<b>{{contact.first_name}}</b>", { "contact.first_name": "<script>x</script>" }, { html: true })).toBe("<b>&lt;script&gt;x&lt;/script&gt;</b>");
  });

  it("parses tags with their fallbacks", () => {
    expect(parseTags('a {{contact.first_name | "x"}} b {{owner.email}}').map((t) => [t.path, t.fallback])).toEqual([
      ["contact.first_name", "x"],
      ["owner.email", null],
    ]);
  });
});

describe("inbound classification", () => {
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] });
  it("tells bounces, auto-replies and replies apart", () => {
    expect(classifyInboundEmail(headers({ "content-type": 'multipart/report; report-type="delivery-status"; boundary=x' }), "Undelivered", "mailer-daemon@x.test")).toBe("bounce");
    expect(classifyInboundEmail(headers({}), "Mail delivery failed", "MAILER-DAEMON@mx.test")).toBe("bounce");
    expect(classifyInboundEmail(headers({ "auto-submitted": "auto-replied" }), "Re: hi", "a@b.test")).toBe("auto_reply");
    expect(classifyInboundEmail(headers({ "auto-submitted": "no" }), "Re: hi", "a@b.test")).toBe("reply");
    expect(classifyInboundEmail(headers({ "x-autoreply": "yes" }), "Re: hi", "a@b.test")).toBe("auto_reply");
    expect(classifyInboundEmail(headers({ precedence: "auto_reply" }), "Re: hi", "a@b.test")).toBe("auto_reply");
    expect(classifyInboundEmail(headers({}), "Out of Office: back Monday", "a@b.test")).toBe("auto_reply");
    expect(classifyInboundEmail(headers({}), "自动回复：休假中", "a@b.test")).toBe("auto_reply");
    expect(classifyInboundEmail(headers({}), "Re: Quick question", "a@b.test")).toBe("reply");
  });
  it("reads Message-IDs, SMS opt-outs and phone numbers", () => {
    expect(messageIdsIn("<a@x> <b@y>")).toEqual(["<a@x>", "<b@y>"]);
    expect(messageIdsIn(["a@x"])).toEqual(["<a@x>"]);
    expect(isSmsOptOut(" Stop ")).toBe(true);
    expect(isSmsOptOut("unsubscribe.")).toBe(true);
    expect(isSmsOptOut("please stop calling me at 5")).toBe(false);
    expect(normalizePhone("+1 (555) 010-2000")).toBe("+15550102000");
    expect(normalizePhone("0044 20 7946 0000")).toBe("+442079460000");
  });
});

describe("inbound webhook authorization", () => {
  const env = { INBOUND_SECRET: "s3cret" };
  it("refuses everything while INBOUND_SECRET is unset", () => {
    expect(checkInboundAuth("Bearer anything", {})).toEqual({ ok: false, status: 503, error: expect.any(String) });
  });
  it("accepts the secret as bearer token or basic-auth password, and nothing else", () => {
    expect(checkInboundAuth("Bearer s3cret", env)).toEqual({ ok: true });
    expect(checkInboundAuth(`Basic ${Buffer.from("mailgun:s3cret").toString("base64")}`, env)).toEqual({ ok: true });
    expect(checkInboundAuth("Bearer wrong", env)).toMatchObject({ ok: false, status: 401 });
    expect(checkInboundAuth(`Basic ${Buffer.from("s3cret").toString("base64")}`, env)).toMatchObject({ ok: false, status: 401 });
    expect(checkInboundAuth(null, env)).toMatchObject({ ok: false, status: 401 });
  });
});
