import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiClient, data } from '../../api';

/** The irritant, the week it is read in (the URL's or the current one) and its item on that board. */
export function useIrritantPage(id: string, weekParam: string | null) {
  const irritant = useQuery({
    queryKey: ['irritant', id],
    // An old id (merged, emptied by moves) answers 301: fetch follows it to the irritant it lives on.
    queryFn: () => data(apiClient.GET('/api/v1/irritants/{id}', { params: { path: { id } } })),
    retry: false,
  });
  const current = useQuery({
    queryKey: ['board-current-week'],
    queryFn: () => data(apiClient.GET('/api/v1/boards/current', { params: { query: { limit: 1 } } })),
    enabled: weekParam === null,
  });
  const week = weekParam ?? current.data?.isoWeek;
  const item = useQuery({
    queryKey: ['board-item', week, id],
    queryFn: () =>
      data(
        apiClient.GET('/api/v1/boards/{isoWeek}/items/{irritantId}', {
          params: { path: { isoWeek: week ?? '', irritantId: id } },
        }),
      ),
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
    queryFn: () => data(apiClient.GET('/api/v1/irritants', { params: { query: { limit: 500 } } })),
  });
}

export function useIrritantVerbatims(irritantId: string, q: string) {
  return useInfiniteQuery({
    queryKey: ['irritant-verbatims', irritantId, q],
    queryFn: ({ pageParam }) =>
      data(
        apiClient.GET('/api/v1/verbatims', {
          // An empty search is no search: the API reads `?q=` as a search for nothing.
          params: {
            query: { irritant: irritantId, q: q || undefined, limit: 100, cursor: pageParam ?? undefined },
          },
        }),
      ),
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
