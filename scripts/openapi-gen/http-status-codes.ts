/**
 * The status codes registered with IANA (RFC 9110 and friends), by class. A `4XX` or `default` response
 * stands for the registered codes not declared on their own, which keeps a handler's status a finite,
 * checkable union instead of `number`.
 */
export const STATUS_CLASSES: readonly { readonly typeName: string; readonly codes: readonly number[] }[] = [
  { typeName: 'InformationalStatusCode', codes: [100, 101, 102, 103] },
  { typeName: 'SuccessStatusCode', codes: [200, 201, 202, 203, 204, 205, 206, 207, 208, 226] },
  { typeName: 'RedirectionStatusCode', codes: [300, 301, 302, 303, 304, 305, 307, 308] },
  {
    typeName: 'ClientErrorStatusCode',
    codes: [
      400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422,
      423, 424, 425, 426, 428, 429, 431, 451,
    ],
  },
  { typeName: 'ServerErrorStatusCode', codes: [500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511] },
];

export const ALL_STATUS_CODES_TYPE = 'HttpStatusCode';

export const REGISTERED_STATUS_CODES: readonly number[] = STATUS_CLASSES.flatMap((c) => c.codes);
