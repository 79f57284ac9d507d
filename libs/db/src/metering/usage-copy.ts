import { DELIVERY_CHANNELS, USAGE_UNITS, type UsageEvent } from '@civic/domain';

/**
 * The bulk path of `recordUsage`, client side: usage events encoded in COPY's binary format (no
 * text for PostgreSQL to parse, no dates to format here), the hourly totals a batch adds, and
 * the Bloom filters by which concurrent batches tell each other which keys they may hold.
 */

/** COPY's binary header: signature, flags, header extension length. */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);
/** Milliseconds between the Unix epoch and PostgreSQL's (2000-01-01T00:00:00Z). */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
/** Bytes per row besides the key's characters: field count, 10 length words, 4 uuids, the longest channel and unit, quantity and two times. */
const ROW_BYTES = 2 + 10 * 4 + 4 * 16 + 4 + 8 + 3 * 8;

const uuidWords = new Map<string, Uint32Array>();
const HEX_UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A uuid written as text, as four big-endian words (cached: batches repeat the same products, licences and organizations). */
function uuidOf(value: string): Uint32Array {
  let words = uuidWords.get(value);
  if (!words) {
    if (!HEX_UUID.test(value)) throw Object.assign(new Error(`invalid input syntax for type uuid: "${value}"`), { code: '22P02' });
    if (uuidWords.size >= 100_000) uuidWords.clear();
    const bytes = Buffer.from(value.replace(/-/g, ''), 'hex');
    words = Uint32Array.of(bytes.readUInt32BE(0), bytes.readUInt32BE(4), bytes.readUInt32BE(8), bytes.readUInt32BE(12));
    uuidWords.set(value, words);
  }
  return words;
}

/** A uuid field (length, then 16 bytes) or a null one; answers the offset after it. */
function writeUuid(view: DataView, offset: number, value: string | null): number {
  if (value === null) {
    view.setInt32(offset, -1);
    return offset + 4;
  }
  const words = uuidOf(value);
  view.setInt32(offset, 16);
  view.setUint32(offset + 4, words[0]!);
  view.setUint32(offset + 8, words[1]!);
  view.setUint32(offset + 12, words[2]!);
  view.setUint32(offset + 16, words[3]!);
  return offset + 20;
}

/** Channels and units as text fields (length, then the characters). */
const WORDS = new Map<string, Uint8Array>([...DELIVERY_CHANNELS, ...USAGE_UNITS].map((word) => [word, Uint8Array.of(0, 0, 0, word.length, ...Buffer.from(word, 'latin1'))]));

/** A channel or unit field; answers the offset after it. */
function writeWord(buffer: Buffer, offset: number, value: string): number {
  const bytes = WORDS.get(value)!;
  for (let index = 0; index < bytes.length; index += 1) buffer[offset + index] = bytes[index]!;
  return offset + bytes.length;
}

/** The columns of the encoded rows, in order. */
export const USAGE_COPY_COLUMNS = 'key, product_id, product_version_id, license_id, consumer_organization_id, channel, unit, quantity, occurred_at, recorded_at';

/**
 * A batch's events as the data of `COPY usage_events (USAGE_COPY_COLUMNS) FROM STDIN (FORMAT
 * binary)`, in the order of their buckets (so by licence: the licence index takes its entries
 * in runs): per row the field count, then each field's length (-1 for null) and big-endian
 * bytes; times are microseconds since 2000-01-01 UTC. Keys, channels and units are printable
 * ASCII (checked by `checkUsageEvent`).
 */
export function encodeUsageEvents(totals: HourlyTotals, recordedAt: Date): Buffer {
  const events = totals.events();
  let size = HEADER.length + TRAILER.length;
  for (const event of events) size += ROW_BYTES + event.key.length;
  const buffer = Buffer.allocUnsafe(size);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let offset = HEADER.copy(buffer, 0);
  const recorded = (recordedAt.getTime() - POSTGRES_EPOCH_MS) * 1000;
  const recordedHigh = Math.floor(recorded / TWO_32);
  const recordedLow = recorded - recordedHigh * TWO_32;
  for (const event of events) {
    view.setInt16(offset, 10);
    offset += 2;
    const key = event.key;
    view.setInt32(offset, key.length);
    offset += 4;
    for (let char = 0; char < key.length; char += 1) buffer[offset + char] = key.charCodeAt(char);
    offset += key.length;
    offset = writeUuid(view, offset, event.productId);
    offset = writeUuid(view, offset, event.productVersionId);
    offset = writeUuid(view, offset, event.licenseId);
    offset = writeUuid(view, offset, event.consumerOrganizationId);
    offset = writeWord(buffer, offset, event.channel);
    offset = writeWord(buffer, offset, event.unit);
    // 64-bit fields as two 32-bit halves.
    const quantityHigh = Math.floor(event.quantity / TWO_32);
    view.setInt32(offset, 8);
    view.setInt32(offset + 4, quantityHigh);
    view.setUint32(offset + 8, event.quantity - quantityHigh * TWO_32);
    const occurred = (event.occurredAt.getTime() - POSTGRES_EPOCH_MS) * 1000;
    const occurredHigh = Math.floor(occurred / TWO_32);
    view.setInt32(offset + 12, 8);
    view.setInt32(offset + 16, occurredHigh);
    view.setUint32(offset + 20, occurred - occurredHigh * TWO_32);
    view.setInt32(offset + 24, 8);
    view.setInt32(offset + 28, recordedHigh);
    view.setUint32(offset + 32, recordedLow);
    offset += 36;
  }
  offset += TRAILER.copy(buffer, offset);
  return buffer.subarray(0, offset);
}

const HOUR_MS = 3_600_000;

/** One row to add to `usage_hourly`: the totals of a batch's events in one bucket. */
export interface HourlyBucket {
  hour: number;
  productId: string;
  licenseId: string | null;
  consumerOrganizationId: string | null;
  channel: string;
  unit: string;
  quantity: number;
  events: number;
}

interface BucketEvents extends HourlyBucket {
  list: UsageEvent[];
}

/**
 * A batch's events by bucket (product, licence, consumer, channel, unit, UTC hour), with each
 * bucket's totals. Nested maps keyed by the events' own strings, so no composite key is built
 * per event.
 */
export class HourlyTotals {
  private readonly all: BucketEvents[] = [];
  private readonly byProduct = new Map<string, Map<string | null, Map<string | null, Map<number, BucketEvents>>>>();
  private readonly size: number;

  constructor(events: readonly UsageEvent[]) {
    this.size = events.length;
    for (const event of events) {
      const bucket = this.bucket(event, event.occurredAt.getTime());
      bucket.quantity += event.quantity;
      bucket.events += 1;
      bucket.list.push(event);
    }
  }

  /** The events, bucket after bucket, the buckets grouped by product, licence and consumer. */
  events(): UsageEvent[] {
    const events: UsageEvent[] = [];
    for (const byLicense of this.byProduct.values()) {
      for (const byConsumer of byLicense.values()) {
        for (const byRest of byConsumer.values()) {
          for (const bucket of byRest.values()) for (const event of bucket.list) events.push(event);
        }
      }
    }
    return events;
  }

  get buckets(): readonly HourlyBucket[] {
    return this.all;
  }

  /** How many events. */
  get count(): number {
    return this.size;
  }

  private bucket(event: UsageEvent, occurredAt: number): BucketEvents {
    let byLicense = this.byProduct.get(event.productId);
    if (!byLicense) this.byProduct.set(event.productId, (byLicense = new Map()));
    let byConsumer = byLicense.get(event.licenseId);
    if (!byConsumer) byLicense.set(event.licenseId, (byConsumer = new Map()));
    let byRest = byConsumer.get(event.consumerOrganizationId);
    if (!byRest) byConsumer.set(event.consumerOrganizationId, (byRest = new Map()));
    const hourIndex = Math.floor(occurredAt / HOUR_MS);
    const rest = (hourIndex * DELIVERY_CHANNELS.length + DELIVERY_CHANNELS.indexOf(event.channel)) * USAGE_UNITS.length + USAGE_UNITS.indexOf(event.unit);
    let bucket = byRest.get(rest);
    if (!bucket) {
      bucket = {
        hour: hourIndex * HOUR_MS,
        productId: event.productId,
        licenseId: event.licenseId,
        consumerOrganizationId: event.consumerOrganizationId,
        channel: event.channel,
        unit: event.unit,
        quantity: 0,
        events: 0,
        list: [],
      };
      byRest.set(rest, bucket);
      this.all.push(bucket);
    }
    return bucket;
  }
}

/** Bits of a batch's key filter (32 KiB): with two bits per key, a batch of 10,000 keys answers "maybe" for about 0.5 % of other keys. */
const FILTER_BITS = 1 << 18;
const FILTER_MASK = FILTER_BITS - 1;

/** Writes key `index`'s two bit positions (FNV-1a over the key, then a mix of it) into `bits`, to fill and to probe filters. */
export function setKeyBits(bits: Uint32Array, index: number, key: string): void {
  let hash = 0x811c9dc5;
  for (let char = 0; char < key.length; char += 1) hash = Math.imul(hash ^ key.charCodeAt(char), 0x01000193);
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  bits[index * 2] = (hash >>> 0) & FILTER_MASK;
  bits[index * 2 + 1] = ((mixed ^ (mixed >>> 16)) >>> 0) & FILTER_MASK;
}

/** A Bloom filter of a batch's keys, from their bits (`setKeyBits`). */
export function keyFilter(bits: Uint32Array): Buffer {
  const filter = Buffer.alloc(FILTER_BITS / 8);
  for (const bit of bits) filter[bit >>> 3]! |= 1 << (bit & 7);
  return filter;
}

/** Whether key `index` (of the `bits` given) may be in one of the filters; never false for a key that is. */
export function mayBeIn(filters: readonly Buffer[], bits: Uint32Array, index: number): boolean {
  const first = bits[index * 2]!;
  const second = bits[index * 2 + 1]!;
  for (const filter of filters) {
    if (filter.length === FILTER_BITS / 8 && filter[first >>> 3]! & (1 << (first & 7)) && filter[second >>> 3]! & (1 << (second & 7))) return true;
  }
  return false;
}
