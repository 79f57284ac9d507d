import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/auth-context';
import { PageHeader } from '../components/page-header';
import { CreateProductModal, productKindFor } from '../products/create-product-modal';
import { ProductsTable } from '../products/products-table';

/** The owner's products: vendors' derived products, agencies' base products; and a way to create one. */
export function ProductsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const kind = productKindFor(me.organization.kind);
  return (
    <>
      <PageHeader
        title={t('products.list.title')}
        description={t(kind === 'base' ? 'products.list.descriptionBase' : 'products.list.descriptionDerived')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="product-create-open">
            {t(kind === 'base' ? 'products.create.openBase' : 'products.create.openDerived')}
          </Button>
        }
      />
      <ProductsTable />
      <CreateProductModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
