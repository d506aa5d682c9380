import * as assert from 'node:assert/strict';
import { escapeXml, niceCeiling, renderStatisticsChart } from '../../../src/core/reports/statisticsChart';
import type { DayStatistics } from '../../../src/core/reports/statisticsStore';

function day(d: string, shown: number, accepted: number): DayStatistics {
  return {
    day: d,
    shown,
    suggestionsAccepted: accepted,
    acceptedFully: accepted,
    acceptedPartly: 0,
    charsAccepted: 0,
    requestsSent: 0,
    servedLocally: 0,
    latencySamples: 0,
    ...(shown > 0 ? { acceptanceRate: accepted / shown } : {}),
  };
}

const labels = {
  title: 'Shown & accepted',
  describeDay: (d: DayStatistics) => `${d.day}: ${d.shown} shown <${d.suggestionsAccepted}>`,
  shown: 'Shown',
  accepted: 'Accepted',
  rate: 'Rate',
};

describe('statistics chart', () => {
  it('draws one column per day with bars scaled to the busiest day and a dot per rate', () => {
    const days = [day('2026-03-08', 0, 0), day('2026-03-09', 10, 4), day('2026-03-10', 20, 20)];
    const svg = renderStatisticsChart(days, labels);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<g class="day"/g) ?? []).length, 3);
    assert.equal((svg.match(/class="shown"/g) ?? []).length, 2, 'no bar for an empty day');
    assert.equal((svg.match(/class="rate"/g) ?? []).length, 2);
    const height = (cls: string, nth: number) =>
      Number([...svg.matchAll(new RegExp(`class="${cls}"[^>]*height="([\\d.]+)"`, 'g'))][nth]![1]);
    assert.ok(Math.abs(height('shown', 0) * 2 - height('shown', 1)) < 0.2, '10 shown is half of 20');
    assert.ok(Math.abs(height('accepted', 0) / height('shown', 0) - 0.4) < 0.01, '4 of 10 accepted');
    assert.match(svg, />20</, 'the axis maximum is the busiest day, rounded');
    assert.match(svg, /viewBox="0 0 \d+ \d+" width="100%"/, 'scales to a narrow view');
  });

  it('labels the last day and every seventh before it', () => {
    const days = Array.from({ length: 30 }, (_, i) => day(`2026-03-${String(i + 1).padStart(2, '0')}`, 1, 0));
    const svg = renderStatisticsChart(days, labels);
    const dates = [...svg.matchAll(/>(\d\d-\d\d)</g)].map((m) => m[1]);
    assert.deepEqual(dates, ['03-02', '03-09', '03-16', '03-23', '03-30']);
  });

  it('is self-contained and escapes every label', () => {
    const svg = renderStatisticsChart([day('2026-03-10', 1, 0)], labels);
    assert.doesNotMatch(svg, /<script|href=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    assert.match(svg, /Shown &#38; accepted/);
    assert.match(svg, /2026-03-10: 1 shown &#60;0&#62;/);
    assert.doesNotMatch(svg, /<0>/);
  });

  it('rounds the axis to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([0, 1, 3, 7, 20, 21, 480].map(niceCeiling), [1, 1, 5, 10, 20, 50, 500]);
    assert.equal(escapeXml(`a<b>"c"&'d'`), 'a&#60;b&#62;&#34;c&#34;&#38;&#39;d&#39;');
  });
});
