import { Ajv, type Options } from 'ajv';
import ajvFormats from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the plugin at run time, but typed as
// the module namespace.
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;

/** ajv 8 in strict mode with ajv-formats, as the route table's schemas must satisfy it. */
export function strictAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ strict: true, ...options });
  addFormats(ajv);
  return ajv;
}
