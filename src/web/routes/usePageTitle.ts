import { useEffect } from 'react';
import { STORE_NAME } from '../components/Layout.tsx';

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · ${STORE_NAME}`;
  }, [title]);
}
