/**
 * Reply bodies written here, as mail clients write them in each language (attribution lines,
 * header blocks, separators, footers), with the customer's own words expected. They are not from
 * the corpora the stripping was measured on (../shared/corpora/replies-crisp): they check that
 * what it learned there is general. strip-reply.spec.ts runs them; docs/CONNECTORS.md gives the
 * figures of each library on them.
 */
export interface ReplyCase {
  name: string;
  body: string;
  /** The customer's words, compared after normaliseText and without blank lines. */
  expected: string;
}

const ASK = 'Mon billet n’a jamais été envoyé, pouvez-vous me le renvoyer ?';
const ASK_EN = 'My ticket was never sent, can you send it again?';
const ANSWER = 'Bonjour, votre billet vous a été renvoyé ce matin.';
const ANSWER_EN = 'Hello, your ticket was sent again this morning.';
const quoted = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

/** The customer's words, an attribution line (or lines), and our answer quoted with '>'. */
const gmail = (name: string, attribution: string, ask = ASK, answer = ANSWER): ReplyCase => ({
  name,
  body: `${ask}\n\n${attribution}\n\n${quoted(answer)}\n`,
  expected: ask,
});

/** The customer's words above an Outlook header block (no '>'), our answer below. */
const outlook = (name: string, block: string, ask = ASK, answer = ANSWER): ReplyCase => ({
  name,
  body: `${ask}\n\n${block}\n\n${answer}\n`,
  expected: ask,
});

export const REPLY_CASES: ReplyCase[] = [
  // Gmail, in each language
  gmail(
    'Gmail en',
    'On Mon, Nov 3, 2026 at 10:00 AM LoveRail <care@loverail.example> wrote:',
    ASK_EN,
    ANSWER_EN,
  ),
  gmail('Gmail fr', 'Le lun. 3 nov. 2026 à 10:00, LoveRail <service@loverail.example> a écrit :'),
  gmail('Gmail de', 'Am Mo., 3. Nov. 2026 um 10:00 Uhr schrieb LoveRail <service@loverail.example>:'),
  gmail('Gmail es', 'El lun, 3 nov 2026 a las 10:00, LoveRail (<service@loverail.example>) escribió:'),
  gmail(
    'Gmail it',
    'Il giorno lun 3 nov 2026 alle ore 10:00 LoveRail <service@loverail.example> ha scritto:',
  ),
  gmail('Gmail nl', 'Op ma 3 nov. 2026 om 10:00 schreef LoveRail <service@loverail.example>:'),
  gmail('Gmail pt', 'Em seg., 3 de nov. de 2026 às 10:00, LoveRail <service@loverail.example> escreveu:'),
  gmail('Gmail pl', 'pon., 3 lis 2026 o 10:00 LoveRail <service@loverail.example> napisał(a):'),
  gmail('Gmail ru', 'пн, 3 нояб. 2026 г. в 10:00, LoveRail <service@loverail.example>:'),
  gmail('Gmail sv', 'Den mån 3 nov. 2026 kl 10:00 skrev LoveRail <service@loverail.example>:'),
  gmail('Gmail da', 'Den man. 3. nov. 2026 kl. 10.00 skrev LoveRail <service@loverail.example>:'),
  gmail('Gmail nb', 'man. 3. nov. 2026 kl. 10:00 skrev LoveRail <service@loverail.example>:'),
  gmail('Gmail fi', 'ma 3. marrask. 2026 klo 10.00 LoveRail (service@loverail.example) kirjoitti:'),
  gmail(
    'Gmail en wrapped inside the address',
    'On Mon, Nov 3, 2026 at 10:00 AM LoveRail Customer Care <\ncustomer-care-replies@loverail.example> wrote:',
    ASK_EN,
    ANSWER_EN,
  ),
  gmail(
    'Gmail fr wrapped before the verb',
    'Le lun. 3 nov. 2026 à 10:00, LoveRail Service Client <service@loverail.example>\na écrit :',
  ),
  gmail('Gmail old ISO date', '2026-11-03 10:00 GMT+01:00 LoveRail <service@loverail.example>:'),

  // Apple Mail (macOS, iOS)
  gmail(
    'Apple Mail en',
    'On 3 Nov 2026, at 10:00, LoveRail <care@loverail.example> wrote:',
    ASK_EN,
    ANSWER_EN,
  ),
  gmail('Apple Mail fr', 'Le 3 nov. 2026 à 10:00, LoveRail <service@loverail.example> a écrit :'),
  gmail('Apple Mail de', 'Am 03.11.2026 um 10:00 schrieb LoveRail <service@loverail.example>:'),
  gmail(
    'Apple Mail nl',
    'Op 3 nov. 2026 om 10:00 heeft LoveRail <service@loverail.example> het volgende geschreven:',
  ),
  gmail('Apple Mail es', 'El 3 nov 2026, a las 10:00, LoveRail <service@loverail.example> escribió:'),
  gmail(
    'Apple Mail it',
    'Il giorno 3 nov 2026, alle ore 10:00, LoveRail <service@loverail.example> ha scritto:',
  ),
  gmail('Apple Mail pt', 'Em 3 de nov. de 2026, à(s) 10:00, LoveRail <service@loverail.example> escreveu:'),
  gmail('Apple Mail sv', '3 nov. 2026 kl. 10:00 skrev LoveRail <service@loverail.example>:'),
  gmail('Apple Mail ru', '3 нояб. 2026 г., в 10:00, LoveRail <service@loverail.example> написал(а):'),
  gmail(
    'Apple Mail pl',
    'Wiadomość napisana przez LoveRail <service@loverail.example> w dniu 03.11.2026, o godz. 10:00:',
  ),

  // Thunderbird, often without the address
  gmail('Thunderbird en', 'On 03/11/2026 10:00, LoveRail wrote:', ASK_EN, ANSWER_EN),
  gmail('Thunderbird fr', 'Le 03/11/2026 à 10:00, LoveRail a écrit :'),
  gmail('Thunderbird de', 'Am 03.11.26 um 10:00 schrieb LoveRail:'),
  gmail('Thunderbird nl', 'Op 03-11-2026 om 10:00 schreef LoveRail:'),
  gmail('Thunderbird es', 'El 3/11/26 a las 10:00, LoveRail escribió:'),
  gmail('Thunderbird it', 'Il 03/11/2026 10:00, LoveRail ha scritto:'),
  gmail('Thunderbird pl', 'W dniu 3.11.2026 o 10:00, LoveRail pisze:'),
  gmail('Thunderbird ru', '03.11.2026 10:00, LoveRail пишет:'),
  gmail('Thunderbird sv', 'Den 2026-11-03 kl. 10:00, skrev LoveRail:'),

  // Issue 17's list
  {
    name: 'French Hotmail block, no separator',
    body: `${ASK}\n\nDe : LoveRail <service@loverail.example>\nEnvoyé le : lundi 3 novembre 2026 10:00\nÀ : jeanne@example.org\nObjet : Re: Votre billet\n\n${ANSWER}`,
    expected: ASK,
  },
  {
    name: "'==== Message du :' (French webmail)",
    body: `${ASK}\n\n====\n\nMessage du : 03/11/2026 10:00\nDe : "LoveRail " <service@loverail.example>\nA : jeanne@example.org\nSujet : Re: Votre billet\n\n${ANSWER}`,
    expected: ASK,
  },
  {
    name: "'On … <x> wrote' without a colon",
    body: `${ASK_EN}\n\nOn Tue, 3 Nov 2026 10:00:12 +0100 LoveRail <care@loverail.example> wrote\n\n${ANSWER_EN}`,
    expected: ASK_EN,
  },
  {
    name: "'Sent from my …' then the quote without header",
    body: `${ASK_EN}\n\nSent from my Fairphone 5\n\n${ANSWER_EN}`,
    expected: ASK_EN,
  },
  {
    name: 'German Outlook block',
    body: `Mein Ticket wurde nie geschickt.\n\nVon: LoveRail <service@loverail.example>\nGesendet: Montag, 3. November 2026 10:00\nAn: Jeanne <jeanne@example.org>\nBetreff: AW: Ihr Ticket\n\n${ANSWER}`,
    expected: 'Mein Ticket wurde nie geschickt.',
  },
  {
    name: 'Dutch Outlook block',
    body: `Mijn ticket is nooit verzonden.\n\nVan: LoveRail <service@loverail.example>\nVerzonden: maandag 3 november 2026 10:00\nAan: Jeanne <jeanne@example.org>\nOnderwerp: RE: Uw ticket\n\n${ANSWER}`,
    expected: 'Mijn ticket is nooit verzonden.',
  },
  {
    name: 'Spanish Outlook block',
    body: `Mi billete nunca llegó.\n\nDe: LoveRail <service@loverail.example>\nEnviado el: lunes, 3 de noviembre de 2026 10:00\nPara: Jeanne <jeanne@example.org>\nAsunto: RE: Su billete\n\n${ANSWER}`,
    expected: 'Mi billete nunca llegó.',
  },
  {
    name: 'Portuguese Outlook block',
    body: `O meu bilhete nunca chegou.\n\nDe: LoveRail <service@loverail.example>\nEnviado: segunda-feira, 3 de novembro de 2026 10:00\nPara: Jeanne <jeanne@example.org>\nAssunto: RE: O seu bilhete\n\n${ANSWER}`,
    expected: 'O meu bilhete nunca chegou.',
  },
  {
    name: 'Polish Outlook block',
    body: `Mój bilet nigdy nie dotarł.\n\nOd: LoveRail <service@loverail.example>\nWysłano: poniedziałek, 3 listopada 2026 10:00\nDo: Jeanne <jeanne@example.org>\nTemat: RE: Twój bilet\n\n${ANSWER}`,
    expected: 'Mój bilet nigdy nie dotarł.',
  },
  {
    name: 'Russian Outlook block',
    body: `Мой билет так и не пришёл.\n\nОт: LoveRail <service@loverail.example>\nОтправлено: 3 ноября 2026 г. 10:00\nКому: Jeanne <jeanne@example.org>\nТема: RE: Ваш билет\n\n${ANSWER}`,
    expected: 'Мой билет так и не пришёл.',
  },
  {
    name: 'Swedish Outlook block',
    body: `Min biljett kom aldrig.\n\nFrån: LoveRail <service@loverail.example>\nSkickat: den 3 november 2026 10:00\nTill: Jeanne <jeanne@example.org>\nÄmne: SV: Din biljett\n\n${ANSWER}`,
    expected: 'Min biljett kom aldrig.',
  },
  {
    name: 'Danish Outlook block',
    body: `Min billet kom aldrig.\n\nFra: LoveRail <service@loverail.example>\nSendt: 3. november 2026 10:00\nTil: Jeanne <jeanne@example.org>\nEmne: SV: Din billet\n\n${ANSWER}`,
    expected: 'Min billet kom aldrig.',
  },
  {
    name: 'Finnish Outlook block',
    body: `Lippuni ei koskaan tullut.\n\nLähettäjä: LoveRail <service@loverail.example>\nLähetetty: maanantai 3. marraskuuta 2026 10.00\nVastaanottaja: Jeanne <jeanne@example.org>\nAihe: VS: Lippusi\n\n${ANSWER}`,
    expected: 'Lippuni ei koskaan tullut.',
  },
  outlook(
    'Outlook web: rule then block',
    '________________________________\nFrom: LoveRail <care@loverail.example>\nSent: Monday, November 3, 2026 10:00 AM\nTo: Jeanne <jeanne@example.org>\nSubject: Re: Your ticket',
    ASK_EN,
    ANSWER_EN,
  ),
  outlook(
    'Outlook desktop, bold keys from HTML',
    '*From:* LoveRail [mailto:care@loverail.example]\n*Sent:* Monday, November 3, 2026 10:00 AM\n*To:* Jeanne\n*Subject:* RE: Your ticket',
    ASK_EN,
    ANSWER_EN,
  ),
  outlook(
    'Outlook block on one line (HTML converted)',
    'From: LoveRail <care@loverail.example> Sent: Monday, November 3, 2026 10:00 AM To: Jeanne Subject: RE: Your ticket',
    ASK_EN,
    ANSWER_EN,
  ),
  outlook(
    'Outlook Italian separator',
    '-----Messaggio originale-----\nDa: LoveRail\nInviato: lunedì 3 novembre 2026 10:00',
  ),
  outlook(
    'Outlook Spanish separator',
    '-----Mensaje original-----\nDe: LoveRail\nEnviado el: lunes, 3 de noviembre de 2026',
  ),
  outlook('Outlook Dutch separator', '-----Oorspronkelijk bericht-----\nVan: LoveRail'),
  outlook('Outlook Swedish separator', '-----Ursprungligt meddelande-----\nFrån: LoveRail'),
  outlook('Outlook Polish separator', '-----Wiadomość oryginalna-----\nOd: LoveRail'),
  outlook('Outlook Russian separator', '-----Исходное сообщение-----\nОт: LoveRail'),
  {
    name: 'Outlook for iOS in German, then the rule and block',
    body: `Mein Ticket fehlt.\n\nOutlook für iOS beziehen<https://aka.ms/o0ukef>\n________________________________\nVon: LoveRail <service@loverail.example>\nGesendet: Montag, 3. November 2026 10:00:00\nAn: Jeanne\nBetreff: Ihr Ticket\n\n${ANSWER}`,
    expected: 'Mein Ticket fehlt.',
  },
  {
    name: 'Outlook for Android in French',
    body: `${ASK}\n\nTélécharger Outlook pour Android<https://aka.ms/ghei36>\n________________________________\nDe : LoveRail <service@loverail.example>\nEnvoyé : lundi 3 novembre 2026 10:00\nÀ : Jeanne\nObjet : Votre billet\n\n${ANSWER}`,
    expected: ASK,
  },

  // Mobile footers in each language, alone at the end
  ...[
    'Envoyé de mon iPhone',
    'Von meinem iPhone gesendet',
    'Enviado desde mi iPhone',
    'Inviato da iPhone',
    'Verstuurd vanaf mijn iPhone',
    'Enviado do meu iPhone',
    'Wysłane z mojego iPhone’a',
    'Отправлено с iPhone',
    'Skickat från min iPhone',
    'Sendt fra min iPhone',
    'Lähetetty iPhonesta',
    'Envoyé depuis mon appareil Galaxy',
    'Gesendet von meinem Samsung Galaxy Smartphone.',
    'Sent from Yahoo Mail for iPhone',
    'Sent with Proton Mail secure email.',
    'Sent from Mail for Windows',
    'Sent from my Android phone with K-9 Mail. Please excuse my brevity.',
    'Sent from my iPhone, please excuse typos',
  ].map((footer) => ({
    name: `footer '${footer}'`,
    body: `${ASK}\n\n${footer}\n\n${quoted(ANSWER)}`,
    expected: ASK,
  })),

  // Signatures
  {
    name: "'-- ' signature with phone and address",
    body: `${ASK}\n\n-- \nJeanne Martin\n06 12 34 56 78\n12 rue des Lilas, Lyon`,
    expected: ASK,
  },
  {
    name: 'forwarded confirmation kept (Gmail, French)',
    body: `Voici la confirmation, le remboursement n’est jamais arrivé.\n\n---------- Message transféré ---------\nDe : LoveRail <no-reply@loverail.example>\nDate: lun. 27 oct. 2026 à 06:02\nSubject: Train annulé\nTo: <jeanne@example.org>\n\nVous serez remboursée sous 7 jours.`,
    expected:
      'Voici la confirmation, le remboursement n’est jamais arrivé.\nVous serez remboursée sous 7 jours.',
  },
  {
    name: 'forwarded confirmation kept (German)',
    body: `Hier die Bestätigung.\n\n---------- Weitergeleitete Nachricht ---------\nVon: LoveRail <no-reply@loverail.example>\nDatum: Mo., 27. Okt. 2026 um 06:02 Uhr\nBetreff: Zug annulliert\nAn: <jeanne@example.org>\n\nSie erhalten Ihr Geld in 7 Tagen zurück.`,
    expected: 'Hier die Bestätigung.\nSie erhalten Ihr Geld in 7 Tagen zurück.',
  },

  // Inline and bottom-posted answers
  {
    name: 'inline answers under a French attribution',
    body: `Le 03/11/2026 à 10:00, LoveRail a écrit :\n> Quel navigateur utilisez-vous ?\n\nSafari sur iPhone.\n\n> Avez-vous reçu un SMS ?\n\nNon, jamais.`,
    expected: 'Safari sur iPhone.\nNon, jamais.',
  },
  {
    name: 'greeting, then inline answers',
    body: `Bonjour,\nOn 03/11/2026 10:00, LoveRail wrote:\n> Which card did you use?\n\nA Visa card, refused at 3-D Secure.\n\n> Merci`,
    expected: 'Bonjour,\nA Visa card, refused at 3-D Secure.',
  },

  // Prose that looks like a marker, kept whole
  {
    name: 'prose: a date and "a écrit :" without address or time',
    body: 'Le contrôleur a écrit :\n"billet non valable"\nalors que je l’avais payé.',
    expected: 'Le contrôleur a écrit :\n"billet non valable"\nalors que je l’avais payé.',
  },
  {
    name: 'prose: a trip described with De / À / Date',
    body: 'Mon trajet :\nDe : Paris Gare de Lyon\nÀ : Marseille\nDate : 12 novembre\nLe train avait 2 heures de retard.',
    expected:
      'Mon trajet :\nDe : Paris Gare de Lyon\nÀ : Marseille\nDate : 12 novembre\nLe train avait 2 heures de retard.',
  },
  {
    name: 'prose: "Sent from my" in a sentence',
    body: 'Sent from my phone, the booking fails at payment.\nFrom the laptop it works.',
    expected: 'Sent from my phone, the booking fails at payment.\nFrom the laptop it works.',
  },
  {
    name: 'prose: "On" sentences and times',
    body: 'On Monday at 10:00 the train was cancelled.\nOn Tuesday I wrote to you twice.\nNo answer.',
    expected: 'On Monday at 10:00 the train was cancelled.\nOn Tuesday I wrote to you twice.\nNo answer.',
  },
  {
    name: 'prose: Markdown-like rules and a list with dashes',
    body: 'Problèmes :\n----\n-- le QR code\n-- le paiement\n====\nMerci.',
    expected: 'Problèmes :\n----\n-- le QR code\n-- le paiement\n====\nMerci.',
  },
];
