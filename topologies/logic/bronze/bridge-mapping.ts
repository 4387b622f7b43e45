/**
 * What mapping one decoded Avro bronze record gives: a record for one of the pipeline's
 * bronze topics, or a reason why the pipeline cannot take it (the record then goes to the
 * bridge's dead-letter topic with its original bytes and headers).
 *
 * The bridge translates; it does not judge. A value the pipeline contract can express is
 * passed on even when it is invalid (a zero price, an unknown currency): the silver gate
 * validates events and sends them to its own DLQ with the reason, where reconciliation
 * counts them. Only what cannot be expressed at all is refused here.
 */
export type BridgeTarget = 'events' | 'customerChanges' | 'products';

export type RefusalCode = 'DECODE_ERROR' | 'NO_CONTRACT' | 'MAPPING_ERROR';

export type BridgeMapping =
  | { readonly ok: true; readonly target: BridgeTarget; readonly key: string; readonly value: object | null }
  | { readonly ok: false; readonly code: RefusalCode; readonly reason: string };

export const refuse = (code: RefusalCode, reason: string): BridgeMapping => ({ ok: false, code, reason });
export const bridged = (target: BridgeTarget, key: string, value: object | null): BridgeMapping => ({ ok: true, target, key, value });

/** Scale of every money field of the bronze schemas (decimal(18, 4)). */
export const MONEY_SCALE = 4;
/** The channel of a record that names none (the silver schemas' default). */
export const DEFAULT_CHANNEL = 'direct';
/** The category, country or page of a record that names none. */
export const UNKNOWN = 'unknown';
