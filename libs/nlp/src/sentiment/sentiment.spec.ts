import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabelledText } from '../classifier/linear-classifier';
import { detectLanguage } from '../language/language';
import { prepareText } from '../language/prepare';
import { detectIntent } from '../signals/intent';
import { sentimentCues } from './cues';
import { analyzeSentiment } from './sentiment';
import { sentimentOfCategoryExample, sentimentOfSurveyScore, trainSentimentModel } from './training';

const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledText);
const shipped = jsonl(join(__dirname, 'training-set.jsonl'));
const categories = jsonl(join(__dirname, '..', 'taxonomy', 'training-set.jsonl'));
const model = trainSentimentModel({ shipped, categories, learnt: [] });

function read(text: string, withModel = true) {
  const { lang } = detectLanguage(text);
  const prepared = prepareText(text, lang);
  const sentiment = analyzeSentiment(prepared.tokens, prepared.emoji, text, lang, withModel ? model : null);
  return { sentiment, intent: detectIntent(text, sentiment) };
}

describe('sentiment on complaints, requests and sarcasm', () => {
  it.each([
    // Requests for a remedy or a person are complaints, however polite.
    'je veux parler à un humain pour mon remboursement',
    'Je voudrais être remboursé svp',
    'please refund my ticket',
    'I want my money back',
    // Sarcasm.
    'thanks for nothing',
    'great, another delay',
    'merci pour rien',
    'génial, encore un retard',
    'Thanks for the 3 hour delay @airline, really appreciated',
    // Negation, French and English, with and without "ne".
    'ça ne marche pas',
    'ça marche pas',
    "je n'arrive pas à payer",
    'not happy with the refund',
    // Emoji alone.
    'mon train 😡',
  ])('%s: negative by the rules alone, and with the model', (text) => {
    expect(read(text, false).sentiment.label).toBe('negative');
    expect(read(text).sentiment.label).toBe('negative');
    expect(read(text).intent).not.toBe('praise');
  });

  it.each([
    'Merci beaucoup, le contrôleur a été adorable',
    'Thanks Sarah, sorted in minutes, great service',
    'Super appli, merci 👍',
    'the refund arrived in two days, thank you',
  ])('%s: positive, and praise', (text) => {
    expect(read(text).sentiment.label).toBe('positive');
    expect(read(text).intent).toBe('praise');
  });

  it('finds French complaints that carry no opinion word, with the model', () => {
    for (const text of [
      'Mon e-billet n’est toujours pas arrivé',
      'On attend le remboursement depuis trois semaines',
      'Le train de 18h a été supprimé sans prévenir',
    ])
      expect({ text, label: read(text).sentiment.label }).toEqual({ text, label: 'negative' });
  });

  it('does not hear a complaint in a plain question', () => {
    expect(read('Où trouver ma facture dans l’application ?').sentiment.label).not.toBe('negative');
    expect(read('What time does the first train leave tomorrow?').sentiment.label).not.toBe('negative');
    expect(read('Why is my train delayed AGAIN?').sentiment.label).toBe('negative');
  });

  it('reads the cues', () => {
    expect(sentimentCues('Thanks for the delay notification, I could take my time').sarcasm).toBe(false);
    expect(sentimentCues('Thanks for ruining my trip - AGAIN!').sarcasm).toBe(true);
    expect(sentimentCues('toujours pas de réponse depuis 3 jours').persistence).toBe(2);
    expect(sentimentCues("I'd like to book two seats").request).toBe(false);
  });
});

describe('learning sentiment', () => {
  it('labels survey comments by their score, and sets questions of the shipped set apart', () => {
    expect([0, 6, 7, 8, 9, 10].map((score) => sentimentOfSurveyScore('nps', score))).toEqual([
      'negative',
      'negative',
      null,
      null,
      'positive',
      'positive',
    ]);
    expect([1, 2, 3, 4, 5].map((score) => sentimentOfSurveyScore('csat', score))).toEqual([
      'negative',
      'negative',
      null,
      'positive',
      'positive',
    ]);
    expect(sentimentOfCategoryExample('Comment ajouter ma carte de réduction ?', 'account_login')).toBe(
      'neutral',
    );
    expect(sentimentOfCategoryExample('Pourquoi mon paiement est refusé ??? inadmissible', 'payment')).toBe(
      'negative',
    );
    expect(sentimentOfCategoryExample('Merci pour la réponse rapide', 'praise')).toBe('positive');
  });

  it('learns what the installation teaches: survey comments and corrections outweigh the prior', () => {
    const text = 'le nouveau plan de vol est sobre';
    const before = analyzeSentiment([], [], text, 'fr', model).score;
    const learnt = Array.from({ length: 12 }, (_, i) => ({
      text: `${i % 2 ? 'franchement' : 'vraiment'} le plan de vol est sobre ${i}`,
      label: 'positive',
    }));
    const taught = trainSentimentModel({ shipped, categories, learnt });
    expect(analyzeSentiment([], [], text, 'fr', taught).score).toBeGreaterThan(before + 0.1);
  });
});
