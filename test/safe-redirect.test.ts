import { describe, expect, test } from "vitest";
import { safeRedirectPath } from "@/contracts/safe-redirect";

const origin = "http://localhost:3000";

// Each of these, followed by a browser as a Location or window.location, could leave the site.
const hostile = [
  "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\\/evil.example",
  "/%09/evil.example", "/\t/evil.example", "/\n/evil.example", "\t//evil.example", " //evil.example",
  "/%2F/evil.example", "/%2f/evil.example", "/%252F/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5cevil.example",
  "/%255Cevil.example", "/..//evil.example", "/a/..//evil.example", "/%2e%2e//evil.example", "/./%2F/evil.example",
  "https://x//evil.example", "https://evil.example/", "http://evil.example", "HTTP://evil.example/x", "http:evil.example",
  "http:/evil.example", "https://localhost:3000.evil.example/", "http://localhost:3001/ok", "https://localhost:3000/ok",
  "http://user:pw@localhost:3000/ok", "javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>", "evil.example", "ok", "", "/ok\u0000", "/ok\r\nSet-Cookie: a=b",
  "/\u0000/evil.example", "/%00/evil.example", "/ok%0d%0aLocation:%20//evil.example", "\u3000//evil.example",
  "/\u2028/evil.example", "/x\\y", "/ok?next=%5C%5Cevil.example",
];

describe("safeRedirectPath keeps redirects on this site", () => {
  test.each(hostile)("refuses %j", (raw) => {
    expect(safeRedirectPath(raw, origin)).toBe("/");
  });

  test("an absolute URL on the public origin becomes its path, query and fragment", () => {
    expect(safeRedirectPath("http://localhost:3000/ok", origin)).toBe("/ok");
    expect(safeRedirectPath("http://localhost:3000/acme/iris?view=1#top", origin)).toBe("/acme/iris?view=1#top");
    expect(safeRedirectPath("https://cairn.example.com/settings", "https://cairn.example.com/")).toBe("/settings");
  });

  test("same-site paths pass, normalised", () => {
    expect(safeRedirectPath("/settings", origin)).toBe("/settings");
    expect(safeRedirectPath("/acme/iris?filter=params%2Flr%20%3E%200", origin)).toBe("/acme/iris?filter=params%2Flr%20%3E%200");
    expect(safeRedirectPath("/a/../b", origin)).toBe("/b");
    expect(safeRedirectPath("/invite/abc_DEF-123", origin)).toBe("/invite/abc_DEF-123");
    expect(safeRedirectPath("/", origin)).toBe("/");
  });

  test("without a public origin, only paths pass", () => {
    expect(safeRedirectPath("/settings")).toBe("/settings");
    expect(safeRedirectPath("http://localhost:3000/ok")).toBe("/");
    expect(safeRedirectPath("//evil.example")).toBe("/");
  });

  test("arrays take their first value; other types and huge values fall back", () => {
    expect(safeRedirectPath(["/first", "//evil.example"], origin)).toBe("/first");
    expect(safeRedirectPath(undefined, origin)).toBe("/");
    expect(safeRedirectPath(42, origin)).toBe("/");
    expect(safeRedirectPath(`/${"a".repeat(5000)}`, origin)).toBe("/");
    expect(safeRedirectPath("//evil.example", origin, "/home")).toBe("/home");
  });

  test("whatever it returns starts with one slash and has no backslash or control character", () => {
    const inputs = [...hostile, "/ok", "http://localhost:3000/ok", "/%E2%80%A8", "/%C0%AF/evil", "/%ZZ//evil"];
    for (const raw of inputs) {
      const out = safeRedirectPath(raw, origin);
      expect(out).toMatch(/^\/(?![/\\])/);
      expect(out).not.toMatch(/[\\\u0000-\u001f]/);
      // A browser resolving it against the site stays on the site.
      expect(new URL(out, origin).origin).toBe(origin);
    }
  });
});
