import type { ErrorObject } from 'ajv';

/** A JSON schema failure as the field it is about (a JSON pointer, `/from/id`) and what is wrong with it. */
export function describeSchemaError(error: ErrorObject | undefined): { field: string; message: string } {
  if (!error) return { field: '/', message: 'is invalid' };
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: `${error.instancePath}/${missing}`, message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return { field: `${error.instancePath}/${extra}`, message: 'is not allowed' };
  }
  if (error.keyword === 'pattern' && (error.params as { pattern: string }).pattern === '\\S')
    return { field: error.instancePath, message: 'must contain more than white space' };
  return { field: error.instancePath || '/', message: error.message ?? 'is invalid' };
}
