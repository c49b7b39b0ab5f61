import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, apiClient, data } from '../../api';
import type { Irritant, IrritantOption, ItemRead, Verbatim } from './types';

/** The irritant, the week it is read in (the URL's or the current one) and its item on that board. */
export function useIrritantPage(id: string, weekParam: string | null) {
  const irritant = useQuery({
    queryKey: ['irritant', id],
    queryFn: () => api.get<Irritant>(`/api/v1/irritants/${encodeURIComponent(id)}`),
    retry: false,
  });
  const current = useQuery({
    queryKey: ['board-current-week'],
    queryFn: () => api.get<{ isoWeek: string }>('/api/v1/boards/current', { limit: 1 }),
    enabled: weekParam === null,
  });
  const week = weekParam ?? current.data?.isoWeek;
  const item = useQuery({
    queryKey: ['board-item', week, id],
    queryFn: () => api.get<ItemRead>(`/api/v1/boards/${week}/items/${encodeURIComponent(id)}`),
    // Not for an old id: the page moves to the irritant it lives on first.
    enabled: week !== undefined && irritant.data?.id === id,
    retry: false,
  });
  const notOnBoard = item.error instanceof ApiError && item.error.status === 404;
  return { irritant, week, item, notOnBoard };
}

export function useWeeklyReach(irritantId: string, weeks: number) {
  return useQuery({
    queryKey: ['irritant-weekly', irritantId, weeks],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/irritants/{id}/weekly', {
          params: { path: { id: irritantId }, query: { weeks } },
        }),
      ),
  });
}

export function useOverrides(irritantId: string) {
  return useQuery({
    queryKey: ['overrides', irritantId],
    queryFn: () =>
      data(apiClient.GET('/api/v1/irritants/{id}/overrides', { params: { path: { id: irritantId } } })),
  });
}

export function useIrritantOptions() {
  return useQuery({
    queryKey: ['irritant-options'],
    queryFn: () => api.get<IrritantOption[]>('/api/v1/irritants', { limit: 500 }),
  });
}

export function useIrritantVerbatims(irritantId: string, q: string) {
  return useInfiniteQuery({
    queryKey: ['irritant-verbatims', irritantId, q],
    queryFn: ({ pageParam }) =>
      api.get<{ items: Verbatim[]; nextCursor: string | null }>('/api/v1/verbatims', {
        irritant: irritantId,
        q,
        limit: 100,
        cursor: pageParam,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** After a triage action: the irritant, its verbatims, the pickers and the live boards read again. */
export function useRefreshAfterTriage(irritantId: string) {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: ['irritant-verbatims', irritantId] });
    await client.invalidateQueries({ queryKey: ['irritant', irritantId] });
    await client.invalidateQueries({ queryKey: ['irritant-weekly', irritantId] });
    await client.invalidateQueries({ queryKey: ['irritant-options'] });
    // The live boards were recomputed by the action: their items and ranks show it at once.
    await client.invalidateQueries({ queryKey: ['board'] });
    await client.invalidateQueries({ queryKey: ['board-item'] });
  };
}
