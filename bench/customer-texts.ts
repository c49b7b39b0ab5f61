/**
 * What customers say in the benchmarks and the soak: templates of real-looking French and English
 * complaints (`{n}` takes a booking number), one set so that both exercise the same analysis.
 */
export const FR = [
  'Paiement refusé à l’étape 3-D Secure sur mobile, j’ai essayé trois fois',
  'Je n’ai toujours pas reçu mon e-billet, commande {n}',
  'Remboursement de mon train annulé toujours pas reçu après 3 semaines',
  'Le prix a changé entre la recherche et le paiement, inadmissible',
  'L’appli plante quand je choisis ma place (Android)',
  'Impossible de réserver une place PMR en ligne',
  'Site très lent ce matin, erreur 500 au moment de payer',
];
export const EN = [
  'Payment declined at the 3-D Secure step on my phone',
  'My e-ticket never arrived, booking {n}',
  'Still no refund for my cancelled train after three weeks',
  'The price changed between search and checkout',
  'The app crashes when I pick a seat',
  'Cannot log in, the password reset e-mail never comes',
];
