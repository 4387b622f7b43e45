export type CsvParse = { fields: string[] } | { incomplete: true } | { error: string };

/**
 * Parses one CSV record (RFC 4180: fields separated by `delimiter`, optionally quoted with
 * `"`, a doubled `""` inside quotes is one quote, quoted fields may span lines). Returns
 * `incomplete` when a quote is still open at the end of `text` (the caller appends the next
 * line and tries again) and an error for a character after a closing quote. A quote inside
 * an unquoted field is kept as is, as most producers of dirty CSV mean it.
 */
export function parseCsvRecord(text: string, delimiter = ','): CsvParse {
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const k = text.indexOf('"', j);
        if (k < 0) return { incomplete: true };
        value += text.slice(j, k);
        if (text.charCodeAt(k + 1) === 34) {
          value += '"';
          j = k + 2;
          continue;
        }
        i = k + 1;
        break;
      }
      fields.push(value);
      if (i === n) return { fields };
      if (text[i] !== delimiter) return { error: `unexpected ${JSON.stringify(text[i])} after a closing quote at column ${i + 1}` };
      i++;
    } else {
      const k = text.indexOf(delimiter, i);
      if (k < 0) {
        fields.push(text.slice(i));
        return { fields };
      }
      fields.push(text.slice(i, k));
      i = k + 1;
    }
    if (i === n) {
      fields.push('');
      return { fields };
    }
  }
}
