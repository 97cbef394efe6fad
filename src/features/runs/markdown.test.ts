import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { Markdown, parseBlocks, safeHref } from "./markdown";

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe("run notes Markdown", () => {
  test("blocks: headings, paragraphs, lists, quotes, fenced code, rules", () => {
    const blocks = parseBlocks("# Title\n\nline one\nline two\n\n- a\n- b\n  continued\n\n3. x\n4. y\n\n> quoted\n\n```py\nprint(1)\n# not a heading\n```\n\n---");
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "paragraph", "list", "list", "quote", "code", "rule"]);
    expect(blocks[2]).toEqual({ kind: "list", ordered: false, start: 1, items: ["a", "b continued"] });
    expect(blocks[3]).toMatchObject({ ordered: true, start: 3, items: ["x", "y"] });
    expect(blocks[5]).toEqual({ kind: "code", lang: "py", text: "print(1)\n# not a heading" });
  });

  test("inline: strong, emphasis, code, links, autolinks, line breaks", () => {
    expect(html("**bold** and *it* and _it2_ and `x*y*`")).toBe("<div class=\"markdown\"><p><strong>bold</strong> and <em>it</em> and <em>it2</em> and <code>x*y*</code></p></div>");
    expect(html("[docs](https://example.com/a?b=1)")).toContain('<a href="https://example.com/a?b=1" rel="noopener noreferrer nofollow" target="_blank">docs</a>');
    expect(html("see https://example.com/x.")).toContain('<a href="https://example.com/x"');
    expect(html("a\nb")).toContain("a<br/>b");
    expect(html("snake_case_name stays")).toContain("snake_case_name stays");
  });

  test("markup stays text and unsafe links stay unlinked", () => {
    const out = html('<script>alert(1)</script> <img src=x onerror="alert(1)">\n\n[click](javascript:alert(1)) [d](data:text/html,x) [ok](/acme/iris)');
    expect(out).not.toContain("<script");
    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;script&gt;");
    expect(out).not.toContain('href="javascript');
    expect(out).not.toContain('href="data');
    expect(out).toContain("[click](javascript:alert(1))");
    expect(out).toContain('<a href="/acme/iris"');
    expect(safeHref(" JavaScript:alert(1)")).toBeNull();
    expect(safeHref("//evil.example")).toBeNull();
    expect(safeHref("/\\evil.example")).toBeNull();
    expect(safeHref("mailto:a@example.com")).toBe("mailto:a@example.com");
  });

  test("headings sit below the page's own h1/h2", () => {
    expect(html("# One\n## Two\n###### Six")).toBe('<div class="markdown"><h3>One</h3><h4>Two</h4><h6>Six</h6></div>');
  });
});
