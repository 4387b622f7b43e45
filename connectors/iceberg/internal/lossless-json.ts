/**
 * JSON with 64-bit integers. Iceberg snapshot ids are random 63-bit longs, which
 * `JSON.parse` would round. `parseJson` turns integer literals beyond
 * Number.MAX_SAFE_INTEGER into `bigint`; `stringifyJson` writes a `bigint` back as a
 * bare integer literal. String contents are never touched.
 */
const MARK = '\u0000bigint:';

export function parseJson<T = unknown>(text: string): T {
  let out = '';
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += text.slice(last, i) + JSON.stringify(MARK + token);
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  out += text.slice(last);
  return JSON.parse(out, (_k, v: unknown) =>
    typeof v === 'string' && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v,
  ) as T;
}

export function stringifyJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? MARK + v.toString() : v), indent);
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

/** Snapshot ids may be numbers or bigints; compare them by value. */
export function sameId(a: number | bigint | null | undefined, b: number | bigint | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a === b || (a == null && b == null);
  return BigInt(a) === BigInt(b);
}
