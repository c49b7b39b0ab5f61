/** The irritant page's address for an irritant, keeping the week it was opened from. */
export const irritantPath = (id: string, week: string | undefined | null) =>
  `/irritants/${id}${week ? `?week=${week}` : ''}`;
