import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './app-routes';
import { createQueryClient } from './api/query-client';
import { AuthProvider } from './auth/auth-context';
import { LocalizedAntdProvider } from './i18n/localized-antd-provider';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <LocalizedAntdProvider>
        <AuthProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </LocalizedAntdProvider>
    </QueryClientProvider>
  );
}
