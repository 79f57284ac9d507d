import type Stripe from 'stripe';
import type { Engine } from '../engine.js';
import { invalid, notFound } from '../errors.js';
import { inRange, type Params } from '../params.js';
import { clone } from '../util.js';

/** `invoice.paid` matches `invoice.paid`, `invoice.*` and `*`. */
export function eventTypeMatches(type: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return type === pattern;
}

export function retrieveEvent(e: Engine, id: string): Stripe.Event {
  const event = e.eventsById.get(id);
  if (!event) throw notFound('event', id);
  return clone(event);
}

/** GET /v1/events: newest first; `type` (with `*` wildcards), `types[]`, `created`, cursors. */
export function listEvents(e: Engine, p: Params): unknown {
  p.check({ supported: ['type', 'types', 'created', 'limit', 'starting_after', 'ending_before'], ignored: ['delivery_success'] });
  const type = p.str('type');
  const types = p.strList('types');
  if (type !== undefined && types !== undefined) {
    throw invalid('You may only specify one of these parameters: type, types.', 'types');
  }
  if (types && types.length > 20) throw invalid('You may pass at most 20 types.', 'types');
  const created = p.range('created');
  const items = e.events.filter(
    (event) =>
      (type === undefined || eventTypeMatches(event.type, type)) &&
      (types === undefined || types.some((pattern) => eventTypeMatches(event.type, pattern))) &&
      inRange(event.created, created),
  );
  return e.paginate(items, p, '/v1/events');
}
