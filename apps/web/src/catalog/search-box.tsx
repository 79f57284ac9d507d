import { SearchOutlined } from '@ant-design/icons';
import { Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The catalog's search box: words in Chinese or English, sent with Enter or the button.
 * `testId` names the input itself (`-submit` the button), so tests can type into it.
 */
export function SearchBox({
  initial,
  onSearch,
  testId,
  maxLength = 200,
  placeholder,
  label,
  size = 'large',
}: {
  initial: string;
  onSearch(words: string): void;
  testId: string;
  maxLength?: number;
  placeholder?: string;
  label?: string;
  size?: 'middle' | 'large';
}) {
  const { t } = useTranslation();
  // A new `initial` (back button, a cleared filter) replaces what was typed.
  const [shown, setShown] = useState(initial);
  const [words, setWords] = useState(initial);
  if (shown !== initial) {
    setShown(initial);
    setWords(initial);
  }
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        size={size}
        allowClear
        maxLength={maxLength}
        value={words}
        onChange={(event) => {
          setWords(event.target.value);
          // Clearing with the cross searches for everything again.
          if (event.type === 'click' && event.target.value === '') onSearch('');
        }}
        onPressEnter={() => onSearch(words)}
        placeholder={placeholder ?? t('catalog.searchPlaceholder')}
        aria-label={label ?? t('catalog.searchLabel')}
        data-testid={testId}
      />
      <Button size={size} type="primary" icon={<SearchOutlined />} onClick={() => onSearch(words)} data-testid={`${testId}-submit`} aria-label={t('common.search')}>
        {t('common.search')}
      </Button>
    </Space.Compact>
  );
}
