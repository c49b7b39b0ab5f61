import { foldAccents } from '../language/language';

export type Terminal = 'desktop_web' | 'mobile_web' | 'ios_app' | 'android_app' | 'unknown';

const ANDROID = /\b(?:android|samsung|galaxy|pixel|xiaomi|huawei|oneplus)\b/;
const IOS = /\b(?:iphone|ipad|ios)\b/;
const APP = /\b(?:appli|application|app|apps|mise a jour de l'?app\w*)\b/;
const DESKTOP =
  /\b(?:ordinateur|ordi|pc|desktop|computer|laptop|mac|windows|chrome|firefox|edge|safari sur mac)\b/;
const MOBILE = /\b(?:mobile|telephone|smartphone|portable|phone)\b/;

function fromMetadata(metadata: Record<string, unknown>): Terminal | null {
  const device = typeof metadata.device === 'string' ? metadata.device.toLowerCase() : '';
  const userAgent = typeof metadata.userAgent === 'string' ? metadata.userAgent : '';
  const isApp =
    typeof metadata.appVersion === 'string' ||
    (typeof metadata.channel === 'string' && /\bapp\b/i.test(metadata.channel));
  if (device === 'android' || /Android/.test(userAgent)) return isApp ? 'android_app' : 'mobile_web';
  if (device === 'ios' || /iPhone|iPad/.test(userAgent)) return isApp ? 'ios_app' : 'mobile_web';
  if (device === 'desktop' || /Windows NT|Macintosh|X11/.test(userAgent)) return 'desktop_web';
  return null;
}

/**
 * The kind of terminal the customer used: from what the connector knows (device, user agent, app
 * version) first, then from what the customer says ("l'appli plante sur mon Pixel").
 */
export function detectTerminal(text: string, metadata: Record<string, unknown> = {}): Terminal {
  const known = fromMetadata(metadata);
  if (known) return known;
  const folded = foldAccents(text.toLowerCase());
  const app = APP.test(folded);
  if (ANDROID.test(folded)) return app ? 'android_app' : 'mobile_web';
  if (IOS.test(folded)) return app ? 'ios_app' : 'mobile_web';
  if (DESKTOP.test(folded)) return 'desktop_web';
  if (MOBILE.test(folded) && !app) return 'mobile_web';
  return 'unknown';
}
