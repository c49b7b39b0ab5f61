import { useQuery } from '@tanstack/react-query';
import { type Schemas, apiClient, data } from '../api';

export type Category = Schemas['CategoryView'];

/**
 * The taxonomy in force, from the API (GET /api/v1/categories): the shipped categories and those an
 * admin added, in the taxonomy's order. Read once and shared by every page of the session; a
 * category added meanwhile shows after a few minutes or a reload.
 */
const categoriesQuery = {
  queryKey: ['categories'],
  queryFn: () => data(apiClient.GET('/api/v1/categories')),
  staleTime: 5 * 60_000,
} as const;

const NONE: Category[] = [];

/** The categories a person may pick (filters, corrections): `keys` is empty until they arrive. */
export function useCategories() {
  const query = useQuery(categoriesQuery);
  const categories = query.data ?? NONE;
  return { query, categories, keys: categories.map((category) => category.key) };
}

/**
 * The categories if some page has read them already, without asking for them: for naming a
 * category an admin added, which the UI's dictionaries cannot know.
 */
export function useKnownCategories(): Category[] {
  return useQuery({ ...categoriesQuery, enabled: false }).data ?? NONE;
}

/**
 * The keys to offer in a select whose value comes from elsewhere (the URL, a verbatim): that value
 * is an option before the list arrives and stays one if the taxonomy no longer has it, so the
 * select never silently shows another.
 */
export function withCurrent(keys: readonly string[], current: string | null | undefined): string[] {
  return current && !keys.includes(current) ? [current, ...keys] : [...keys];
}
