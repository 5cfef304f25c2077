/**
 * One count as a CloudWatch embedded-metric-format log line, in the namespace and `service` dimension
 * the Powertools metrics of the other functions use, without the library in the public bundle.
 * Locally (no Lambda environment) the line is the log message alone.
 */
export function countMetric(name: string, properties: Record<string, string>, message: string): void {
  const service = process.env.POWERTOOLS_SERVICE_NAME;
  if (!service) {
    console.warn(JSON.stringify({ level: 'warn', message, ...properties }));
    return;
  }
  console.log(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'YimeiCredit',
            Dimensions: [['service']],
            Metrics: [{ Name: name, Unit: 'Count' }],
          },
        ],
      },
      service,
      [name]: 1,
      level: 'warn',
      message,
      ...properties,
    }),
  );
}
