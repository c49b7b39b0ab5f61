import { prepareText } from '../language/prepare';

/**
 * Bilingual concepts for irritant clustering. French and English versions of one complaint
 * ("Paiement refusé au 3-D Secure" / "Payment declined at 3-D Secure") share almost no stems, so
 * TF-IDF puts them in two irritants and splits the count of customers hurt. Mapping the stems of
 * the customer-service vocabulary of a train-ticket seller to a language-independent key brings
 * them together; any stem outside the lexicon passes through unchanged.
 *
 * The lexicon lists WORDS, not stems: each is stemmed at load by the same `prepareText` the
 * pipeline uses, so a change of stemmer cannot silently break the mapping. Entries are separated
 * by commas; an entry of several words ("mot de passe") is a phrase, recognised by `toConcepts`
 * as a run of consecutive stems (stop words are already gone, so "mot de passe" is "mot pass").
 *
 * Left out on purpose (see concepts.spec.ts): stems whose meaning differs between the two
 * languages, e.g. "charg" (fr chargement = loading, en charged = debited), "car" (fr = because),
 * "complet" (fr = sold out, en complete = done), "bon" (fr = good as much as voucher), "hi" (fr
 * hier = yesterday, en hi = hello), "avoir" (a French stop word: only "avoirs" and "e-avoir" reach
 * the voucher). English "connect" goes to the login, as French "connecter" does: a missed train
 * connection is recognised by its phrase only.
 */
export const LEXICON: readonly (readonly [concept: string, french: string, english: string])[] = [
  // Payment and money
  [
    'refund',
    'rembourser, remboursement, remboursements, remboursé, remboursée, rembourse, remboursez, rembourssement',
    'refund, refunds, refunded, refunding, reimburse, reimbursed, reimbursement',
  ],
  [
    'payment',
    'paiement, paiements, payer, payé, payée, paye, paie, paiment, payement',
    'payment, payments, pay, paid, paying, payed',
  ],
  [
    'declined',
    'refusé, refusée, refusés, refus, refuser, refuse, rejeté, rejetée, rejet, décliné, déclinée',
    'declined, decline, declines, refused, refuse, refusal, rejected, reject, rejection, denied, deny',
  ],
  [
    'debit',
    'débité, débitée, débit, débiter, prélevé, prélevée, prélèvement, prélever',
    'debited, debit, debits, deducted',
  ],
  ['card', 'carte, cartes, cb', 'card, cards'],
  ['bank', 'banque, banques, bancaire, bancaires', 'bank, banks, banking'],
  ['secure', 'sécurisé, sécurisée, sécurité, secure', 'secure, secured, security'],
  [
    'verification',
    'authentification, authentifier, vérification, vérifier, vérifié',
    'authentication, authenticate, verification, verify, verified',
  ],
  [
    'price',
    'prix, tarif, tarifs, tarification, coût, coûte, coûter',
    'price, prices, priced, pricing, fare, fares, cost, costs, tariff',
  ],
  ['expensive', 'cher, chère, chers, chères, onéreux', 'expensive, pricey, overpriced, costly'],
  [
    'increase',
    'augmenté, augmentée, augmentation, augmenter, augmente, hausse',
    'increase, increased, increases, increasing, rose, risen',
  ],
  ['fee', 'frais', 'fee, fees, surcharge'],
  ['amount', 'montant, montants, somme', 'amount, amounts, sum'],
  ['money', 'argent', 'money'],
  ['euro', 'euro, euros', 'euro, euros'],
  ['cash', 'espèces, liquide', 'cash'],
  ['voucher', "avoirs, e-avoir, bon d'achat, bons d'achat", 'voucher, vouchers, e-voucher'],
  [
    'discount',
    'réduction, réductions, réduc, remise, remises, rabais',
    'discount, discounts, discounted, reduction, reductions',
  ],
  ['promo', 'promo, promotion, promotions', 'promo, promotion, promotional'],
  ['railcard', 'carte avantage, carte avantages', 'railcard, railcards'],
  [
    'subscription',
    'abonnement, abonnements, abonné, abonnée, forfait',
    'subscription, subscriptions, subscribed, subscriber',
  ],
  [
    'invoice',
    'facture, factures, facturation, facturé, facturée, justificatif, justificatifs',
    'invoice, invoices, invoiced, receipt, receipts, billing, billed',
  ],
  ['double', 'doublon, doublons, double, deux fois', 'double, doubled, duplicate, duplicated, twice'],
  ['transaction', 'transaction, transactions', 'transaction, transactions'],
  [
    'fraud',
    'fraude, frauduleux, frauduleuse, arnaque, arnaqué, escroquerie',
    'fraud, fraudulent, scam, scammed, scams',
  ],
  ['expired', 'expiré, expirée, expiration, expire', 'expired, expiry, expiration, expire'],
  [
    'compensation',
    'indemnisation, indemnité, indemniser, dédommagement, dédommager, dédommagé, compensation',
    'compensation, compensate, compensated',
  ],
  ['guarantee', 'garantie, garanti, garantis', 'guarantee, guaranteed, warranty'],
  ['insurance', 'assurance, assurances, assuré', 'insurance, insured'],
  ['conditions', 'conditions, condition, cgv', 'conditions, condition, terms'],

  // Tickets and bookings
  [
    'ticket',
    'billet, billets, e-billet, e-billets, ebillet, titre, titres, titre de transport',
    'ticket, tickets, e-ticket, e-tickets, eticket',
  ],
  [
    'booking',
    'réservation, réservations, réserver, réservé, réservée, résa',
    'booking, bookings, book, booked, reservation, reservations, reserve, reserved',
  ],
  ['order', 'commande, commandes, commander, commandé, commandée', 'order, orders, ordered'],
  ['reference', 'référence, références, dossier, dossiers', 'reference, references, ref'],
  ['number', 'numéro, numéros', 'number, numbers'],
  ['seat', 'place, places, siège, sièges', 'seat, seats, seating, seated'],
  ['occupied', 'occupé, occupée, occupés', 'occupied, taken'],
  ['window', 'fenêtre, fenêtres', 'window, windows'],
  ['aisle', 'couloir, couloirs', 'aisle, corridor'],
  ['carriage', 'voiture, voitures, wagon, wagons', 'carriage, carriages, coach, coaches'],
  ['class', 'classe, classes', 'class, classes'],
  ['upgrade', 'surclassement, surclassé', 'upgrade, upgraded'],
  ['train', 'train, trains', 'train, trains'],
  ['bus', 'bus, autocar, autocars, navette, navettes', 'bus, buses, shuttle'],
  [
    'journey',
    'voyage, voyages, voyager, trajet, trajets, parcours',
    'journey, journeys, trip, trips, travel, travelling, traveling, travelled',
  ],
  [
    'passenger',
    // "voyageur" and "traveller" stem as "voyage" and "travel" do: they go to the journey.
    'passager, passagers, passagère',
    'passenger, passengers',
  ],
  ['return', 'retour, retours, aller-retour', 'return, returns, round-trip'],
  ['departure', 'départ, départs', 'departure, departures, depart, departing'],
  ['arrival', 'arrivée, arrivées, arriver, arrivé, arrive', 'arrival, arrivals, arrive, arrived, arrives'],
  ['delay', 'retard, retards, retardé, retardée', 'delay, delayed, delays, late, lateness'],
  [
    'cancel',
    // "train supprimé" is a cancelled train, "compte supprimé" a deleted account: one concept.
    'annulé, annulée, annulés, annulation, annulations, annuler, supprimé, supprimée, suppression, supprimer, effacé',
    'cancel, cancelled, canceled, cancellation, cancellations, cancelling, delete, deleted, deletion, removed',
  ],
  ['miss', 'raté, ratée, rater, manqué, manquée, manquer, loupé, loupée', 'missed, miss, missing'],
  [
    'connection',
    // English "connect" is claimed by the login; a missed connection is told by its phrase.
    'correspondance, correspondances',
    'interchange, missed connection, connecting train',
  ],
  ['platform', 'quai, quais, voie, voies', 'platform, platforms, track'],
  ['station', 'gare, gares, station, stations', 'station, stations'],
  ['stop', 'arrêt, arrêts, arrêté, arrêter', 'stop, stops, stopped'],
  ['schedule', 'horaire, horaires', 'schedule, schedules, scheduled, timetable, timetables'],
  ['line', 'ligne, lignes', 'line, lines, route, routes'],
  ['punctual', 'ponctuel, ponctualité', 'punctual, punctuality'],
  ['strike', 'grève, grèves, gréviste, grévistes', 'strike, strikes, striking'],
  ['breakdown', 'panne, pannes', 'breakdown, outage, outages'],
  ['broken', 'cassé, cassée, endommagé, endommagée', 'broken, damaged, damage'],
  ['incident', 'incident, incidents', 'incident, incidents'],
  ['fail', 'échec, échoué, échoue, échouer, échouée', 'fail, failed, fails, failing, failure'],
  [
    'conductor',
    'contrôleur, contrôleurs, contrôleuse, contrôle',
    'conductor, conductors, inspector, inspectors, guard',
  ],
  [
    'staff',
    'personnel, employé, employés, employée, agent, agents, cheminot',
    'staff, employee, employees, agent, agents, crew',
  ],
  [
    'customer-service',
    'service client, sav, conseiller, conseillère, conseillers, téléconseiller, support',
    'customer service, support, advisor, adviser, advisors, representative',
  ],
  ['customer', 'client, clients, clientèle', 'customer, customers, client, clients'],
  ['penalty', 'amende, amendes, pénalité, pénalités, verbalisé', 'penalty, penalties'],
  ['luggage', 'bagage, bagages, valise, valises', 'luggage, baggage, suitcase, suitcases, bag, bags'],
  ['bike', 'vélo, vélos, bicyclette', 'bike, bikes, bicycle, bicycles, cycle'],
  ['pet', 'chien, chiens, animal, animaux', 'dog, dogs, pet, pets, animal, animals'],

  // Accessibility and passengers with needs
  ['wheelchair', 'fauteuil, fauteuils, fauteuil roulant', 'wheelchair, wheelchairs'],
  [
    'assistance',
    'assistance, aide, aider, aidé, accompagnement, prise en charge',
    'assistance, assist, assisted, help, helped, helping',
  ],
  [
    'disability',
    'handicap, handicapé, handicapée, handicapés, pmr, mobilité réduite',
    'disabled, disability, disabilities, pmr, reduced mobility, impaired',
  ],
  [
    'accessible',
    'accessible, accessibilité, accès, inaccessible',
    'accessible, accessibility, access, inaccessible',
  ],
  ['lift', 'ascenseur, ascenseurs', 'lift, lifts, elevator, elevators'],
  ['stairs', 'escalier, escaliers, escalator', 'stairs, staircase, escalator'],
  ['ramp', 'rampe, rampes', 'ramp, ramps'],
  ['blind', 'aveugle, malvoyant, malvoyante', 'blind, sight'],
  ['child', 'enfant, enfants, gamin, fils, fille', 'child, children, kid, kids, son, daughter'],
  ['baby', 'bébé, bébés, nourrisson, poussette', 'baby, babies, infant, infants, pushchair, stroller, pram'],
  ['pregnant', 'enceinte', 'pregnant'],
  ['elderly', 'âgé, âgée, âgés, âgées, senior, seniors', 'elderly, senior, seniors, pensioner'],
  ['student', 'étudiant, étudiante, étudiants', 'student, students'],
  ['young', 'jeune, jeunes', 'young, youth'],
  ['family', 'famille, familles', 'family, families'],
  ['group', 'groupe, groupes', 'group, groups'],

  // On board
  [
    'food',
    'repas, nourriture, restauration, sandwich, manger, bar',
    'food, meal, meals, catering, sandwich, eat, bar, buffet',
  ],
  ['water', 'eau', 'water'],
  ['toilet', 'toilettes, toilette, wc', 'toilet, toilets, restroom, bathroom, loo'],
  ['dirty', 'sale, sales, saleté, crade, propreté', 'dirty, dirt, filthy, cleanliness'],
  ['aircon', 'climatisation, clim', 'air-conditioning, aircon, air conditioning'],
  ['hot', 'chaud, chaude, chaleur, canicule', 'hot, heatwave'],
  ['cold', 'froid, froide', 'cold'],
  ['heating', 'chauffage', 'heating, heater'],
  ['noise', 'bruit, bruits, bruyant, bruyante', 'noise, noisy, loud'],
  ['wifi', 'wifi, wi-fi', 'wifi, wi-fi'],
  ['socket', 'prise électrique, prises électriques', 'socket, sockets, plug, plugs'],
  ['door', 'porte, portes', 'door, doors'],
  ['crowded', 'bondé, bondée, bondés, plein, pleine', 'full, crowded, packed, overcrowded'],
  ['overbooking', 'surbooking, surréservation, surréservé', 'overbooking, overbooked, overbook'],
  ['queue', "file d'attente", 'queue, queues, queuing, queueing'],
  ['wait', 'attente, attendre, attendu, attends, patienter', 'wait, waited, waiting, waits'],
  ['comfort', 'confort, confortable, inconfortable', 'comfort, comfortable, uncomfortable'],
  ['theft', 'vol, volé, volée, voleur', 'stolen, stole, theft, thief, steal'],
  ['assault', 'agression, agressé, agressée', 'assault, assaulted, attacked, attack'],
  [
    'rude',
    'impoli, impolie, désagréable, irrespectueux, méprisant',
    'rude, impolite, unpleasant, disrespectful, aggressive',
  ],
  ['kind', 'aimable, gentil, gentille, sympathique, courtois', 'kind, friendly, polite, courteous'],
  ['announcement', 'annonce, annonces, annoncé', 'announcement, announcements, announced, announce'],

  // Time
  ['hour', 'heure, heures', 'hour, hours'],
  ['minute', 'minute, minutes', 'minute, minutes'],
  ['day', 'jour, jours, journée, journées', 'day, days'],
  ['week', 'semaine, semaines', 'week, weeks'],
  ['month', 'mois', 'month, months'],
  ['tomorrow', 'demain', 'tomorrow'],
  ['morning', 'matin, matinée', 'morning, mornings'],
  ['evening', 'soir, soirée', 'evening, evenings, tonight'],
  ['night', 'nuit, nuits', 'night, nights'],
  ['weekend', 'week-end, weekend', 'weekend, weekends'],
  ['date', 'date, dates', 'date, dates'],
  ['time', 'temps', 'time'],
  ['duration', 'durée', 'duration'],
  ['first', 'premier, première, premiers, premières', 'first'],
  ['second', 'second, seconde, deuxième', 'second'],
  ['urgent', 'urgent, urgente, urgence, urgences', 'urgent, urgently, emergency'],

  // Website, app, account
  ['app', 'appli, applis, application, applications, app', 'app, apps, application, applications'],
  [
    'website',
    'site, sites, site internet, site web, internet, web',
    'website, websites, site, sites, internet, web',
  ],
  ['account', 'compte, comptes', 'account, accounts'],
  [
    'login',
    "connexion, connexions, connecter, connecté, s'identifier, identification, identifiant, identifiants, login",
    'login, log, logged, logging, signin, sign-in, log-in, sign, connect, username, usernames',
  ],
  ['password', 'mdp, mot de passe, mots de passe', 'password, passwords, passcode'],
  [
    'register',
    'inscription, inscrire, inscrit, inscrite',
    'register, registered, registration, signup, sign-up',
  ],
  ['reset', 'réinitialiser, réinitialisation, réinitialisé, reinitialiser', 'reset, resetting, resets'],
  ['forgot', 'oublié, oubliée, oublier, oubli', 'forgot, forgotten, forget'],
  ['link', 'lien, liens', 'link, links'],
  ['code', 'code, codes', 'code, codes'],
  ['sms', 'sms, texto', 'sms'],
  [
    'email',
    'mail, mails, e-mail, e-mails, email, emails, courriel, courriels, mél',
    'email, emails, e-mail, e-mails, mail, mails',
  ],
  ['spam', 'spam, spams, indésirables', 'spam, junk'],
  ['message', 'message, messages', 'message, messages'],
  [
    'notification',
    'notification, notifications, notif, alerte, alertes',
    'notification, notifications, notify, notified, alert, alerts',
  ],
  [
    'confirmation',
    'confirmation, confirmations, confirmer, confirmé, confirmée',
    'confirmation, confirm, confirmed, confirming',
  ],
  ['validate', 'valider, validé, validée, validation', 'validate, validated, validation'],
  [
    'receive',
    'reçu, reçue, reçus, recu, recue, recevoir, reçois, recois, reçoit',
    'receive, received, receiving, receives',
  ],
  ['send', 'envoyer, envoyé, envoyée, envoi, envoie, envoyez', 'send, sent, sending, sends'],
  [
    'download',
    'télécharger, téléchargé, téléchargée, téléchargement, telecharger',
    'download, downloaded, downloading, downloads',
  ],
  [
    'print',
    'imprimer, imprimé, imprimée, impression, imprimante',
    'print, printed, printing, printer, printout',
  ],
  ['scan', 'scanner, scanné, scannée, scan', 'scan, scanned, scanning, scanner'],
  ['screen', 'écran, écrans', 'screen, screens'],
  ['page', 'page, pages', 'page, pages'],
  ['button', 'bouton, boutons', 'button, buttons'],
  ['click', 'cliquer, clique, cliqué, clic', 'click, clicked, clicking, clicks'],
  [
    'crash',
    'plante, planté, plantée, plantage, plantages, crash, crashe, crashé, figé, figée',
    'crash, crashes, crashed, crashing, freeze, freezes, froze, frozen',
  ],
  ['bug', 'bug, bugs, bugue, bugué, beug, beugue, bogue', 'bug, bugs, buggy, glitch, glitches, glitchy'],
  ['error', 'erreur, erreurs', 'error, errors, mistake, mistakes'],
  ['blocked', 'bloqué, bloquée, bloquer, blocage, coincé, coincée', 'blocked, block, stuck, locked, lock'],
  ['slow', 'lent, lente, lents, lentes, lenteur, lenteurs, lentement', 'slow, slowly, slowness, sluggish'],
  ['fast', 'rapide, rapidement, vite', 'fast, quick, quickly, rapid'],
  ['open', 'ouvrir, ouvre, ouvert, ouverte, ouverture', 'open, opens, opened, opening'],
  ['close', 'fermer, ferme, fermé, fermée, fermeture', 'close, closes, closed, closing, shut'],
  [
    'update',
    'mise à jour, maj, actualiser, actualisation, actualisé',
    'update, updates, updated, updating, refresh, refreshed',
  ],
  // French "marche" (it works) also stems English "March": a date rarely decides an irritant.
  ['work', 'fonctionne, fonctionner, fonctionnement, marche, marcher', 'work, works, working, worked'],
  [
    'display',
    'affiché, affichée, afficher, affiche, affichage',
    'display, displayed, displays, displaying, shown, show',
  ],
  ['disappear', 'disparu, disparue, disparaît, disparait, disparaître', 'disappeared, disappear, vanished'],
  ['find', 'trouver, trouve, trouvé, trouvée, introuvable', 'find, found, finding'],
  ['search', 'recherche, recherches, rechercher, chercher, cherche', 'search, searched, searching, searches'],
  ['available', 'disponible, disponibles, dispo, disponibilité', 'available, availability'],
  ['unavailable', 'indisponible, indisponibles, indisponibilité', 'unavailable'],
  [
    'change',
    'modifier, modification, modifications, modifié, modifiée, changer, changement, changé, changée',
    'change, changed, changes, changing, modify, modified, modification',
  ],
  [
    'exchange',
    'échanger, échange, échangé, échangée, échanges',
    'exchange, exchanged, exchanges, swap, swapped',
  ],
  ['name', 'nom, noms, prénom, prénoms', 'name, names, surname, firstname'],
  ['typo', 'faute, fautes, coquille, faute de frappe', 'typo, typos, misspelled, misspelt'],
  ['address', 'adresse, adresses', 'address, addresses'],
  [
    'phone',
    'téléphone, téléphones, portable, smartphone, mobile, tel',
    'phone, phones, telephone, smartphone, mobile, cellphone',
  ],
  ['call', 'appeler, appelé, appel, appels, appelle', 'call, called, calling, calls'],
  ['chat', 'chat, tchat, chatbot, messagerie', 'chat, chatbot, livechat'],
  [
    'answer',
    'réponse, réponses, répondre, répondu, répond',
    'answer, answered, answers, reply, replied, replies, response, responses, respond, responded',
  ],
  [
    'complaint',
    'réclamation, réclamations, plainte, plaintes, réclamer',
    'complaint, complaints, complain, complained, claim, claims, claimed',
  ],
  [
    'request',
    'demande, demandes, demander, demandé, demandée',
    'request, requests, requested, ask, asked, asking',
  ],
  ['form', 'formulaire, formulaires', 'form, forms'],
  [
    'contact',
    'contacter, contacté, contact, joindre, joignable, injoignable',
    'contact, contacted, contacting, reach, reached, reachable, unreachable',
  ],
  ['problem', 'problème, problèmes, souci, soucis, pb', 'problem, problems, issue, issues, trouble'],
  ['impossible', 'impossible, impossibilité', 'impossible, unable'],
  [
    'fix',
    'résoudre, résolu, réparer, réparé, corriger, corrigé, régler',
    'fix, fixed, resolve, resolved, solve, solved, repair, repaired',
  ],
  ['solution', 'solution, solutions', 'solution, solutions'],
  [
    'try',
    'essayer, essayé, essaie, essai, essais, tentative, tentatives, tenter',
    'try, tried, trying, tries, attempt, attempts, attempted',
  ],
  ['use', 'utiliser, utilisé, utilisation', 'use, used, using'],
  ['need', 'besoin, besoins', 'need, needed, needs'],
  ['understand', 'comprendre, compris, comprends', 'understand, understood'],
  [
    'information',
    'information, informations, info, infos, renseignement, renseignements',
    'information, info, details',
  ],
  ['user', 'usager, usagers', 'user, users'],
  [
    'wrong',
    'mauvais, mauvaise, faux, fausse, erroné, erronée, incorrect, incorrecte',
    'wrong, incorrect, false, invalid',
  ],
  ['partial', 'partiel, partielle, partiellement', 'partial, partially'],
  ['lost', 'perdu, perdue, perdus, perte, perdre', 'lost, lose, loss, losing'],
  ['step', 'étape, étapes', 'step, steps, stage'],
  ['data', 'données, rgpd', 'data, gdpr'],
  ['privacy', 'confidentialité, vie privée', 'privacy, private'],
  ['ads', 'pub, pubs, publicité, publicités', 'ad, ads, advert, adverts, advertising, advertisement'],
  [
    'unsubscribe',
    'désabonner, désabonné, désinscrire, désinscription, désabonnement',
    'unsubscribe, unsubscribed, unsubscribing, opt-out',
  ],
  ['hacked', 'piraté, piratage, pirate, hacké', 'hacked, hack, hacker, hacking'],
  ['english', 'anglais, anglaise', 'english'],
  ['french', 'français, française', 'french'],
  ['translation', 'traduction, traduire, traduit', 'translation, translate, translated'],

  // Travel beyond the train
  ['passport', 'passeport, passeports', 'passport, passports'],
  ['identity', "identité, pièce d'identité, carte d'identité", 'identity, id'],
  ['abroad', 'étranger, étrangère, international', 'abroad, foreign, international'],
  ['airport', 'aéroport, aéroports', 'airport, airports'],
  ['plane', 'avion', 'plane, planes, flight, flights'],
  ['counter', 'guichet, guichets, billetterie', 'counter, desk, office, offices'],
  ['machine', 'borne, bornes, automate, distributeur, machine', 'machine, machines, kiosk'],
  ['gate', 'portique, portiques, tourniquet', 'gate, gates, barrier, barriers, turnstile'],
  ['boarding', 'embarquement, embarquer', 'boarding, board, boarded'],
  ['direct', 'direct, directe', 'direct, nonstop'],

  // Opinion and politeness
  ['thanks', 'merci', 'thanks, thank, thx'],
  ['hello', 'bonjour, bonsoir, salut', 'hello'],
  [
    'bad',
    'nul, nulle, horrible, catastrophique, lamentable, honteux, scandaleux, inadmissible, inacceptable',
    'terrible, awful, horrible, useless, disgraceful, shameful, scandalous, unacceptable',
  ],
  ['great', 'super, génial, parfait, excellent, top, bravo', 'great, perfect, excellent, awesome, brilliant'],
  ['easy', 'facile, simple, simplement', 'easy, easily, simple'],
  ['difficult', 'difficile, compliqué, compliquée', 'difficult, complicated'],
];

export interface LexiconEntry {
  /** The concept key, '~' first so that it never equals a real stem. */
  concept: string;
  lang: 'fr' | 'en';
  /** The entry as written in the lexicon. */
  text: string;
  /** Its stems through `prepareText`: empty for a stop word, several for a phrase. */
  stems: string[];
}

/** Every entry of the lexicon with its stems, in lexicon order (the order claims are made in). */
export const LEXICON_ENTRIES: readonly LexiconEntry[] = LEXICON.flatMap(([name, french, english]) =>
  (
    [
      ['fr', french],
      ['en', english],
    ] as const
  ).flatMap(([lang, list]) =>
    list
      .split(',')
      .map((text) => text.trim())
      .map((text) => ({ concept: `~${name}`, lang, text, stems: prepareText(text, lang).stems })),
  ),
);

const BY_STEM = new Map<string, string>();
/** Phrases by their stems joined with a space. */
const BY_PHRASE = new Map<string, string>();
/** The first stem of every phrase: most stems start none, and are passed over at one lookup. */
const PHRASE_STARTS = new Set<string>();
let longestPhrase = 0;
for (const { concept, stems } of LEXICON_ENTRIES) {
  if (stems.length === 0) continue;
  // First claim wins; the spec asserts there is no second one.
  if (stems.length === 1) {
    if (!BY_STEM.has(stems[0])) BY_STEM.set(stems[0], concept);
    continue;
  }
  const key = stems.join(' ');
  if (!BY_PHRASE.has(key)) BY_PHRASE.set(key, concept);
  PHRASE_STARTS.add(stems[0]);
  longestPhrase = Math.max(longestPhrase, stems.length);
}

/** A language-independent key for a domain word's stem, e.g. 'rembours' (fr) and 'refund' (en) -> '~refund'; any other stem is returned unchanged. */
export function conceptOf(stem: string): string {
  return BY_STEM.get(stem) ?? stem;
}

/**
 * Same over a list (keeps order and length). Also recognises the lexicon's phrases ("mot de
 * passe", "service client", "fauteuil roulant"): every stem of the phrase becomes its concept.
 */
export function toConcepts(stems: readonly string[]): string[] {
  const concepts = stems.map(conceptOf);
  for (let start = 0; start < stems.length - 1; start++) {
    if (!PHRASE_STARTS.has(stems[start])) continue;
    for (let length = Math.min(longestPhrase, stems.length - start); length >= 2; length--) {
      const concept = BY_PHRASE.get(stems.slice(start, start + length).join(' '));
      if (concept === undefined) continue;
      concepts.fill(concept, start, start + length);
      start += length - 1;
      break;
    }
  }
  return concepts;
}
