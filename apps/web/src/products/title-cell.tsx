import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * A product's title in a table: at most two lines of the reader's language (then an ellipsis, the
 * whole title in a tooltip) and one of the other, so a long title never pushes the other columns
 * out of the table. `extra` goes below (the owner, or the status on phones).
 */
export function TitleCell({ to, primary, secondary, testId, extra }: { to: string; primary: string; secondary: string | null; testId?: string; extra?: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Typography.Paragraph ellipsis={{ rows: 2, tooltip: primary }} style={{ marginBottom: 0 }}>
        <Link to={to} data-testid={testId}>
          {primary}
        </Link>
      </Typography.Paragraph>
      {secondary ? (
        <Typography.Text type="secondary" ellipsis={{ tooltip: secondary }} style={{ display: 'block' }}>
          {secondary}
        </Typography.Text>
      ) : null}
      {extra}
    </div>
  );
}

/** A product's title as the last breadcrumb: one line, cut with an ellipsis (the page title below shows it whole). */
export function BreadcrumbTitle({ title }: { title: string }) {
  return (
    <span title={title} style={{ display: 'inline-block', maxWidth: 'min(60vw, 560px)', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', verticalAlign: 'bottom' }}>
      {title}
    </span>
  );
}
