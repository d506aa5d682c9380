/**
 * Recent completions, keyed by the text before the cursor, in a bounded radix trie with LRU
 * eviction. One walk down the trie along the current prefix meets every stored prefix that the
 * current one extends; the deepest whose suggestion starts with what the user typed since serves
 * the rest of it without a new request (typed-ahead). Backspacing to a position seen before finds
 * its own entry (exact match). The text after the cursor is part of the match: a stored completion
 * only serves a position with the same suffix window (compared on its first SUFFIX_MATCH_CHARS).
 * Keys and texts are kept with LF line endings, so a CRLF document matches what the user typed
 * across a line break against the stored suggestion. An entry without choices records that a
 * position was answered with nothing to show: it serves that exact position only.
 */
export interface CachedChoice {
  text: string;
  replaceSuffixChars: number;
  meanLogprob?: number;
}

export type CacheSource = 'network' | 'speculative';

export interface CacheEntry {
  /** Document identity + prefix window: the trie key. */
  key: string;
  suffixKey: string;
  choices: CachedChoice[];
  source: CacheSource;
}

export interface CacheHit {
  entry: CacheEntry;
  /** What the user typed after the stored position ('' for an exact match). */
  typed: string;
  /** The stored choices with `typed` removed from their start; only those that still match. */
  choices: CachedChoice[];
}

export const SUFFIX_MATCH_CHARS = 1024;

interface TrieNode {
  /** Edges by their first character; each edge carries a run of characters (radix compression). */
  edges: Map<string, TrieEdge>;
  entries?: Map<string, CacheEntry>;
  parent?: TrieNode;
  /** The edge label leading here, for pruning. */
  label: string;
}

interface TrieEdge {
  label: string;
  node: TrieNode;
}

export function cacheKey(documentId: string, prefix: string): string {
  return `${documentId}\u0000${lf(prefix)}`;
}

export function suffixKeyOf(suffix: string): string {
  return lf(suffix.slice(0, SUFFIX_MATCH_CHARS + 1)).slice(0, SUFFIX_MATCH_CHARS);
}

function lf(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}

export class CompletionCache {
  private readonly root: TrieNode = { edges: new Map(), label: '' };
  /** Insertion/use order for LRU: the first key is the least recently used. */
  private readonly lru = new Map<string, { node: TrieNode; entry: CacheEntry }>();

  constructor(readonly maxEntries = 100) {}

  get size(): number {
    return this.lru.size;
  }

  set(
    documentId: string,
    prefix: string,
    suffix: string,
    choices: CachedChoice[],
    source: CacheSource = 'network',
  ): void {
    const key = cacheKey(documentId, prefix);
    const suffixKey = suffixKeyOf(suffix);
    const node = this.insertPath(key);
    node.entries ??= new Map();
    const entry: CacheEntry = { key, suffixKey, choices, source };
    node.entries.set(suffixKey, entry);
    const id = lruId(key, suffixKey);
    this.lru.delete(id);
    this.lru.set(id, { node, entry });
    while (this.lru.size > this.maxEntries) {
      const [oldest, value] = this.lru.entries().next().value as [string, { node: TrieNode; entry: CacheEntry }];
      this.lru.delete(oldest);
      value.node.entries?.delete(value.entry.suffixKey);
      this.prune(value.node);
    }
  }

  /**
   * The best stored completion for this position: the deepest stored prefix that the current one
   * extends, whose suffix matches and whose suggestion still starts with what was typed since.
   */
  lookup(documentId: string, prefix: string, suffix: string): CacheHit | undefined {
    const key = cacheKey(documentId, prefix);
    const suffixKey = suffixKeyOf(suffix);
    const candidates: { depth: number; entry: CacheEntry }[] = [];
    let node: TrieNode | undefined = this.root;
    let depth = 0;
    for (;;) {
      const entry = node.entries?.get(suffixKey);
      if (entry) candidates.push({ depth, entry });
      if (depth >= key.length) break;
      const edge: TrieEdge | undefined = node.edges.get(key[depth]!);
      if (!edge || !key.startsWith(edge.label, depth)) break;
      depth += edge.label.length;
      node = edge.node;
    }
    for (let i = candidates.length - 1; i >= 0; i--) {
      const { depth: d, entry } = candidates[i]!;
      const typed = key.slice(d);
      if (entry.choices.length === 0) {
        if (typed === '') return this.touched({ entry, typed, choices: [] });
        continue;
      }
      const choices: CachedChoice[] = [];
      for (const c of entry.choices) {
        if (c.text.startsWith(typed) && c.text.length > typed.length)
          choices.push({ ...c, text: c.text.slice(typed.length) });
      }
      if (choices.length > 0) return this.touched({ entry, typed, choices });
    }
    return undefined;
  }

  /** Marks a hit's entry most recently used. */
  private touched(hit: CacheHit): CacheHit {
    const id = lruId(hit.entry.key, hit.entry.suffixKey);
    const held = this.lru.get(id);
    if (held) {
      this.lru.delete(id);
      this.lru.set(id, held);
    }
    return hit;
  }

  clear(): void {
    this.root.edges.clear();
    this.root.entries = undefined;
    this.lru.clear();
  }

  private insertPath(key: string): TrieNode {
    let node = this.root;
    let i = 0;
    while (i < key.length) {
      const edge = node.edges.get(key[i]!);
      if (!edge) {
        const leaf: TrieNode = { edges: new Map(), parent: node, label: key.slice(i) };
        node.edges.set(key[i]!, { label: leaf.label, node: leaf });
        return leaf;
      }
      let common = 0;
      while (common < edge.label.length && i + common < key.length && edge.label[common] === key[i + common]) common++;
      if (common === edge.label.length) {
        node = edge.node;
        i += common;
        continue;
      }
      // Split the edge where the keys part.
      const middle: TrieNode = { edges: new Map(), parent: node, label: edge.label.slice(0, common) };
      const rest = edge.label.slice(common);
      edge.node.parent = middle;
      edge.node.label = rest;
      middle.edges.set(rest[0]!, { label: rest, node: edge.node });
      node.edges.set(key[i]!, { label: middle.label, node: middle });
      node = middle;
      i += common;
    }
    return node;
  }

  /** Removes nodes left without entries or children, so evicted keys do not keep their text alive. */
  private prune(start: TrieNode): void {
    let node: TrieNode | undefined = start;
    while (node && node !== this.root && node.edges.size === 0 && (!node.entries || node.entries.size === 0)) {
      const parent: TrieNode | undefined = node.parent;
      parent?.edges.delete(node.label[0]!);
      node = parent;
    }
  }
}

function lruId(key: string, suffixKey: string): string {
  return `${key}\u0001${suffixKey}`;
}
