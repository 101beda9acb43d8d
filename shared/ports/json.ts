/** A JSON value: what stores persist as is, so they need not know the domain's types. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
