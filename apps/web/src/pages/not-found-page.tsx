import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PublicLayout } from '../components/public-layout';

/** Inside the console: back to the console home. Outside: the public page with its header. */
export function NotFoundPage({ inConsole = false }: { inConsole?: boolean }) {
  const { t } = useTranslation();
  const result = (
    <Result
      status="404"
      title={<span data-testid="page-title">{t('notFound.title')}</span>}
      subTitle={t('notFound.description')}
      extra={
        <Link to={inConsole ? '/console' : '/'}>
          <Button type="primary">{t(inConsole ? 'notFound.backConsole' : 'notFound.backHome')}</Button>
        </Link>
      }
    />
  );
  return inConsole ? result : <PublicLayout>{result}</PublicLayout>;
}
