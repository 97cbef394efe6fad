import { forgetSessions } from "@/server/auth/session-actor";
import { forgetKeys } from "./authenticate-key";
import { forgetShareLinks } from "./authenticate-share";
import { forgetRoles } from "./authorize";

/** Drops every cached access decision in this process (keys, links, roles, sessions). */
export function forgetAccess(): void {
  forgetKeys();
  forgetShareLinks();
  forgetRoles();
  forgetSessions();
}
