import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../../src/metrics/metric-registry.js';
import { histogramSeries } from './histogram-series.js';

describe('MetricRegistry', () => {
  it('renders counters, gauges and histograms a Prometheus parser reads back', () => {
    const registry = new MetricRegistry();
    const counter = registry.counter('demo_requests_total', 'Requests.\nSecond line with a \\ backslash.', [
      'route',
    ]);
    const gauge = registry.gauge('demo_temperature', 'Temperature.');
    const hist = registry.histogram('demo_latency_seconds', 'Latency.', ['route'], [0.5, 0.1, 1]);
    counter.inc({ route: 'a "quoted"\nname\\x' }, 2);
    counter.inc({ route: 'b' });
    gauge.set({}, -3.5);
    for (const v of [0.05, 0.2, 0.7, 3]) hist.observe({ route: 'a' }, v);

    const text = registry.render();
    expect(text).toContain('# HELP demo_requests_total Requests.\\nSecond line with a \\\\ backslash.');
    expect(text.endsWith('\n')).toBe(true);
    const parsed = parsePrometheusTextFormat(text);
    expect(parsed).toEqual([
      {
        name: 'demo_requests_total',
        help: 'Requests.\nSecond line with a \\ backslash.',
        type: 'COUNTER',
        metrics: [
          { value: '2', labels: { route: 'a "quoted"\nname\\x' } },
          { value: '1', labels: { route: 'b' } },
        ],
      },
      { name: 'demo_temperature', help: 'Temperature.', type: 'GAUGE', metrics: [{ value: '-3.5' }] },
      {
        name: 'demo_latency_seconds',
        help: 'Latency.',
        type: 'HISTOGRAM',
        metrics: expect.any(Array),
      },
    ]);
  });

  it('renders cumulative histogram buckets per label set', () => {
    const registry = new MetricRegistry();
    const hist = registry.histogram('demo_latency_seconds', 'Latency.', ['route'], [0.5, 0.1, 1]);
    for (const v of [0.05, 0.2, 0.7, 3]) hist.observe({ route: 'a' }, v);
    hist.observe({ route: 'b' }, 0.01);
    const text = registry.render();
    expect(histogramSeries(text, 'demo_latency_seconds', { route: 'a' })).toEqual({
      buckets: { '0.1': '1', '0.5': '2', '1': '3', '+Inf': '4' },
      count: '4',
      sum: '3.95',
    });
    expect(histogramSeries(text, 'demo_latency_seconds', { route: 'b' })).toEqual({
      buckets: { '0.1': '1', '0.5': '1', '1': '1', '+Inf': '1' },
      count: '1',
      sum: '0.01',
    });
  });

  it('refuses bad names, duplicate metrics and decreasing counters', () => {
    const registry = new MetricRegistry();
    expect(() => registry.counter('bad-name', 'x')).toThrow(/invalid metric name/);
    expect(() => registry.counter('ok_total', 'x', ['le'])).toThrow(/invalid label name/);
    const c = registry.counter('ok_total', 'x');
    expect(() => registry.gauge('ok_total', 'x')).toThrow(/twice/);
    expect(() => c.inc({}, -1)).toThrow(/cannot decrease/);
  });
});
