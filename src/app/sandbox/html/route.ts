import { sandboxPage } from "@/server/sandbox/sandbox-page";

/** The frame an uploaded HTML file renders in (see sandbox-page.ts). */
export function GET(): Response {
  return sandboxPage("html");
}
