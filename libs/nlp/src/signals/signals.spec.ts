import { detectLanguage } from '../language/language';
import { prepareText } from '../language/prepare';
import { analyzeSentiment } from '../sentiment/sentiment';
import { detectIntent } from './intent';
import { detectTerminal } from './terminal';

function read(text: string) {
  const { lang } = detectLanguage(text);
  const prepared = prepareText(text, lang);
  const sentiment = analyzeSentiment(prepared.tokens, prepared.emoji, text, lang);
  return { sentiment, intent: detectIntent(text, sentiment) };
}

describe('sentiment and intent', () => {
  it.each([
    ['Paiement refusé ENCORE, inadmissible !!!', 'negative', 'complaint'],
    ['remboursement toujours pas reçu', 'negative', 'complaint'],
    ['Le site n’est pas terrible', 'negative', 'complaint'],
    ["L'appli plante quand je choisis ma place", 'negative', 'bug_report'],
    ['not great, the app crashes on my Pixel', 'negative', 'bug_report'],
    ['Super appli, merci 👍', 'positive', 'praise'],
    ['Thanks Sarah, sorted in minutes, great service', 'positive', 'praise'],
    ['Pourquoi le prix change entre la recherche et le paiement ?', undefined, 'question'],
    ['Idée : pouvoir enregistrer les passagers habituels', undefined, 'idea'],
    ['Feature request: dark mode please add it', undefined, 'idea'],
    ['I unsubscribed three times and I still receive your marketing emails', undefined, 'complaint'],
    ['Hi, payment fails every time after I approve it in my banking app', undefined, 'bug_report'],
    ['je veux parler à un humain', undefined, 'complaint'],
  ])('%s', (text, label, intent) => {
    const result = read(text);
    if (label) expect(result.sentiment.label).toBe(label);
    expect(result.sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(result.sentiment.score).toBeLessThanOrEqual(1);
    expect(result.intent).toBe(intent);
  });
});

describe('detectTerminal', () => {
  it('trusts the connector first', () => {
    expect(detectTerminal('rien', { device: 'android', appVersion: '12.4.1' })).toBe('android_app');
    expect(detectTerminal('rien', { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)' })).toBe(
      'mobile_web',
    );
    expect(detectTerminal('rien', { device: 'desktop' })).toBe('desktop_web');
  });

  it('reads the text otherwise', () => {
    expect(detectTerminal("L'appli plante sur mon Samsung")).toBe('android_app');
    expect(detectTerminal('the app crashes on my iPhone')).toBe('ios_app');
    expect(detectTerminal('sur le site mobile, depuis mon téléphone')).toBe('mobile_web');
    expect(detectTerminal('sur ordinateur avec Firefox')).toBe('desktop_web');
    expect(detectTerminal('mon billet')).toBe('unknown');
  });
});
