// The `exceptions` option of the house rules: operations a rule skips, named the way the built-in
// `security-defined` names them (`{ path: /oauth/token, methods: [post] }`; no methods: every method).
// redocly.yaml justifies each one next to it.

/**
 * @param {{ exceptions?: { path: string; methods?: string[] }[] }} options
 * @param {string} path the path template
 * @param {string} method the lower-case method
 */
export function isException(options, path, method) {
  return (options.exceptions ?? []).some(
    (exception) =>
      exception.path === path &&
      (!exception.methods || exception.methods.some((listed) => listed.toLowerCase() === method)),
  );
}
