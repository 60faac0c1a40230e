import canonicalize from 'canonicalize';
import type { LedgerEvent } from './types';

/** RFC 8785 (JCS) canonical JSON of a value; `undefined` members are dropped as JSON drops them. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** The members of an event that are hashed, beside its `data`: everything but `hash`. */
export type EventEnvelope = Omit<LedgerEvent, 'data' | 'hash'>;

/**
 * The RFC 8785 text of an event without its `hash`, built from an already canonical `data` text.
 * The envelope's members are fixed ASCII names in JCS order and its values are strings (serialised
 * by JSON.stringify exactly as JCS does) and one integer, so this equals
 * `canonicalJson({...envelope, data})` — a property test holds it to that — while costing a string
 * join instead of a second canonicalisation of `data`. It is also how `verify` rehashes stored rows.
 */
export function canonicalEventText(envelope: EventEnvelope, canonicalData: string): string {
  const s = JSON.stringify;
  return (
    `{"actor":${s(envelope.actor)},"data":${canonicalData},"entityId":${s(envelope.entityId)}` +
    `,"entityType":${s(envelope.entityType)},"occurredAt":${s(envelope.occurredAt)}` +
    `,"prevHash":${s(envelope.prevHash)},"recordedAt":${s(envelope.recordedAt)}` +
    `,"seq":${envelope.seq},"type":${s(envelope.type)}}`
  );
}
