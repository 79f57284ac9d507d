import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SchemaChanges } from '../api/schema-types';

/** What a version changed in the schema: columns added, removed and retyped. */
export function SchemaChangesView({ changes }: { changes: SchemaChanges | null }) {
  const { t } = useTranslation();
  if (!changes) {
    return <Typography.Text type="secondary">{t('versions.firstVersion')}</Typography.Text>;
  }
  const count = changes.added.length + changes.removed.length + changes.retyped.length;
  if (count === 0) {
    return (
      <Typography.Text type="secondary" data-testid="schema-unchanged">
        {t('versions.schemaUnchanged')}
      </Typography.Text>
    );
  }
  return (
    <Space wrap size={[4, 4]} data-testid="schema-changes">
      {changes.added.map((column) => (
        <Tag key={`added-${column.name}`} color="green" data-testid="schema-added">
          {t('versions.added', { name: column.name, type: column.type })}
        </Tag>
      ))}
      {changes.removed.map((column) => (
        <Tag key={`removed-${column.name}`} color="red" data-testid="schema-removed">
          {t('versions.removed', { name: column.name, type: column.type })}
        </Tag>
      ))}
      {changes.retyped.map((column) => (
        <Tag key={`retyped-${column.name}`} color="orange" data-testid="schema-retyped">
          {t('versions.retyped', { name: column.name, from: column.from, to: column.to })}
        </Tag>
      ))}
    </Space>
  );
}
