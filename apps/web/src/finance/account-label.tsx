import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { accountKindOf, accountOwner } from './finance-format';

const PROVIDERS = ['offline', 'stripe'] as const;

/** An account in words: its kind, and whose it is (an organization, or the payment provider of a clearing account). */
export function AccountLabel({ account, organizationName, showKey = false, maxWidth = 280 }: { account: string; organizationName?: string | null; showKey?: boolean; maxWidth?: number }) {
  const { t } = useTranslation();
  const kind = accountKindOf(account);
  const owner = accountOwner(account);
  let whose: string | null = organizationName ?? null;
  if (kind === 'clearing' && owner) whose = (PROVIDERS as readonly string[]).includes(owner) ? t(`commerce.vocab.providers.${owner as (typeof PROVIDERS)[number]}`) : owner;
  return (
    <span style={{ display: 'inline-block', minWidth: Math.min(140, maxWidth), maxWidth }} data-testid="account-label" data-account={account}>
      <span>{kind ? t(`finance.accounts.kinds.${kind}`) : account}</span>
      {whose ? <Typography.Text type="secondary">{` · ${whose}`}</Typography.Text> : null}
      {showKey ? (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 11, wordBreak: 'break-all' }}>
          {account}
        </Typography.Text>
      ) : null}
    </span>
  );
}
