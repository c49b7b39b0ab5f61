import { compile, type HtmlToTextOptions } from 'html-to-text';

/**
 * Deepest element nesting handed to html-to-text. Its parser (htmlparser2) is quadratic in the
 * nesting depth (100,000 nested <b> take seconds, a 10 MB message could hold millions) and its
 * recursive walk overflows the stack near 2,000 levels; real mail stays far below 1,000.
 */
const MAX_HTML_DEPTH = 1000;

// Elements that never hold content: their start tag opens no level.
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

// The HTML parser closes these when a sibling opens, so an unclosed run of them does not nest.
const IMPLIED_END_ELEMENTS = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'option',
  'optgroup',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'rt',
  'rp',
]);

const OPTIONS: HtmlToTextOptions = {
  // Wrapping would split attribution lines ("On … wrote:") that the reply stripping looks for.
  wordwrap: false,
  selectors: [
    // Quoted replies (Gmail, Apple Mail, Thunderbird) are blockquotes; the attribution line above
    // them stays and ends the customer's text in stripReply.
    { selector: 'blockquote', format: 'skip' },
    // Discourse renders a quoted post as an aside holding who is quoted and a blockquote.
    { selector: 'aside.quote', format: 'skip' },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
  ],
  limits: { maxDepth: MAX_HTML_DEPTH },
};

/**
 * The converter, built once: html-to-text's `convert` compiles its selectors into a decision tree
 * at every call, which was most of the time of reading an HTML mail or a feed item (the 1.6 MB
 * podcast feed of the feed corpus, two polls: pullFeed 7.5 s of CPU, then 1.9 s).
 */
const toPlainText = compile(OPTIONS);

/**
 * Plain text of an HTML body, quoted blockquotes, <style>, <script>, images and link targets left
 * out. Markup nested too deeply to convert safely gives '' (the subject then stands in).
 */
export function htmlToPlainText(html: string): string {
  if (nestsDeeperThan(html, MAX_HTML_DEPTH)) return '';
  try {
    return toPlainText(html);
  } catch {
    return '';
  }
}

/**
 * Whether `html` nests elements deeper than `max`, in one pass that follows what the parser
 * builds: an end tag closes down to the nearest open element of its name and is ignored otherwise.
 */
export function nestsDeeperThan(html: string, max: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  let at = html.indexOf('<');
  while (at >= 0) {
    if (html.startsWith('!--', at + 1)) {
      const end = html.indexOf('-->', at + 4);
      if (end < 0) return false;
      at = html.indexOf('<', end + 3);
      continue;
    }
    const closing = html.charCodeAt(at + 1) === 0x2f;
    const nameStart = at + (closing ? 2 : 1);
    let nameEnd = nameStart;
    while (nameEnd < html.length && isTagNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    // "<3" or "< 5 €" is text, not a tag.
    if (/^[a-z]/.test(name)) {
      if (closing) closeDownTo(name, stack, open);
      else if (opensLevel(name)) {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (stack.length > max) return true;
      }
    }
    at = html.indexOf('<', Math.max(nameEnd, at + 1));
  }
  return false;
}

function opensLevel(name: string): boolean {
  return !VOID_ELEMENTS.has(name) && !IMPLIED_END_ELEMENTS.has(name);
}

function closeDownTo(name: string, stack: string[], open: Map<string, number>): void {
  if ((open.get(name) ?? 0) === 0) return;
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    open.set(top, (open.get(top) ?? 1) - 1);
    if (top === name) return;
  }
}

function isTagNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x3a || // :
    code === 0x5f // _
  );
}
