import {
  AccountBookOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  DollarOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  ExportOutlined,
  FileSearchOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  FundOutlined,
  HourglassOutlined,
  InteractionOutlined,
  KeyOutlined,
  PercentageOutlined,
  ReadOutlined,
  ShopOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  SwapOutlined,
  TeamOutlined,
  TransactionOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { OrganizationKind } from '../api/schema-types';
import { navLabelKey, selectedNavKey, visibleNavItems, type ConsoleNavKey } from './console-nav-items';

const navIcons: Record<ConsoleNavKey, ReactNode> = {
  home: <DashboardOutlined />,
  catalog: <ReadOutlined />,
  storefront: <ShopOutlined />,
  datasets: <DatabaseOutlined />,
  products: <AppstoreOutlined />,
  'product-reviews': <FileSearchOutlined />,
  'access-requests': <SolutionOutlined />,
  'my-access': <SafetyCertificateOutlined />,
  licenses: <FileProtectOutlined />,
  invoices: <AccountBookOutlined />,
  sales: <RiseOutlined />,
  'license-approvals': <CheckSquareOutlined />,
  'finance-revenue': <BarChartOutlined />,
  'finance-invoices': <TransactionOutlined />,
  'finance-receivables': <HourglassOutlined />,
  'finance-ledger': <BookOutlined />,
  'finance-reconciliation': <InteractionOutlined />,
  'finance-settlements': <SwapOutlined />,
  'finance-periods': <CalendarOutlined />,
  'finance-policy': <PercentageOutlined />,
  revenue: <FundOutlined />,
  'price-caps': <DollarOutlined />,
  'license-templates': <FileTextOutlined />,
  payouts: <WalletOutlined />,
  members: <TeamOutlined />,
  'api-keys': <KeyOutlined />,
  audit: <AuditOutlined />,
  organizations: <BankOutlined />,
  queues: <ApiOutlined />,
};

/**
 * The console's menu. `onNavigate` runs when an item is chosen (the phone drawer closes then,
 * even when the item is the page already shown).
 */
export function ConsoleNav({ permissions, organizationKind, onNavigate }: { permissions: readonly string[]; organizationKind: OrganizationKind; onNavigate?: () => void }) {
  const { t, i18n } = useTranslation();
  const location = useLocation();

  type MenuItem = NonNullable<MenuProps['items']>[number];
  const items: MenuItem[] = [];
  for (const item of visibleNavItems(permissions)) {
    const label = t(navLabelKey(item.key, organizationKind));
    const entry = {
      key: item.key,
      icon: navIcons[item.key],
      label: item.external ? (
        // Pages outside the console (the queue board) open in its language.
        <a href={`${item.path}?lng=${encodeURIComponent(i18n.language)}`} target="_blank" rel="noopener noreferrer" data-testid={`nav-${item.key}`}>
          {label} <ExportOutlined aria-label={t('common.opensInNewTab')} />
        </a>
      ) : (
        <Link to={item.path} data-testid={`nav-${item.key}`}>
          {label}
        </Link>
      ),
    };
    // Neighbouring items of a group go under one heading (Finance); a divider closes the group.
    const previous = items[items.length - 1];
    if (item.group && previous && previous.type === 'group' && previous.key === `group-${item.group}`) previous.children!.push(entry);
    else if (item.group) items.push({ type: 'group', key: `group-${item.group}`, label: <span data-testid={`nav-group-${item.group}`}>{t(`nav.groups.${item.group}`)}</span>, children: [entry] });
    else {
      if (previous && previous.type === 'group') items.push({ type: 'divider', key: `${String(previous.key)}-end` });
      items.push(entry);
    }
  }

  return <Menu mode="inline" selectedKeys={[selectedNavKey(location.pathname)]} items={items} onClick={() => onNavigate?.()} style={{ borderInlineEnd: 0 }} />;
}
