import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/hooks.ts';

/** Pages that only make sense signed in send guests to the login page and back afterwards. */
export function RequireUser({ children }: { children: ReactNode }) {
  const { data: me, isPending } = useMe();
  const location = useLocation();
  if (isPending) return <p className="loading">Loading…</p>;
  if (!me) return <Navigate to="/login" replace state={{ from: location, reason: 'signin' }} />;
  return children;
}
