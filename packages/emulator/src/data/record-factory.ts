import type { ObjectDef } from '../schema/field.js';
import type { StoredValue } from '../schema/types.js';

type Blank = () => Record<string, StoredValue>;

const factories = new WeakMap<ObjectDef, Blank>();

/**
 * A function returning a record with every field of the object set to null, in describe order.
 *
 * Why generated code: an object literal with all keys gets one hidden class with in-object properties,
 * whereas adding sixty keys one by one (`record[name] = value`) turns the object into a slow dictionary,
 * which made a million generated records ten times slower and half again as large. Keys come from the
 * schema and are embedded as JSON string literals, so no name can escape the literal.
 */
export function blankRecord(def: ObjectDef): Blank {
  let factory = factories.get(def);
  if (factory === undefined) {
    const body = def.fields.map((field) => `${JSON.stringify(field.name)}: null`).join(', ');
    factory = new Function(`return function blankRecord() { return { ${body} }; };`)() as Blank;
    factories.set(def, factory);
  }
  return factory;
}
