import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateTokenInput } from '../../contract/access-tokens.ts';
import { api, unwrap } from './client.ts';

/** The Account page's personal access tokens (`/api/me/tokens`). */

const tokensKey = ['me', 'tokens'] as const;

export function useAccessTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: () => unwrap(api.GET('/api/me/tokens')) });
}

export function useCreateAccessToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTokenInput) => unwrap(api.POST('/api/me/tokens', { body: input })),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeAccessToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/me/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
}
