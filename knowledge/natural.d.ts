// natural is imported through deep paths only (its main entry runs dotenv and prints to stdout).
declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer_vi.js' {
  export default class AggressiveTokenizerVi {
    tokenize(text: string): string[];
  }
}
