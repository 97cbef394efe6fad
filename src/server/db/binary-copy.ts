/**
 * Rows for `COPY float_points (series_id, step, value, ts) FROM STDIN (FORMAT binary)`.
 * Binary rows skip turning every double into text and back, which is most of the cost of
 * a large append on both sides of the connection; NaN and ±Infinity travel as themselves.
 */
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const ROW_BYTES = 2 + 4 * (4 + 8);

export type FloatPointColumns = { ids: number[]; steps: number[]; values: number[]; ts: number[] };

export function floatPointsCopyBuffer(c: FloatPointColumns): Buffer {
  const n = c.ids.length;
  const buf = Buffer.allocUnsafe(SIGNATURE.length + 8 + n * ROW_BYTES + 2);
  let o = SIGNATURE.copy(buf, 0);
  o = buf.writeInt32BE(0, o); // flags
  o = buf.writeInt32BE(0, o); // header extension length
  for (let i = 0; i < n; i++) {
    o = buf.writeInt16BE(4, o);
    o = buf.writeInt32BE(8, o);
    o = buf.writeBigInt64BE(BigInt(c.ids[i]), o);
    o = buf.writeInt32BE(8, o);
    o = buf.writeDoubleBE(c.steps[i], o);
    o = buf.writeInt32BE(8, o);
    o = buf.writeDoubleBE(c.values[i], o);
    o = buf.writeInt32BE(8, o);
    o = buf.writeBigInt64BE(BigInt(c.ts[i]), o);
  }
  buf.writeInt16BE(-1, o);
  return buf;
}
