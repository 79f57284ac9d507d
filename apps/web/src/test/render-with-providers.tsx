import { StyleProvider } from '@ant-design/cssinjs';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../api/query-client';
import { LocalizedAntdProvider } from '../i18n/localized-antd-provider';

/**
 * antd's styles go into an element outside the document: jsdom matches every stylesheet rule
 * against every element whenever a style is computed (testing-library asks on each role query),
 * and antd's CSS-in-JS rules made that most of a page test's time. Tests assert on structure,
 * text and ARIA state, not on computed CSS.
 */
const detachedStyles = typeof document === 'undefined' ? undefined : document.createElement('div');

/** Renders with the providers the pages expect: React Query, antd (localized) and a router. */
export function renderWithProviders(ui: ReactElement, { route = '/' }: { route?: string } = {}): RenderResult {
  return render(
    <StyleProvider container={detachedStyles}>
      <QueryClientProvider client={createQueryClient()}>
        <LocalizedAntdProvider>
          <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
        </LocalizedAntdProvider>
      </QueryClientProvider>
    </StyleProvider>,
  );
}
