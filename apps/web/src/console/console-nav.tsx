import {
  AccountBookOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  CheckSquareOutlined,
  DollarOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  ExportOutlined,
  FileSearchOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  KeyOutlined,
  ReadOutlined,
  ShopOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  TeamOutlined,
  TransactionOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Menu } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { selectedNavKey, visibleNavItems, type ConsoleNavKey } from './console-nav-items';

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
  'finance-invoices': <TransactionOutlined />,
  'price-caps': <DollarOutlined />,
  'license-templates': <FileTextOutlined />,
  payouts: <WalletOutlined />,
  members: <TeamOutlined />,
  'api-keys': <KeyOutlined />,
  audit: <AuditOutlined />,
  organizations: <BankOutlined />,
  queues: <ApiOutlined />,
};

export function ConsoleNav({ permissions }: { permissions: readonly string[] }) {
  const { t } = useTranslation();
  const location = useLocation();

  const items = visibleNavItems(permissions).map((item) => {
    const label = t(`nav.${item.key}`);
    return {
      key: item.key,
      icon: navIcons[item.key],
      label: item.external ? (
        <a href={item.path} target="_blank" rel="noopener noreferrer" data-testid={`nav-${item.key}`}>
          {label} <ExportOutlined aria-label={t('common.opensInNewTab')} />
        </a>
      ) : (
        <Link to={item.path} data-testid={`nav-${item.key}`}>
          {label}
        </Link>
      ),
    };
  });

  return <Menu mode="inline" selectedKeys={[selectedNavKey(location.pathname)]} items={items} style={{ borderInlineEnd: 0 }} />;
}
