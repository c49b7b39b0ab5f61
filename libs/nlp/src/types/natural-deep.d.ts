// natural's package entry loads every module it has (and runs dotenv): the product requires the
// few modules it uses directly. These declarations cover those deep paths.
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const stemmer: { stem(token: string): string };
  export = stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_fr' {
  const stemmer: { stem(token: string): string };
  export = stemmer;
}
declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_fr' {
  export const words: string[];
}
declare module 'natural/lib/natural/sentiment/SentimentAnalyzer' {
  class SentimentAnalyzer {
    constructor(language: string, stemmer: { stem(token: string): string } | null, vocabulary: string);
    getSentiment(words: string[]): number;
  }
  export = SentimentAnalyzer;
}
