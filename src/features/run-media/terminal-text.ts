// Terminal control sequences that logs captured from a console carry: colours (CSI … m),
// cursor moves and OSC titles/links. They mean nothing on a page.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/**
 * A logged line as a terminal would have left it: control sequences removed, and a carriage
 * return (progress bars redrawing themselves) keeping only what was written after it.
 */
export function terminalText(value: string): string {
  return value
    .replace(ANSI, "")
    .split("\n")
    .map((segment) => {
      const trimmed = segment.endsWith("\r") ? segment.replace(/\r+$/, "") : segment;
      const at = trimmed.lastIndexOf("\r");
      return at === -1 ? trimmed : trimmed.slice(at + 1);
    })
    .join("\n");
}
