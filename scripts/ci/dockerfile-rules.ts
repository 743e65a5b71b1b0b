// The rules the service's Dockerfile and .dockerignore must follow, checked on the parsed file
// (dockerfile-ast) since no container engine builds it here. Also reads the runtime stage's copy list
// and command, which the production smoke reproduces outside a container.
import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';

export interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

export interface RuntimeCopy {
  /** A build stage's name, or undefined for the build context. */
  from: string | undefined;
  sources: string[];
  destination: string;
}

const EXACT_VERSION_TAG = /^\d+\.\d+\.\d+(?:-[a-z0-9.-]+)?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const NODE_LTS_MAJOR = 24;
const PRODUCTION_INSTALL = /\bnpm (ci|install|i)\b[^&;|]*--omit=dev/;
/** What must never reach the build context: local data, secrets, installed dependencies, tests. */
export const REQUIRED_IGNORES = ['.data', '.env', 'node_modules', 'test'] as const;

/** The stages in order, each with its own instructions (FROM included). */
export function parseStages(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image = '', as, name] = instruction.getArguments().map((argument) => argument.getValue());
      stages.push({
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        image,
        instructions: [instruction],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The words of an instruction in exec (JSON) form, or undefined for the shell form. */
function execForm(instruction: Instruction): string[] | undefined {
  const raw = instruction.getArgumentsContent()?.trim() ?? '';
  if (!raw.startsWith('[')) return undefined;
  try {
    const words: unknown = JSON.parse(raw);
    return Array.isArray(words) && words.every((word) => typeof word === 'string') ? words : undefined;
  } catch {
    return undefined;
  }
}

function words(instruction: Instruction): string[] {
  return instruction.getArguments().map((argument) => argument.getValue());
}

/** A COPY's --from= stage, if any. */
function copyFrom(instruction: Instruction): string | undefined {
  return instruction instanceof Copy ? (instruction.getFromFlag()?.getValue() ?? undefined) : undefined;
}

function of(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

/** Follows FROM <stage> references down to the external image a stage is built on. */
function baseImage(stages: Stage[], stage: Stage): string {
  const seen = new Set<Stage>();
  let current: Stage | undefined = stage;
  let image = stage.image;
  while (current && !seen.has(current)) {
    seen.add(current);
    image = current.image;
    current = stages.find((candidate) => candidate.name !== undefined && candidate.name === image);
  }
  return image;
}

function checkPinned(image: string, problems: string[]): void {
  const [nameAndTag = '', digest] = image.split('@');
  const colon = nameAndTag.lastIndexOf(':');
  const name = colon > nameAndTag.lastIndexOf('/') ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = colon > nameAndTag.lastIndexOf('/') ? nameAndTag.slice(colon + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest)) problems.push(`base image ${image}: malformed digest`);
  if (digest === undefined && (tag === undefined || !EXACT_VERSION_TAG.test(tag))) {
    problems.push(`base image ${image}: pin it by exact version (node:24.x.y-...) or by digest`);
  }
  if (/(^|\/)node$/.test(name) && tag !== undefined) {
    const major = Number(/^\d+/.exec(tag)?.[0]);
    if (major !== NODE_LTS_MAJOR) problems.push(`base image ${image}: use Node.js ${NODE_LTS_MAJOR} LTS`);
  }
}

/** Every rule broken, as sentences; empty when the files follow them all. */
export function checkDockerfile(dockerfile: string, dockerignore: string): string[] {
  const problems: string[] = [];
  const stages = parseStages(dockerfile);
  const runtime = stages.at(-1);
  if (!runtime) return ['no FROM instruction'];
  const stageNames = new Set(stages.map((stage) => stage.name).filter((name) => name !== undefined));

  // Multi-stage: the runtime stage copies its build output from another stage.
  const runtimeCopies = of(runtime, 'COPY');
  const copiesFromStages = runtimeCopies.some((copy) => stageNames.has(copyFrom(copy) ?? ''));
  if (stages.length < 2 || !copiesFromStages) {
    problems.push('multi-stage: the runtime stage must COPY --from= a build stage');
  }

  for (const stage of stages) {
    if (!stageNames.has(stage.image) && stage.image !== 'scratch') checkPinned(stage.image, problems);
  }

  // Non-root: the last USER of the runtime stage names someone other than root.
  const user = of(runtime, 'USER').at(-1);
  const userName = user ? (words(user)[0] ?? '').split(':')[0] : undefined;
  if (userName === undefined || userName === 'root' || userName === '0') {
    problems.push('non-root: the runtime stage must end with USER <non-root user>');
  }

  const distroless = baseImage(stages, runtime).includes('distroless');
  if (of(runtime, 'HEALTHCHECK').length === 0 && !distroless) {
    problems.push('health: the runtime stage needs a HEALTHCHECK (distroless images: documented probes)');
  }
  for (const check of of(runtime, 'HEALTHCHECK')) {
    if ((words(check)[0] ?? '').toUpperCase() === 'NONE') problems.push('health: HEALTHCHECK NONE');
  }

  // Production dependencies only: no install with dev dependencies in the runtime stage, and its
  // node_modules come from a stage that installed with --omit=dev.
  for (const run of of(runtime, 'RUN')) {
    const text = run.getArgumentsContent() ?? '';
    if (/\bnpm (ci|install|i)\b/.test(text) && !/--omit=dev|--production/.test(text)) {
      problems.push('production dependencies only: npm install/ci in the runtime stage lacks --omit=dev');
    }
  }
  const modulesCopy = runtimeCopies.find((copy) => words(copy).some((word) => word.includes('node_modules')));
  if (modulesCopy) {
    const fromStage = copyFrom(modulesCopy);
    const source = stages.find((stage) => stage.name === fromStage);
    const omitsDev = source
      ? of(source, 'RUN').some((run) => PRODUCTION_INSTALL.test(run.getArgumentsContent() ?? ''))
      : false;
    if (!omitsDev) {
      problems.push(
        'production dependencies only: node_modules must come from an `npm install --omit=dev` stage',
      );
    }
  } else if (!of(runtime, 'RUN').some((run) => /--omit=dev/.test(run.getArgumentsContent() ?? ''))) {
    problems.push('production dependencies only: the runtime stage gets no production node_modules');
  }

  // Signals: SIGTERM reaches Node as PID 1 (or through tini/dumb-init), never through npm or a shell.
  const entrypoint = of(runtime, 'ENTRYPOINT').at(-1);
  const cmd = of(runtime, 'CMD').at(-1);
  const command = [...(entrypoint ? (execForm(entrypoint) ?? ['<shell form>']) : [])];
  if (cmd) command.push(...(execForm(cmd) ?? ['<shell form>']));
  const program = ['tini', 'dumb-init', '/usr/bin/tini', '/usr/bin/dumb-init', '/sbin/tini'].includes(
    command[0] ?? '',
  )
    ? command.find((word, index) => index > 0 && !word.startsWith('-'))
    : command[0];
  if (command.includes('<shell form>')) {
    problems.push('signals: CMD and ENTRYPOINT must use the exec form ["node", ...]');
  } else if (program !== 'node') {
    problems.push(
      `signals: the container must run node directly (or under tini), not ${program ?? 'nothing'}`,
    );
  }
  const stopSignal = of(runtime, 'STOPSIGNAL').at(-1);
  if (stopSignal && !['SIGTERM', '15'].includes(words(stopSignal)[0] ?? '')) {
    problems.push('signals: STOPSIGNAL must be SIGTERM, the signal the service shuts down on');
  }

  const ignored = new Set(
    dockerignore
      .split('\n')
      .map((line) => line.trim().replace(/^\/+|\/+$/g, ''))
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  for (const entry of REQUIRED_IGNORES) {
    if (!ignored.has(entry)) problems.push(`.dockerignore must exclude ${entry}`);
  }
  return problems;
}

/** The runtime stage's COPY instructions and command: what the production smoke reproduces. */
export function runtimeStage(dockerfile: string): { copies: RuntimeCopy[]; command: string[] } {
  const runtime = parseStages(dockerfile).at(-1);
  if (!runtime) throw new Error('no FROM instruction');
  const copies = of(runtime, 'COPY').map((copy) => {
    const paths = words(copy);
    return {
      from: copyFrom(copy),
      sources: paths.slice(0, -1),
      destination: paths.at(-1) ?? '',
    };
  });
  const cmd = of(runtime, 'CMD').at(-1);
  const command = cmd ? execForm(cmd) : undefined;
  if (!command) throw new Error('the runtime stage has no exec-form CMD');
  return { copies, command };
}
