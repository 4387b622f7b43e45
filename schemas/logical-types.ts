import avro from 'avsc';

/**
 * Avro logical types as streamhouse represents them in memory.
 *
 * `decimal` (bytes or fixed, with precision and scale) is a plain decimal string such as
 * "12.3400": exact, JSON-friendly and comparable after normalisation. On the wire it is the
 * big-endian two's-complement unscaled integer, as the Avro spec requires. A value with more
 * fractional digits than the scale, or more digits than the precision, is refused (never
 * rounded). `timestamp-millis`, `timestamp-micros` and `date` stay numbers (epoch millis,
 * epoch micros, days since the epoch) and need no conversion.
 */
export class DecimalType extends avro.types.LogicalType {
  readonly precision: number;
  readonly scale: number;

  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const { precision, scale: rawScale } = schema as { precision?: number; scale?: number };
    const scale = rawScale ?? 0;
    if (!Number.isInteger(precision) || (precision as number) < 1) throw new Error('decimal: precision must be a positive integer');
    if (!Number.isInteger(scale) || scale < 0 || scale > (precision as number)) throw new Error('decimal: scale must be in [0, precision]');
    this.precision = precision as number;
    this.scale = scale;
  }

  protected override _fromValue(buf: Buffer): string {
    // Up to 6 bytes the unscaled value is a safe integer: no BigInt needed.
    if (buf.length > 0 && buf.length <= 6) return formatUnscaled(buf.readIntBE(0, buf.length), this.scale);
    return formatUnscaled(bytesToBigInt(buf), this.scale);
  }

  protected override _toValue(val: unknown): Buffer {
    const fast = typeof val === 'string' ? smallUnscaled(val, this.scale, this.precision) : undefined;
    if (fast !== undefined) return safeIntToBytes(fast);
    const unscaled = parseDecimal(val, this.scale);
    const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length;
    if (unscaled !== 0n && digits > this.precision) {
      throw new Error(`decimal ${String(val)} exceeds precision ${this.precision} (scale ${this.scale})`);
    }
    return bigIntToBytes(unscaled);
  }

  protected override _resolve(type: avro.Type): ((x: unknown) => unknown) | undefined {
    if (type instanceof DecimalType && type.scale === this.scale && type.precision <= this.precision) return (x) => x;
    return undefined;
  }

  protected override _export(schema: avro.Schema): void {
    const attrs = schema as { precision?: number; scale?: number };
    attrs.precision = this.precision;
    attrs.scale = this.scale;
  }
}

/**
 * Marks a timestamp or date field as what it is (so tools can see `logical:timestamp-millis`
 * on the parsed type) and keeps the value a number: encoding is exactly the underlying
 * long or int, and it resolves from any type its underlying type resolves from.
 */
export class TimeMarkerType extends avro.types.LogicalType {
  protected override _fromValue(v: unknown): unknown {
    return v;
  }
  protected override _toValue(v: unknown): unknown {
    return v;
  }
  protected override _resolve(type: avro.Type): ((x: unknown) => unknown) | undefined {
    const under = type instanceof avro.types.LogicalType ? type.underlyingType : type;
    try {
      this.underlyingType.createResolver(under);
      return (x) => x;
    } catch {
      return undefined;
    }
  }
}

/** LOGICAL_TYPES plus markers for timestamp-millis, timestamp-micros and date. */
export const LOGICAL_TYPES_WITH_TIME: LogicalTypes = {
  decimal: DecimalType,
  'timestamp-millis': TimeMarkerType,
  'timestamp-micros': TimeMarkerType,
  date: TimeMarkerType,
};

/** The logical types to pass to `avro.Type.forSchema(schema, { logicalTypes })`. */
export const LOGICAL_TYPES: LogicalTypes = { decimal: DecimalType };

export type LogicalTypes = Record<string, new (schema: avro.Schema, opts?: unknown) => avro.types.LogicalType>;

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** The unscaled integer of a decimal string at `scale`; throws when it needs rounding. */
export function parseDecimal(val: unknown, scale: number): bigint {
  if (typeof val !== 'string') throw new Error(`decimal must be a string, got ${typeof val}`);
  const m = DECIMAL_RE.exec(val.trim());
  if (!m) throw new Error(`"${val}" is not a decimal number`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) throw new Error(`decimal ${val} has more than ${scale} fractional digits`);
  const unscaled = BigInt((m[2] ?? '0') + frac.padEnd(scale, '0'));
  return m[1] === '-' ? -unscaled : unscaled;
}

/** "123.4500" from 1234500n (or 1234500) at scale 4. */
export function formatUnscaled(unscaled: bigint | number, scale: number): string {
  const neg = unscaled < 0;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** A decimal string rewritten at `scale` ("2.5" -> "2.5000"); throws when it needs rounding. */
export function normalizeDecimal(val: string, scale: number): string {
  return formatUnscaled(parseDecimal(val, scale), scale);
}

/**
 * The unscaled value of a plain decimal string as a number when it fits in six bytes
 * (so every step is exact), needs no rounding and fits the precision; undefined otherwise
 * (the BigInt path then decides, and explains a refusal).
 */
function smallUnscaled(text: string, scale: number, precision: number): number | undefined {
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const int = m[2]!;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale || int.length + scale > 15) return undefined;
  const n = Number(int + frac.padEnd(scale, '0'));
  // Six bytes at most, so that 2^48 + n (two's complement of a negative n) stays exact.
  if (n >= 10 ** precision || n >= 2 ** 47) return undefined;
  return m[1] === '-' ? -n : n;
}

/** Minimal big-endian two's complement of a safe integer. */
function safeIntToBytes(n: number): Buffer {
  let bytes = 1;
  while (n < -(2 ** (bytes * 8 - 1)) || n >= 2 ** (bytes * 8 - 1)) bytes++;
  let v = n < 0 ? 2 ** (bytes * 8) + n : n;
  const out = Buffer.allocUnsafe(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

function bytesToBigInt(buf: Buffer): bigint {
  if (buf.length === 0) return 0n;
  let n = BigInt(`0x${buf.toString('hex')}`);
  if ((buf[0] as number) & 0x80) n -= 1n << BigInt(buf.length * 8);
  return n;
}

function bigIntToBytes(n: bigint): Buffer {
  let bytes = 1;
  while (n < -(1n << BigInt(bytes * 8 - 1)) || n >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  const mod = n < 0n ? (1n << BigInt(bytes * 8)) + n : n;
  return Buffer.from(mod.toString(16).padStart(bytes * 2, '0'), 'hex');
}
