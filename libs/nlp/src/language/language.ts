import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { words as frenchStopwords } from 'natural/lib/natural/util/stopwords_fr';

export type Language = 'fr' | 'en' | 'other';

const ASCII = /^[\t\n\r\x20-\x7e]*$/;

export function foldAccents(text: string): string {
  // Most words customers type are plain ASCII: nothing to fold (and normalising is the hot path of
  // tokenising, sentiment and language guessing).
  if (ASCII.test(text)) return text;
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

// Beyond stop words, the words customers of a travel seller use most in each language: short
// messages ("paiement refusé 3d secure", "website error 500") carry no stop word at all.
const FRENCH_WORDS =
  'billet billets train trains remboursement rembourse remboursee paiement payer paye carte appli application site commande reservation reserver voyage trajet retard annule annulation toujours jamais merci bonjour bonsoir depuis encore impossible probleme aucun aucune recu reçu mail courriel compte connexion mot passe prix tarif echange frais gare place voiture controleur greve nul super vraiment rien quand pourquoi comment mais donc alors cette cela ca svp stp bjr pk mdr deja aussi tres trop beaucoup moins plus votre vos notre nos leur leurs fois jours semaine semaines heure heures minutes'.split(
    ' ',
  );
const ENGLISH_WORDS =
  'ticket tickets train trains refund refunded payment pay paid card app website site booking book journey trip delay delayed cancelled canceled still never thanks thank hello hi since again impossible problem issue received email account login password price fare exchange fee fees station seat coach staff strike terrible great really nothing when why how but so this that please pls asap already also very too much less more your our their times days week weeks hour hours minutes error down slow'.split(
    ' ',
  );

const FRENCH = new Set([...frenchStopwords, ...FRENCH_WORDS].map((word) => foldAccents(word.toLowerCase())));
const ENGLISH = new Set([...englishStopwords, ...ENGLISH_WORDS].map((word) => word.toLowerCase()));
// Words both lists share say nothing about the language.
for (const word of [...FRENCH]) {
  if (ENGLISH.has(word)) {
    FRENCH.delete(word);
    ENGLISH.delete(word);
  }
}
const FRENCH_LETTERS = /[\u00e9\u00e8\u00ea\u00eb\u00e0\u00e2\u00e7\u00f9\u00fb\u00f4\u00ee\u00ef\u0153]/gi; // é è ê ë à â ç ù û ô î ï œ
const OTHER_SCRIPT =
  /[\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Thai}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\p{Script=Hangul}]/gu;

export interface LanguageGuess {
  lang: Language;
  /** 0..1: the share of the evidence that went to the winner (0 when there was none). */
  confidence: number;
}

/**
 * French, English or other, from stop words, frequent domain words and French diacritics: cheap
 * (a few microseconds), and right on the two-word messages that n-gram profiles get wrong.
 */
export function detectLanguage(text: string): LanguageGuess {
  const otherScript = text.match(OTHER_SCRIPT)?.length ?? 0;
  const latin = text.match(/[a-zà-ÿœ]/gi)?.length ?? 0;
  if (otherScript > latin) return { lang: 'other', confidence: otherScript / (otherScript + latin) };
  let french = (text.match(FRENCH_LETTERS)?.length ?? 0) * 0.75;
  let english = 0;
  for (const raw of foldAccents(text.toLowerCase()).split(/[^a-z']+/)) {
    if (raw.length === 0) continue;
    // "l'appli", "j'ai", "c'est" are French; "don't", "it's" English.
    if (/^(?:l|d|j|qu|n|c|s|m|t)'/.test(raw)) french += 1;
    if (/'(?:s|t|re|ve|ll|d|m)$/.test(raw)) english += 1;
    const word = raw.replace(/^(?:l|d|j|qu|n|c|s|m|t)'|'(?:s|t|re|ve|ll|d|m)$/g, '');
    if (FRENCH.has(word)) french += 1;
    if (ENGLISH.has(word)) english += 1;
  }
  const total = french + english;
  // No evidence either way ("ok", "500", a language of neither list): say so rather than guess.
  if (total === 0) return { lang: 'other', confidence: 0 };
  return french >= english
    ? { lang: 'fr', confidence: french / total }
    : { lang: 'en', confidence: english / total };
}
