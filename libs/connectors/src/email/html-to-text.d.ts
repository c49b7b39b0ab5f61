// html-to-text ships no types. It is mailparser's own dependency (mailparser converts HTML with it),
// so it is installed with mailparser; only the part used here is declared.
declare module 'html-to-text' {
  export interface SelectorDefinition {
    selector: string;
    format?: string;
    options?: Record<string, unknown>;
  }

  export interface HtmlToTextOptions {
    wordwrap?: number | false | null;
    selectors?: SelectorDefinition[];
    limits?: {
      ellipsis?: string;
      maxBaseElements?: number;
      maxChildNodes?: number;
      maxDepth?: number;
      maxInputLength?: number;
    };
  }

  export function convert(html: string, options?: HtmlToTextOptions): string;
  /** The converter for these options, built once: `convert` builds it again at every call. */
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}
