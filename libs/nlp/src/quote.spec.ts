import { quoteOf } from './quote';

describe('quoting a customer without saying who they are', () => {
  it.each([
    [
      'Paiement refusé au 3-D Secure, impossible de payer. Cordialement, Jeanne Martin',
      'Paiement refusé au 3-D Secure, impossible de payer.',
    ],
    [
      'Mon e-billet n’est jamais arrivé.\n\nBien à vous,\nJean-Pierre Dupont\n[PHONE]',
      'Mon e-billet n’est jamais arrivé.',
    ],
    ['The refund never came.\nBest regards,\nJohn Smith', 'The refund never came.'],
    ['Site en panne depuis ce matin !\nEnvoyé de mon iPhone', 'Site en panne depuis ce matin !'],
    [
      'Bonjour Marie, je n’arrive pas à payer mon billet. Merci d’avance, Paul',
      'Bonjour, je n’arrive pas à payer mon billet.',
    ],
    [
      'Bonjour, je m’appelle Jeanne Martin et mon paiement est refusé.',
      'Bonjour, je m’appelle [NAME] et mon paiement est refusé.',
    ],
    [
      'Hello, my name is John Smith and the app crashes at login.',
      'Hello, my name is [NAME] and the app crashes at login.',
    ],
    ['Toujours refusé.\nSophie', 'Toujours refusé.'],
  ])('%j', (text, expected) => {
    expect(quoteOf(text)).toBe(expected);
  });

  it('keeps the words of a complaint that only sound like a closing or a name', () => {
    for (const text of [
      'Merci de corriger le paiement, il est refusé depuis trois jours et personne ne répond au téléphone',
      'I am Very angry: the payment failed three times',
      'Thanks to your app I missed my train to Lyon, the e-ticket never loaded',
      'Paiement refusé au 3-D Secure',
    ])
      expect(quoteOf(text)).toBe(text);
  });

  it('gives nothing to quote when all there is is a signature', () => {
    expect(quoteOf('Cordialement, Jeanne Martin')).toBe('');
  });
});
