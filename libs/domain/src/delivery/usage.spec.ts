import fc from 'fast-check';
import { checkUsageEvent, deliveryUsageEvents, periodReading, usageHour, USAGE_WINDOW, type UsageEvent } from './usage.js';

const now = new Date('2026-11-24T10:00:00.000Z');
const event = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({
  key: 'req-1:row',
  productId: '6a0d3f4e-1b2c-4d5e-8f90-a1b2c3d4e5f6',
  productVersionId: null,
  licenseId: null,
  consumerOrganizationId: null,
  channel: 'api',
  unit: 'row',
  quantity: 3,
  occurredAt: now,
  ...overrides,
});

describe('usage events', () => {
  it('accepts events from 35 days back to 5 minutes ahead, and says why not outside', () => {
    expect(checkUsageEvent(event({ occurredAt: new Date(now.getTime() - USAGE_WINDOW.lateMs) }), now)).toBeNull();
    expect(checkUsageEvent(event({ occurredAt: new Date(now.getTime() + USAGE_WINDOW.earlyMs) }), now)).toBeNull();
    expect(checkUsageEvent(event({ occurredAt: new Date(now.getTime() - USAGE_WINDOW.lateMs - 1) }), now)).toEqual({ code: 'metering.too_late', latestAcceptedAfter: '2026-10-20T10:00:00.000Z' });
    expect(checkUsageEvent(event({ occurredAt: new Date(now.getTime() + USAGE_WINDOW.earlyMs + 1) }), now)).toEqual({ code: 'metering.in_future', acceptedUntil: '2026-11-24T10:05:00.000Z' });
  });

  it('refuses malformed events', () => {
    expect(checkUsageEvent(event({ key: '' }), now)?.code).toBe('metering.invalid_event');
    expect(checkUsageEvent(event({ key: 'x'.repeat(201) }), now)?.code).toBe('metering.invalid_event');
    expect(checkUsageEvent(event({ quantity: -1 }), now)?.code).toBe('metering.invalid_event');
    expect(checkUsageEvent(event({ quantity: 1.5 }), now)?.code).toBe('metering.invalid_event');
    expect(checkUsageEvent(event({ unit: 'minute' as never }), now)?.code).toBe('metering.invalid_event');
    expect(checkUsageEvent(event({ occurredAt: new Date(Number.NaN) }), now)?.code).toBe('metering.invalid_event');
  });

  it('counts an API delivery as a call, its rows and its bytes, and a file as rows and bytes, with keys derived from the delivery', () => {
    const facts = { deliveryKey: 'lic-9:req-7', productId: 'p', productVersionId: 'v', licenseId: 'l', consumerOrganizationId: 'o', rows: 100, bytes: 4096, occurredAt: now };
    expect(deliveryUsageEvents({ ...facts, channel: 'api' }).map((item) => [item.key, item.unit, item.quantity])).toEqual([
      ['lic-9:req-7:api_call', 'api_call', 1],
      ['lic-9:req-7:row', 'row', 100],
      ['lic-9:req-7:byte', 'byte', 4096],
    ]);
    expect(deliveryUsageEvents({ ...facts, channel: 'file' }).map((item) => item.unit)).toEqual(['row', 'byte']);
  });
});

describe('periodReading', () => {
  it('reads whole hours from rollups and the partial hours at the ends from events', () => {
    expect(periodReading(new Date('2026-11-01T08:30:00Z'), new Date('2026-12-01T08:30:00Z'))).toEqual({
      hours: { from: new Date('2026-11-01T09:00:00Z'), to: new Date('2026-12-01T08:00:00Z') },
      edges: [
        { start: new Date('2026-11-01T08:30:00Z'), end: new Date('2026-11-01T09:00:00Z') },
        { start: new Date('2026-12-01T08:00:00Z'), end: new Date('2026-12-01T08:30:00Z') },
      ],
    });
    expect(periodReading(new Date('2026-11-01T08:10:00Z'), new Date('2026-11-01T08:20:00Z')).edges).toEqual([{ start: new Date('2026-11-01T08:10:00Z'), end: new Date('2026-11-01T08:20:00Z') }]);
  });

  it('covers every instant of the period exactly once', () => {
    const base = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(fc.nat({ max: 10 * 86_400_000 }), fc.nat({ max: 10 * 86_400_000 }), fc.nat({ max: 20 * 86_400_000 }), (a, b, probe) => {
        const start = new Date(base + Math.min(a, b));
        const end = new Date(base + Math.max(a, b));
        const at = base + probe;
        const reading = periodReading(start, end);
        const inHours = at >= reading.hours.from.getTime() && at < reading.hours.to.getTime() ? 1 : 0;
        const inEdges = reading.edges.filter((edge) => at >= edge.start.getTime() && at < edge.end.getTime()).length;
        const inPeriod = at >= start.getTime() && at < end.getTime() ? 1 : 0;
        expect(inHours + inEdges).toBe(inPeriod);
        if (inHours) expect(usageHour(new Date(at)).getTime()).toBeGreaterThanOrEqual(reading.hours.from.getTime());
      }),
    );
  });
});
