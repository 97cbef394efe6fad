/**
 * PostgreSQL array literals for bulk statements (`SELECT * FROM unnest($1::text::float8[], ...)`).
 * Sending one text parameter per column keeps a 10,000-row insert to a single round trip and
 * works the same on postgres.js and PGlite. Values still travel as parameters, never as SQL.
 */
export function floatArray(values: ArrayLike<number | null>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    // String(NaN/Infinity/-Infinity) is exactly what float8 input accepts.
    out += v === null ? "NULL" : String(v);
  }
  return out + "}";
}

export function intArray(values: ArrayLike<number | null>): string {
  return floatArray(values);
}

export function textArray(values: ArrayLike<string | null>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    out += v === null ? "NULL" : `"${v.replace(/[\\"]/g, "\\$&")}"`;
  }
  return out + "}";
}

export function boolArray(values: ArrayLike<boolean | null>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    const v = values[i];
    out += v === null ? "NULL" : v ? "t" : "f";
  }
  return out + "}";
}
