import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RunMetrics } from '../use-cases/ports.js';

/**
 * RunMetrics over Powertools EMF. A count with dimensions goes out as its own metric set
 * (`singleMetric`) so that each state or kind is a separate series on the dashboard.
 */
export function powertoolsRunMetrics(metrics: Metrics): RunMetrics {
  return {
    count(name, value, dimensions) {
      if (dimensions === undefined || Object.keys(dimensions).length === 0) {
        metrics.addMetric(name, MetricUnit.Count, value);
        return;
      }
      const single = metrics.singleMetric();
      for (const [key, dimension] of Object.entries(dimensions))
        single.addDimension(key, dimension);
      single.addMetric(name, MetricUnit.Count, value);
    },
  };
}
