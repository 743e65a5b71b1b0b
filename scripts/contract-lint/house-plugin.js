// The house rules of the contract lint (redocly.yaml): what every API document in oapi/ must follow
// beyond the built-in rules. Plain JavaScript: the linter loads it as it is. Each rule is tested on a
// document that breaks it (test/contract-lint.test.ts).
import { BoundedInputs } from './bounded-inputs.js';
import { OperationScopes } from './operation-scopes.js';
import { problemResponses } from './problem-responses.js';
import { PropertyDescriptions } from './property-descriptions.js';

/** @param {{ contentDir: string }} plugin the linter passes the folder of redocly.yaml */
export default function housePlugin(plugin) {
  return {
    id: 'house',
    rules: {
      oas3: {
        'operation-scopes': OperationScopes,
        'problem-responses': problemResponses(plugin),
        'bounded-inputs': BoundedInputs,
        'property-descriptions': PropertyDescriptions,
      },
    },
  };
}
