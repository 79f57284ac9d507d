import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../api/query-client';
import { LocalizedAntdProvider } from '../i18n/localized-antd-provider';

/** Renders with the providers the pages expect: React Query, antd (localized) and a router. */
export function renderWithProviders(ui: ReactElement, { route = '/' }: { route?: string } = {}): RenderResult {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <LocalizedAntdProvider>
        <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
      </LocalizedAntdProvider>
    </QueryClientProvider>,
  );
}
