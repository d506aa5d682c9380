import { truncateCompletion } from '../stream/blockEnd';
import type { PostprocessFilter } from './types';

/** The stop rules, applied once more to the finished text (a non-streamed answer, or the last chunk). */
export const truncateToPlan: PostprocessFilter = {
  name: 'stop rules',
  apply(c, ctx) {
    const { text } = truncateCompletion(c.text, ctx.plan);
    return text === c.text ? c : { ...c, text };
  },
};
