/**
 * Parses the head of a CSV (RFC 4180: quoted fields may hold the delimiter, newlines and
 * doubled quotes) into at most maxRows rows. `complete` is false when the text was cut, so the
 * last, possibly partial, row is dropped. Tab-separated text parses with delimiter "\t".
 */
export function parseCsv(text: string, opts: { delimiter?: string; maxRows?: number; complete?: boolean } = {}): string[][] {
  const delimiter = opts.delimiter ?? ",";
  const maxRows = opts.maxRows ?? Infinity;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  let rowDone = false;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = "";
    rowDone = true;
  };
  while (i < text.length && rows.length < maxRows) {
    const c = text[i];
    rowDone = false;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      endRow();
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else field += c;
    i++;
  }
  const cut = opts.complete === false;
  // The text ended inside a row: keep it only when the text is the whole file.
  if (!rowDone && rows.length < maxRows && (field !== "" || row.length > 0) && !cut) endRow();
  return rows;
}

/** Tab-separated when the path or content type says so, else comma-separated. */
export function csvDelimiter(path: string, contentType: string | null): string {
  return /\.tsv$/i.test(path) || /tab-separated/i.test(contentType ?? "") ? "\t" : ",";
}
