import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDockerfile, runtimeStage } from './dockerfile-rules.ts';

const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const dockerignore = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8');

function problemsWith(replace: [string | RegExp, string][], ignore = dockerignore): string[] {
  let text = dockerfile;
  for (const [from, to] of replace) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`the Dockerfile no longer contains ${String(from)}`);
    text = next;
  }
  return checkDockerfile(text, ignore);
}

describe('Dockerfile rules', () => {
  it('holds for the service Dockerfile and .dockerignore', () => {
    expect(checkDockerfile(dockerfile, dockerignore)).toEqual([]);
  });

  it('wants a multi-stage build', () => {
    const single = [
      'FROM node:24.1.0-slim',
      'COPY . .',
      'RUN npm ci --omit=dev',
      'USER node',
      'HEALTHCHECK CMD ["node", "-e", "1"]',
      'CMD ["node", "dist/src/main.js"]',
    ].join('\n');
    expect(checkDockerfile(single, dockerignore)).toEqual([
      'multi-stage: the runtime stage must COPY --from= a build stage',
    ]);
  });

  it('wants the base image pinned to an exact Node.js 24 version or a digest', () => {
    expect(problemsWith([[/FROM node:24\.\d+\.\d+-bookworm-slim/, 'FROM node:24-slim']])).toEqual([
      'base image node:24-slim: pin it by exact version (node:24.x.y-...) or by digest',
    ]);
    expect(problemsWith([[/FROM node:24\.\d+\.\d+-bookworm-slim/, 'FROM node:latest']])[0]).toMatch(/pin it/);
    expect(problemsWith([[/FROM node:24\.\d+\.\d+-bookworm-slim/, 'FROM node:22.1.0-slim']])).toEqual([
      'base image node:22.1.0-slim: use Node.js 24 LTS',
    ]);
    expect(
      problemsWith([[/FROM node:24\.\d+\.\d+-bookworm-slim/, `FROM node@sha256:${'a'.repeat(64)}`]]),
    ).toEqual([]);
  });

  it('wants a non-root user', () => {
    expect(problemsWith([['USER node', 'USER root']])).toEqual([
      'non-root: the runtime stage must end with USER <non-root user>',
    ]);
    expect(problemsWith([['USER node', '']])[0]).toMatch(/^non-root/);
  });

  it('wants a HEALTHCHECK unless the base is distroless', () => {
    expect(problemsWith([[/HEALTHCHECK[^\n]*\\\n[^\n]*\n/, '']])).toEqual([
      'health: the runtime stage needs a HEALTHCHECK (distroless images: documented probes)',
    ]);
  });

  it('wants production dependencies only', () => {
    expect(problemsWith([['npm install --omit=dev', 'npm install']])).toEqual([
      'production dependencies only: node_modules must come from an `npm install --omit=dev` stage',
    ]);
    expect(
      problemsWith([['--from=production-dependencies /app/node_modules', '--from=build /app/node_modules']]),
    ).toEqual([
      'production dependencies only: node_modules must come from an `npm install --omit=dev` stage',
    ]);
  });

  it('wants node to get the signals: exec form, no npm, SIGTERM', () => {
    const cmd = /^CMD .*$/m;
    expect(problemsWith([[cmd, 'CMD ["npm", "run", "start:prod"]']])).toEqual([
      'signals: the container must run node directly (or under tini), not npm',
    ]);
    expect(problemsWith([[cmd, 'CMD node dist/src/main.js']])).toEqual([
      'signals: CMD and ENTRYPOINT must use the exec form ["node", ...]',
    ]);
    expect(problemsWith([[cmd, 'ENTRYPOINT ["tini", "--"]\nCMD ["node", "dist/src/main.js"]']])).toEqual([]);
    expect(problemsWith([['STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGKILL']])).toEqual([
      'signals: STOPSIGNAL must be SIGTERM, the signal the service shuts down on',
    ]);
  });

  it('wants .dockerignore to keep data, secrets, dependencies and tests out', () => {
    const ignore = dockerignore.replace(/^\.env$/m, '').replace(/^node_modules$/m, '');
    expect(checkDockerfile(dockerfile, ignore)).toEqual([
      '.dockerignore must exclude .env',
      '.dockerignore must exclude node_modules',
    ]);
  });

  it('reads the runtime stage for the production smoke', () => {
    const { copies, command } = runtimeStage(dockerfile);
    expect(command).toEqual([
      'node',
      '--max-semi-space-size=16',
      '--max-old-space-size=256',
      '--import',
      './dist/src/telemetry/register.js',
      'dist/src/main.js',
    ]);
    expect(copies).toContainEqual({ from: 'build', sources: ['/app/dist'], destination: './dist' });
    expect(copies).toContainEqual({ from: undefined, sources: ['migrations'], destination: './migrations' });
  });
});
