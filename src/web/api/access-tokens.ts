import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccessToken, CreatedToken, CreateTokenInput } from '../../contract/access-tokens.ts';
import { api } from './client.ts';

/** The Account page's personal access tokens (`/api/me/tokens`). */

const tokensKey = ['me', 'tokens'] as const;

export function useAccessTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: () => api<AccessToken[]>('/api/me/tokens') });
}

export function useCreateAccessToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTokenInput) =>
      api<CreatedToken>('/api/me/tokens', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeAccessToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<undefined>(`/api/me/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
}
