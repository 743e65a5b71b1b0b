// The stack configuration under deploy/: rule files pass real checkers, and every metric the rules
// and the dashboard read is one the service exports (or a rule records).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MODULE_METRICS } from '../../src/service-catalog.ts';
import { prometheusSeriesNames, serviceMetricCatalog } from '../../src/telemetry/metric-catalog.ts';
import { metricNamesIn } from './promql-metric-names.ts';
import { REPO_ROOT } from './service-process.ts';

const RULES = join(REPO_ROOT, 'deploy/vmalert/rules.yaml');
const DASHBOARD = join(REPO_ROOT, 'deploy/grafana/dashboards/service.json');

interface RuleFile {
  groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
}
interface Panel {
  title: string;
  panels?: Panel[];
  targets?: { expr: string }[];
}

const rules = parse(readFileSync(RULES, 'utf8')) as RuleFile;
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  panels: Panel[];
  templating: { list: { definition?: string }[] };
};

const exported = prometheusSeriesNames(serviceMetricCatalog(MODULE_METRICS));
const recorded = new Set(rules.groups.flatMap((group) => group.rules.flatMap((rule) => rule.record ?? [])));

function available(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
}

// CI installs the checkers (.ci/run); a developer without them gets a skip, never a false pass.
function describeWith(binary: string): typeof describe | typeof describe.skip {
  if (available(binary)) return describe;
  if (process.env.CI === 'true') throw new Error(`${binary} is required in CI (Debian package; see .ci/run)`);
  return describe.skip;
}

describeWith('promtool')('rule files under promtool', () => {
  it('pass `promtool check rules`', () => {
    const output = execFileSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(output).toContain('SUCCESS');
  });

  it('would fail a broken rule (the check is real)', () => {
    const result = spawnSync('promtool', ['check', 'rules', '/dev/stdin'], {
      input: 'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m])\n',
    });
    expect(result.status).not.toBe(0);
  });
});

describeWith('vmalert')('rule files under vmalert', () => {
  it('load in `vmalert -dryRun`', () => {
    const result = spawnSync('vmalert', [`-rule=${RULES}`, '-dryRun'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });
});

describe('metric names in the rules and the dashboard', () => {
  it('are exported by the service or recorded by a rule', () => {
    const expressions = [
      ...rules.groups.flatMap((group) =>
        group.rules.map((rule) => ({ where: rule.record ?? rule.alert, expr: rule.expr })),
      ),
      ...dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })),
      ),
      ...dashboard.templating.list.map((variable) => ({
        where: 'dashboard variable',
        expr: (variable.definition ?? '').replace(/^label_values\(([^,]+),.*$/, '$1'),
      })),
    ];
    expect(expressions.length).toBeGreaterThan(20);
    const unknown = expressions.flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !exported.has(name) && !recorded.has(name))
        .map((name) => `${name} (${where})`),
    );
    expect(unknown).toEqual([]);
  });

  it('cover the RED, pool, protection and business metrics', () => {
    const used = new Set(
      dashboard.panels.flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) => metricNamesIn(target.expr)),
      ),
    );
    for (const name of [
      'http_server_request_duration_seconds_count',
      'http_server_request_duration_seconds_bucket',
      'db_client_connection_count',
      'db_client_connection_pending_requests',
      'db_client_connection_wait_time_seconds_bucket',
      'http_server_rate_limit_rejections_total',
      'http_server_load_shed_rejections_total',
      'profiles_created_total',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('are found by the extraction (a made-up name is reported)', () => {
    expect(metricNamesIn('sum by (x) (rate(made_up_total{a="b"}[5m])) / on(y) other:recorded')).toEqual([
      'made_up_total',
      'other:recorded',
    ]);
  });
});
