// /metrics in the Prometheus text format, with the series names the OpenTelemetry-to-Prometheus rules
// give (unit suffix, `_total`), so a scrape by vmagent and a write through the Collector agree.
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { prometheusName, type MetricKind } from './metric-catalog.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// No scope labels: the Collector's remote write does not add them either, and they double every series.
const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);

export function toPrometheusText(resourceMetrics: ResourceMetrics): string {
  return serializer.serialize({
    resource: resourceMetrics.resource,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      scope: scope.scope,
      metrics: scope.metrics.map(renamed),
    })),
  });
}

function renamed(metric: MetricData): MetricData {
  const name = prometheusName({
    name: metric.descriptor.name,
    unit: metric.descriptor.unit,
    kind: kindOf(metric),
  });
  return { ...metric, descriptor: { ...metric.descriptor, name } };
}

function kindOf(metric: MetricData): MetricKind {
  if (metric.dataPointType === DataPointType.HISTOGRAM) return 'histogram';
  if (metric.dataPointType === DataPointType.SUM && metric.isMonotonic) return 'counter';
  return 'gauge';
}
