import { pathProblem } from "../contracts/paths";

export type PathKind = "float" | "string" | "bool" | "datetime" | "floatSeries" | "stringSeries" | "file" | "fileSeries";

/** What the run knows of one path. `last` is the last step of a series, so a step that does not increase is refused at the call rather than by the server, which would refuse the whole batch. */
export class PathState {
  /** -Infinity: unknown (nothing sent yet, or only server-assigned steps since). */
  last = -Infinity;
  constructor(readonly kind: PathKind) {}
}

const ATOMS = new Set<PathKind>(["float", "string", "bool", "datetime"]);

/** Validates each path once, then remembers its kind: a path keeps its type on the server too. */
export class PathRegistry {
  private readonly known = new Map<string, PathState>();

  claim(path: string, kind: PathKind): PathState {
    const known = this.known.get(path);
    if (known !== undefined) {
      if (known.kind !== kind) throw new TypeError(`Cairn: "${path}" is a ${known.kind} in this run; it cannot also be a ${kind}`);
      return known;
    }
    const problem = pathProblem(path);
    if (problem !== null) throw new TypeError(`Cairn: ${problem}`);
    const state = new PathState(kind);
    this.known.set(path, state);
    return state;
  }

  /** Assigning null deletes a field on the server, after which the path may take any type. */
  clear(path: string): void {
    const known = this.known.get(path);
    if (known === undefined) {
      const problem = pathProblem(path);
      if (problem !== null) throw new TypeError(`Cairn: ${problem}`);
    } else if (!ATOMS.has(known.kind)) {
      throw new TypeError(`Cairn: "${path}" is a ${known.kind} in this run; only fields can be cleared with null`);
    }
    this.known.delete(path);
  }
}
