import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './client.ts';

/** The app's one query cache; a module so that non-React code (the assistant stream) can refresh it. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Client errors (404, 401, 422) will not change on retry; network blips might.
      retry: (count, error) => count < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});
