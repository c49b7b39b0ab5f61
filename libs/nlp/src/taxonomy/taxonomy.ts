/**
 * The categories verbatims are sorted into. The default suits an online seller of travel; an
 * installation can bring its own (same shape) with its own training set.
 */
export interface Category {
  key: string;
  label: { fr: string; en: string };
  /** Not about the site or the app: routed to another department rather than fixed by the team. */
  offSite?: boolean;
}

export interface Taxonomy {
  name: string;
  categories: Category[];
}

export const DEFAULT_TAXONOMY: Taxonomy = {
  name: 'online-travel-seller',
  categories: [
    { key: 'search_booking', label: { fr: 'Recherche et réservation', en: 'Search & booking' } },
    { key: 'payment', label: { fr: 'Paiement', en: 'Payment' } },
    { key: 'refund_exchange', label: { fr: 'Remboursement et échange', en: 'Refund & exchange' } },
    { key: 'account_login', label: { fr: 'Compte et connexion', en: 'Account & login' } },
    { key: 'eticket_delivery', label: { fr: 'E-billet et livraison', en: 'E-ticket & delivery' } },
    { key: 'mobile_app', label: { fr: 'Application mobile', en: 'Mobile app' } },
    {
      key: 'site_performance',
      label: { fr: 'Performance et pannes du site', en: 'Site performance & outage' },
    },
    { key: 'prices_fares', label: { fr: 'Prix et tarifs', en: 'Prices & fares' } },
    { key: 'customer_service', label: { fr: 'Service client', en: 'Customer service' } },
    { key: 'legal_privacy', label: { fr: 'Juridique et données personnelles', en: 'Legal & privacy' } },
    { key: 'accessibility', label: { fr: 'Accessibilité', en: 'Accessibility' } },
    { key: 'idea_feature', label: { fr: 'Idée / demande d’évolution', en: 'Idea / feature request' } },
    { key: 'praise', label: { fr: 'Compliment', en: 'Praise' } },
    {
      key: 'off_site',
      label: { fr: 'Hors site (train, gare, à bord)', en: 'Off-site (train, station, on board)' },
      offSite: true,
    },
    // No examples: the outcome of a verbatim the classifier cannot place (UNCLEAR_BELOW).
    { key: 'other', label: { fr: 'Autre / peu clair', en: 'Other / unclear' } },
  ],
};

export function categoryKeys(taxonomy: Taxonomy): string[] {
  return taxonomy.categories.map((category) => category.key);
}
