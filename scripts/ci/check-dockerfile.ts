// `tsx scripts/ci/check-dockerfile.ts`: lints Dockerfile and .dockerignore (see dockerfile-rules.ts);
// `--runtime` prints the runtime stage's copies and command as JSON for the production smoke.
import { readFileSync } from 'node:fs';
import { checkDockerfile, runtimeStage } from './dockerfile-rules.ts';

const dockerfile = readFileSync('Dockerfile', 'utf8');
if (process.argv.includes('--runtime')) {
  process.stdout.write(`${JSON.stringify(runtimeStage(dockerfile))}\n`);
} else {
  const problems = checkDockerfile(dockerfile, readFileSync('.dockerignore', 'utf8'));
  for (const problem of problems) process.stderr.write(`Dockerfile: ${problem}\n`);
  if (problems.length > 0) process.exit(1);
  process.stdout.write('Dockerfile and .dockerignore follow the rules\n');
}
