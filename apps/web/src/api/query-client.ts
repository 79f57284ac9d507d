import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-error';
import { queryKeys } from './query-keys';

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // Any change the user makes may settle or raise a notice (a review decided, a request
    // answered): the bell asks again at once instead of at its next poll.
    mutationCache: new MutationCache({ onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.notificationsAll }) }),
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; network and 5xx errors get two more tries.
        retry: (failureCount, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
        refetchOnWindowFocus: false,
        staleTime: 15_000,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
