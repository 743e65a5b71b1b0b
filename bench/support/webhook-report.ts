// docs/benchmarks-webhooks.md from one run of bench/webhooks.ts: the method, the machine and the
// table. Everything in it is measured in that run; nothing is typed by hand.
import { table } from './benchmark-report.ts';
import { median } from './stats.ts';

export type PipelineName = 'PostgreSQL alone' | 'NATS JetStream';

export interface WebhookMeasurement {
  payments: number;
  /** The payments divided by the time from the first payment request sent to the last answered. */
  paymentsPerSecond: number;
  /** The payments divided by the time from the first event's commit to the last notification's arrival. */
  notificationsPerSecond: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** The median lag of payments made one at a time, each notified before the next. */
  loneLagP50Ms: number;
  /** Copies of an event id the receiver had already counted. */
  duplicates: number;
}

export interface WebhookResults {
  settings: {
    runs: number;
    payments: number;
    keys: number;
    payConcurrency: number;
    warmupPayments: number;
    lonePayments: number;
  };
  machine: {
    cpuModel: string;
    cores: number;
    node: string;
    postgres: string;
    nats: string;
    loadBefore: number;
    loadAfter: number;
  };
  samples: Record<PipelineName, WebhookMeasurement[]>;
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');

export function renderWebhookReport(results: WebhookResults): string {
  const { settings, machine } = results;
  const rows = (Object.entries(results.samples) as [PipelineName, WebhookMeasurement[]][]).map(
    ([name, runs]) => {
      const of = (field: keyof WebhookMeasurement) => median(runs.map((run) => run[field]));
      return [
        name,
        integer(of('notificationsPerSecond')),
        integer(of('lagP50Ms')),
        integer(of('lagP99Ms')),
        integer(Math.max(...runs.map((run) => run.lagMaxMs))),
        integer(of('loneLagP50Ms')),
        integer(of('paymentsPerSecond')),
        String(runs.reduce((sum, run) => sum + run.duplicates, 0)),
      ];
    },
  );
  return [
    '# Benchmarks: Pix webhook delivery',
    '<!-- Written by `npm run bench -- webhooks` (bench/webhooks.ts); do not edit by hand. -->',
    'How fast a sandbox payment becomes a signed `POST {webhookUrl}/pix` at a receiver, through the ' +
      'transactional outbox and the relay (docs/events.md), with PostgreSQL alone and with NATS JetStream ' +
      'between them. The full-stack numbers are in [benchmarks.md](benchmarks.md).',
    '## Results',
    `Medians of ${settings.runs} run(s) of ${integer(settings.payments)} payments per pipeline ` +
      '(the worst lag is the largest of all runs; duplicates are summed over them).',
    table(
      [
        'pipeline',
        'notifications/s',
        'lag p50 (ms)',
        'lag p99 (ms)',
        'lag max (ms)',
        'lag alone p50 (ms)',
        'payments/s',
        'duplicates',
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      rows,
    ),
    '## Method',
    [
      '- Each pipeline is the compiled service as deployed (`npm run build`, `NODE_ENV=production`, ' +
        'telemetry and the rate limiter off, logs at `warn`), on a scratch PostgreSQL database of its own ' +
        'dropped afterwards; its relay runs because the server listens. With NATS, the service publishes to ' +
        'a stream of its own (deleted afterwards) and delivers from its durable consumers. Default relay ' +
        'settings otherwise.',
      `- ${settings.keys} Pix keys, each with a webhook registered through \`PUT /v2/webhook/{chave}\` to a ` +
        'receiver on loopback (`PIX_WEBHOOK_ALLOW_INSECURE=true`); the charges (`POST /v2/cob`) are spread ' +
        'over the keys. One key’s notifications go strictly one after another, so the number of keys bounds ' +
        'how many deliveries are in flight.',
      `- A run creates the charges, then pays them all through \`POST /v2/sandbox/cob/{txid}/pagamento\` ` +
        `with ${settings.payConcurrency} requests in flight, and waits until every payment was notified.` +
        (settings.warmupPayments > 0
          ? ` Each pipeline is first warmed up with ${settings.warmupPayments} payments.`
          : '') +
        ` After the burst, ${settings.lonePayments} payments are made one at a time, each notified ` +
        'before the next is paid: **lag alone** is their median, the lag with no queue to wait in. The ' +
        'pipelines take turns, the order rotating between runs.',
      '- The receiver (`bench/support/counting-receiver.ts`, plain `node:http`) verifies every Standard ' +
        'Webhooks signature once and counts each `webhook-id` (the event id) once; a repeat is a duplicate. ' +
        'A failed verification or a missing notification fails the run.',
      '- **Lag** is the arrival at the receiver minus the event row’s `occurred_at`, the service’s clock ' +
        'read in the payment’s transaction once the charge is locked, before the Pix and the event are ' +
        'written and committed: the lag includes the end of that transaction (one machine, one clock; ' +
        'milliseconds). **Throughput** ' +
        'is the payments divided by the time from the first commit to the last arrival; since the ' +
        'notifications cannot outrun the payments, payments/s (first request sent to last answer) is shown ' +
        'beside it. Where a pipeline notifies more slowly than the payments come, the notifications queue ' +
        'up during the burst and its lag is mostly that wait, growing through the run.',
    ].join('\n'),
    '## Machine',
    `${machine.cores} cores (${machine.cpuModel}), Node.js ${machine.node}, PostgreSQL ${machine.postgres} ` +
      `and NATS ${machine.nats} on the same machine, load average ${machine.loadBefore.toFixed(1)} before ` +
      `the runs and ${machine.loadAfter.toFixed(1)} after. The load generator and the receiver share the ` +
      'cores with the service, and other work shared the machine: compare the two pipelines, which ran ' +
      'alternately, rather than read the absolute numbers.',
  ].join('\n\n');
}
