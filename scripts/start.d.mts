export const root: string;
export function hasBuild(): boolean;
/** Runs `next build` unless an up-to-date build exists (or always, with force). */
export function ensureBuild(opts?: { force?: boolean; log?: (msg: string) => void }): Promise<boolean>;
export class BuildError extends Error {
  code: number;
}
