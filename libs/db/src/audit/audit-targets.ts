import type { DataSource, EntityManager } from 'typeorm';

/** What an audit event's target is called, in both languages (the same text twice where it has one name). */
export interface AuditTargetLabel {
  zh: string;
  en: string;
}

/** Per target type, its current name by id (`$1`: the ids): titles, names, numbers; a licence or an access request by what it is of. */
const TARGET_LABELS: Record<string, string> = {
  dataset: `SELECT id::text, title_zh AS zh, title_en AS en FROM datasets WHERE id = ANY($1::uuid[])`,
  product: `SELECT id::text, title_zh AS zh, title_en AS en FROM products WHERE id = ANY($1::uuid[])`,
  offer: `SELECT id::text, name_zh AS zh, name_en AS en FROM offers WHERE id = ANY($1::uuid[])`,
  license: `SELECT l.id::text, p.title_zh AS zh, p.title_en AS en FROM licenses l JOIN products p ON p.id = l.product_id WHERE l.id = ANY($1::uuid[])`,
  access_request: `SELECT r.id::text, d.title_zh AS zh, d.title_en AS en FROM access_requests r JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ANY($1::uuid[])`,
  access_grant: `SELECT g.id::text, d.title_zh AS zh, d.title_en AS en FROM access_grants g JOIN datasets d ON d.id = g.dataset_id WHERE g.id = ANY($1::uuid[])`,
  license_template: `SELECT id::text, title_zh AS zh, title_en AS en FROM license_templates WHERE id = ANY($1::uuid[])`,
  organization: `SELECT id::text, name AS zh, name AS en FROM organizations WHERE id = ANY($1::uuid[])`,
  invoice: `SELECT id::text, number AS zh, number AS en FROM invoices WHERE id = ANY($1::uuid[])`,
  api_key: `SELECT id::text, name AS zh, name AS en FROM api_keys WHERE id = ANY($1::uuid[])`,
  invitation: `SELECT id::text, email AS zh, email AS en FROM invitations WHERE id = ANY($1::uuid[])`,
};

/** The target types whose names are known. */
export const LABELLED_AUDIT_TARGETS = Object.keys(TARGET_LABELS);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The current names of audit events' targets, keyed `type:id` (ids lower case): one query per
 * type of target among `events`. Types without names and ids that are no uuid are left out.
 */
export async function auditTargetLabels(
  db: Pick<DataSource | EntityManager, 'query'>,
  events: ReadonlyArray<{ targetType: string | null; targetId: string | null }>,
): Promise<Map<string, AuditTargetLabel>> {
  const idsByType = new Map<string, Set<string>>();
  for (const { targetType, targetId } of events) {
    if (!targetType || !targetId || !(targetType in TARGET_LABELS) || !UUID.test(targetId)) continue;
    const ids = idsByType.get(targetType) ?? new Set<string>();
    ids.add(targetId.toLowerCase());
    idsByType.set(targetType, ids);
  }
  const labels = new Map<string, AuditTargetLabel>();
  // One after another: the caller's transaction, if any, runs one query at a time.
  for (const [type, ids] of idsByType) {
    const rows = (await db.query(TARGET_LABELS[type]!, [[...ids]])) as Array<{ id: string; zh: string; en: string }>;
    for (const row of rows) labels.set(`${type}:${row.id}`, { zh: row.zh, en: row.en });
  }
  return labels;
}
