import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

export function PageHeader({ title, description, extra }: { title: string; description?: ReactNode; extra?: ReactNode }) {
  return (
    <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
      <div>
        {/* Words stay whole (antd breaks titles anywhere when room is short); only a word longer than the line wraps. */}
        <Typography.Title level={3} data-testid="page-title" style={{ marginTop: 0, wordBreak: 'normal', overflowWrap: 'break-word' }}>
          {title}
        </Typography.Title>
        {description ? <Typography.Paragraph type="secondary">{description}</Typography.Paragraph> : null}
      </div>
      {extra}
    </Flex>
  );
}
