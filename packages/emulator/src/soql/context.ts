import type { OrgData, StoredRecord, StoredValue } from '../schema/types.js';
import { caretMessage, SoqlError, unsupportedTypeText } from './errors.js';
import type { SoqlOptions } from './options.js';
import { type SchemaIndex, schemaIndex } from './schema-index.js';
import type { SourceText } from './source.js';

/** Everything one statement's compilation shares: the org, the options, the text for error positions. */
export class Engine {
  readonly data: OrgData;
  readonly options: SoqlOptions;
  readonly now: Date;
  readonly src: SourceText;
  readonly userId: string;
  readonly #subqueryStarts: number[];
  #nextSubquery = 0;

  constructor(data: OrgData, options: SoqlOptions, src: SourceText) {
    this.data = data;
    this.options = options;
    this.now = options.now ?? new Date();
    this.src = src;
    this.userId = options.userId ?? data.userId;
    this.#subqueryStarts = src.subqueryStarts();
  }

  /**
   * Where the next `(SELECT ...)` starts in the text. Subqueries are compiled in source order (select
   * list first, then WHERE, depth first), so handing them out in order maps each to its own text.
   */
  nextSubqueryStart(): number {
    const start = this.#subqueryStarts[this.#nextSubquery] ?? 0;
    this.#nextSubquery++;
    return start;
  }

  /** A SoqlError in the caret form, pointing at `offset`. */
  errorAt(errorCode: string, offset: number, text: string): SoqlError {
    return new SoqlError(errorCode, caretMessage(this.src.text, offset, text));
  }

  /** The schema of an object named in FROM, or INVALID_TYPE pointing at the name. */
  objectIndex(name: string, scopeStart: number): SchemaIndex {
    const schema = this.data.object(name);
    if (schema === undefined || !schema.queryable) {
      const at = this.src.findKeyword('from', scopeStart, scopeStart) ?? scopeStart;
      throw this.errorAt('INVALID_TYPE', this.src.findPath(name, at), unsupportedTypeText(name));
    }
    return schemaIndex(schema);
  }

  /** A record's parent through a reference field, with the parent's schema (chosen by id prefix). */
  parent(
    record: StoredRecord,
    referenceField: string,
    targets: readonly SchemaIndex[],
  ): { readonly record: StoredRecord; readonly index: SchemaIndex } | null {
    const id = record[referenceField];
    if (typeof id !== 'string' || id === '') return null;
    const parent = this.data.byId(id);
    if (parent === undefined) return null;
    if (targets.length === 1) return { record: parent, index: targets[0] as SchemaIndex };
    const prefix = id.slice(0, 3);
    const index = targets.find((target) => target.schema.keyPrefix === prefix);
    return index === undefined ? null : { record: parent, index };
  }
}

/** A stored value, `undefined` (a field the record never had) read as `null`. */
export function storedValue(record: StoredRecord, field: string): StoredValue {
  const value = record[field];
  return value === undefined ? null : value;
}
