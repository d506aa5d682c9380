import { sharedClockMs, startTokenServer, type TokenExchange } from '../test/fixtures/scriptedServer';
import { documentOfLines, type CorpusFile } from './benchDocuments';
import { benchSettings } from './benchSettings';
import type { ProviderUnderTest } from './providerUnderTest';
import type { FigureRow } from './report';
import { percentile, spread } from './stats';

export interface ClientOverheadOptions {
  corpus: CorpusFile;
  makeProvider: () => ProviderUnderTest;
  rounds: number;
  samplesPerRound: number;
  lineCounts: number[];
}

/** The answer: the rest of a line, then more lines the single-line mode does not need. */
const ANSWER = ['total', ' +=', ' amount', '\n', '    return', ' total', '\n'];
const TIMING = { timeToFirstTokenMs: 10, tokenDelayMs: 3 };

interface Sample {
  /** Provider called to the request's first bytes at the server. */
  toFirstByte: number;
  /** Last needed token written by the server to the suggestions returned. */
  afterLastToken: number;
  /** Provider called to suggestions returned, over the server's own time for the same exchange. */
  ratio: number;
  linesRead: number;
  /** From the last token the server wrote before the client closed the stream (what it read last). */
  afterLastRead: number;
  /** The request waited for a new connection (its connection became ready after the call). */
  waitedForConnection: boolean;
}

/**
 * The last token the returned text needed: what tells the client the answer is complete. For a
 * single-line suggestion that is the line break after it. A block can go on after any line break,
 * so for a block it is the token that brings the first character of the next line (which shows
 * the block is over), or the last token when nothing follows.
 */
function lastNeededToken(exchange: TokenExchange, shownText: string, shape: string | undefined): number {
  let text = '';
  for (let i = 0; i < exchange.plannedTokens.length; i++) {
    text += exchange.plannedTokens[i]!;
    if (text.length <= shownText.length) continue;
    const beyond = text.slice(shownText.length);
    if (!shape?.startsWith('block') || /\n[ \t]*\S/.test(beyond)) return i;
  }
  return exchange.plannedTokens.length - 1;
}

/** Figure 1: what the client adds on top of the server, before the request and after the answer. */
export async function measureClientOverhead(
  options: ClientOverheadOptions,
): Promise<{ rows: FigureRow[]; detail: unknown }> {
  const server = await startTokenServer({ ...TIMING, answer: () => ANSWER });
  const rows: FigureRow[] = [];
  const detail: Record<string, unknown> = {};
  try {
    for (const lines of options.lineCounts) {
      const document = documentOfLines(options.corpus, lines);
      const connectionsBefore = server.connections;
      const perRound = {
        readyP95: [] as number[],
        waited: [] as number[],
        afterLastRead: [] as number[],
        p50In: [] as number[],
        p95In: [] as number[],
        maxIn: [] as number[],
        p50Out: [] as number[],
        p95Out: [] as number[],
        maxOut: [] as number[],
        ratio: [] as number[],
        linesRead: [] as number[],
      };
      for (let round = 0; round < options.rounds; round++) {
        // A fresh provider per round: its cache starts empty and its first request opens the
        // connection, which the warm-up sample absorbs.
        const provider = options.makeProvider();
        const samples: Sample[] = [];
        try {
          for (let i = -1; i < options.samplesPerRound; i++) {
            // A different line each time, so no cache can answer.
            const line = Math.floor(lines / 2) + i + 1 - (lines > 200 ? 0 : Math.floor(lines / 4));
            // At the end of a line, as when typing; the suggestion is the rest of a line.
            const position = { line, character: document.lineText(line).length };
            document.linesRead = 0;
            server.clearExchanges();
            const calledAt = sharedClockMs();
            const answer = await provider.provide({
              document,
              position,
              // No prefetch: it would put a second request of its own on the wire between samples.
              settings: benchSettings(server.baseUrl, { debounceMs: 0, speculative: 'off' }),
              endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
              trigger: 'invoke',
            });
            const returnedAt = sharedClockMs();
            const linesRead = document.linesRead;
            const exchange = server.exchanges[0];
            if (!exchange || answer.suggestions.length === 0) {
              throw new Error(`client overhead: no suggestion (${answer.decision.outcome}: ${answer.decision.reason})`);
            }
            await provider.controller.whenIdle();
            await server.idle();
            if (i < 0) continue;
            const needed = lastNeededToken(exchange, answer.suggestions[0]!.insertText, answer.decision.shape);
            const neededAt = exchange.tokenWrittenAt[needed]!;
            samples.push({
              toFirstByte: exchange.receivedAt - calledAt,
              afterLastToken: returnedAt - neededAt,
              ratio: (returnedAt - calledAt) / (neededAt - exchange.receivedAt),
              linesRead,
              afterLastRead: returnedAt - exchange.tokenWrittenAt[exchange.tokenWrittenAt.length - 1]!,
              waitedForConnection: exchange.firstOnConnection && exchange.connectionReadyAt > calledAt,
            });
          }
        } finally {
          await provider.close();
        }
        const inbound = samples.map((s) => s.toFirstByte);
        const outbound = samples.map((s) => s.afterLastToken);
        perRound.p50In.push(percentile(inbound, 50));
        perRound.p95In.push(percentile(inbound, 95));
        perRound.maxIn.push(Math.max(...inbound));
        perRound.p50Out.push(percentile(outbound, 50));
        perRound.p95Out.push(percentile(outbound, 95));
        perRound.maxOut.push(Math.max(...outbound));
        perRound.ratio.push(
          percentile(
            samples.map((s) => s.ratio),
            50,
          ),
        );
        perRound.linesRead.push(Math.max(...samples.map((s) => s.linesRead)));
        perRound.afterLastRead.push(
          percentile(
            samples.map((s) => s.afterLastRead),
            50,
          ),
        );
        perRound.readyP95.push(
          percentile(
            samples.filter((s) => !s.waitedForConnection).map((s) => s.toFirstByte),
            95,
          ),
        );
        perRound.waited.push(samples.filter((s) => s.waitedForConnection).length);
      }
      const linesLabel = lines.toLocaleString('en-US');
      const requests = options.rounds * (options.samplesPerRound + 1);
      const note =
        `p50 ${spread(perRound.p50In).median.toFixed(2)} ms, max ${spread(perRound.maxIn).median.toFixed(2)} ms; lines read per call ${spread(perRound.linesRead).max}; ` +
        `${server.connections - connectionsBefore} connections opened for ${requests} requests; ` +
        `${spread(perRound.waited).median} of ${options.samplesPerRound} per round waited for a new connection; on a ready connection p95 ${Number.isFinite(spread(perRound.readyP95).median) ? `${spread(perRound.readyP95).median.toFixed(2)} ms` : 'n/a (none was ready)'}`;
      rows.push({
        figure: 1,
        name: `call → first byte, ${linesLabel} lines (p95)`,
        unit: 'ms',
        value: spread(perRound.p95In),
        target: '< 2 ms',
        met: spread(perRound.p95In).median < 2,
        ratio: { value: spread(perRound.ratio), against: 'server time (whole call)' },
        note,
      });
      rows.push({
        figure: 1,
        name: `last token → items, ${linesLabel} lines (p95)`,
        unit: 'ms',
        value: spread(perRound.p95Out),
        target: '< 2 ms',
        met: spread(perRound.p95Out).median < 2,
        note:
          `p50 ${spread(perRound.p50Out).median.toFixed(2)} ms, max ${spread(perRound.maxOut).median.toFixed(2)} ms; ` +
          `from the last token the client read before it stopped the stream: p50 ${spread(perRound.afterLastRead).median.toFixed(2)} ms ` +
          `(server: ${TIMING.timeToFirstTokenMs} ms to first token, ${TIMING.tokenDelayMs} ms per token)`,
      });
      detail[`${lines}`] = perRound;
    }
  } finally {
    await server.close();
  }
  return { rows, detail };
}
