// `npm run docs:new-module`: puts the transcript scripts/ci/scaffold-check.sh recorded (its
// TRANSCRIPT file) into docs/extending.md, between the new-module transcript markers.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const DOCUMENT = fileURLToPath(new URL('../../docs/extending.md', import.meta.url));
const BEGIN = '<!-- new-module transcript: begin -->';
const END = '<!-- new-module transcript: end -->';

const [transcriptFile] = process.argv.slice(2);
if (transcriptFile === undefined) {
  console.error('usage: tsx scripts/new-module/write-transcript.ts <transcript file>');
  process.exit(2);
}
const transcript = (await readFile(transcriptFile, 'utf8')).trimEnd();
const document = await readFile(DOCUMENT, 'utf8');
const begin = document.indexOf(BEGIN);
const end = document.indexOf(END);
if (begin === -1 || end < begin) {
  console.error(`docs/extending.md has no ${BEGIN} ... ${END} section`);
  process.exit(1);
}
const block = `${BEGIN}\n\n\`\`\`console\n${transcript}\n\`\`\`\n\n${END}`;
await writeFile(DOCUMENT, document.slice(0, begin) + block + document.slice(end + END.length));
console.log('wrote the new-module transcript into docs/extending.md');
