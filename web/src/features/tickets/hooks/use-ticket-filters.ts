import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FILTER_KEYS, type TicketFilters } from '../types';

/** Ticket filters live in the URL query string so views can be shared and survive reloads. */
export function useTicketFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f: TicketFilters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);

  const setFilters = useCallback(
    (patch: Partial<TicketFilters>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined || v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          if (!('page' in patch)) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { filters, setFilters };
}
