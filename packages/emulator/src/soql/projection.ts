import type { FieldType, FieldTypeOf, Subquery } from '@jetstreamapp/soql-parser-js';
import type { FieldSchema, StoredRecord, StoredValue } from '../schema/types.js';
import type { Engine } from './context.js';
import { unsupportedTypeText } from './errors.js';
import { type FieldRef, fieldGetter, type ParentHop, QueryScope, writtenPath } from './paths.js';
import type { Column, RenderContext } from './result-set.js';
import type { SchemaIndex } from './schema-index.js';

/**
 * The SELECT list of a record query compiled into a render tree: plain fields, nested parent objects
 * (each with its own `attributes`, or null for an empty lookup), TYPEOF branches and child subqueries.
 * Keys come out in SELECT order with `attributes` first, names in their canonical case.
 */
export interface Projection {
  render(record: StoredRecord, ctx: RenderContext): Record<string, unknown>;
  readonly columns: readonly Column<StoredRecord>[];
  /** FIELDS(ALL) or FIELDS(CUSTOM) was used: the query must say LIMIT 200 or less. */
  readonly unbounded: boolean;
}

/** A child subquery as the projection uses it: its key and the nested query result for one parent. */
export interface ChildRenderer {
  readonly key: string;
  render(parent: StoredRecord, ctx: RenderContext): unknown;
}

type Getter = (record: StoredRecord, index: SchemaIndex) => StoredValue;

type RenderNode =
  | { readonly kind: 'value'; readonly key: string; readonly get: Getter }
  | {
      readonly kind: 'parent';
      readonly key: string;
      readonly hop: ParentHop;
      readonly children: RenderNode[];
    }
  | {
      readonly kind: 'typeof';
      readonly key: string;
      readonly hop: ParentHop;
      readonly branches: ReadonlyMap<SchemaIndex, RenderNode[]>;
    }
  | { readonly kind: 'child'; readonly key: string; readonly child: ChildRenderer };

export function compileProjection(
  scope: QueryScope,
  fields: readonly FieldType[],
  compileChild: (subquery: Subquery) => ChildRenderer,
): Projection {
  const engine = scope.engine;
  const roots: RenderNode[] = [];
  const columns: Column<StoredRecord>[] = [];
  const selected = new Set<string>();
  let unbounded = false;

  const addRef = (ref: FieldRef, key = ref.name): void => {
    // A field selected twice is an error; an aliased FORMAT(x) next to x is not.
    const id = key === ref.name ? ref.path.toLowerCase() : `alias:${key.toLowerCase()}`;
    if (selected.has(id))
      throw scope.errorAt(ref.raw, 'INVALID_FIELD', `duplicate field selected: ${ref.raw}`);
    selected.add(id);
    if (!addValue(roots, ref, key)) {
      throw scope.errorAt(ref.raw, 'INVALID_FIELD', `duplicate field selected: ${ref.raw}`);
    }
    columns.push({ name: ref.path, get: ref.get });
  };

  for (const field of fields) {
    switch (field.type) {
      case 'Field':
      case 'FieldRelationship': {
        const raw = writtenPath(field);
        const alias = 'alias' in field ? field.alias : undefined;
        if (alias !== undefined) {
          // The parser accepts `SELECT Name n FROM Account`; Salesforce allows aliases only in aggregate queries.
          const at = engine.src.findPath(alias, engine.src.findPath(raw, scope.start) + 1);
          throw engine.errorAt('MALFORMED_QUERY', at, 'Only aggregate expressions use field aliasing');
        }
        addRef(scope.resolveField(raw));
        break;
      }
      case 'FieldFunctionExpression': {
        const name = field.functionName.toUpperCase();
        if (name === 'FIELDS') {
          const group = String(field.parameters[0] ?? '').toUpperCase();
          if (group !== 'STANDARD') unbounded = true;
          for (const schemaField of fieldsGroup(scope.index, group))
            addRef(scope.resolveField(schemaField.name));
          break;
        }
        // toLabel(), FORMAT() and convertCurrency() return the field's value under its own name (or alias):
        // the emulator has one currency, one locale and picklist labels equal to values.
        const [parameter] = field.parameters;
        if (typeof parameter !== 'string' || !['TOLABEL', 'FORMAT', 'CONVERTCURRENCY'].includes(name)) {
          throw engine.errorAt(
            'MALFORMED_QUERY',
            engine.src.findPath(name, scope.start),
            `unexpected token: '${field.rawValue ?? name}'`,
          );
        }
        const ref = scope.resolveField(parameter);
        addRef(ref, field.alias ?? ref.name);
        break;
      }
      case 'FieldSubquery': {
        const child = compileChild(field.subquery);
        roots.push({ kind: 'child', key: child.key, child });
        break;
      }
      case 'FieldTypeof': {
        const node = compileTypeOf(scope, field, columns);
        if (roots.some((root) => root.key === node.key)) {
          throw scope.errorAt(field.field, 'INVALID_FIELD', `duplicate field selected: ${field.field}`);
        }
        roots.push(node);
        break;
      }
    }
  }

  const base = `/services/data/v${engine.options.apiVersion}/sobjects/`;
  const renderNodes = (
    record: StoredRecord,
    index: SchemaIndex,
    nodes: readonly RenderNode[],
    ctx: RenderContext,
  ): Record<string, unknown> => {
    const type = index.schema.name;
    const out: Record<string, unknown> = { attributes: { type, url: `${base}${type}/${String(record.Id)}` } };
    for (const node of nodes) {
      switch (node.kind) {
        case 'value':
          out[node.key] = node.get(record, index);
          break;
        case 'parent': {
          const parent = engine.parent(record, node.hop.referenceField, node.hop.targets);
          out[node.key] =
            parent === null ? null : renderNodes(parent.record, parent.index, node.children, ctx);
          break;
        }
        case 'typeof': {
          const parent = engine.parent(record, node.hop.referenceField, node.hop.targets);
          out[node.key] =
            parent === null
              ? null
              : renderNodes(parent.record, parent.index, node.branches.get(parent.index) ?? [], ctx);
          break;
        }
        case 'child':
          out[node.key] = node.child.render(record, ctx);
          break;
      }
    }
    return out;
  };

  const index = scope.index;
  return {
    render: (record, ctx) => renderNodes(record, index, roots, ctx),
    columns,
    unbounded,
  };
}

/**
 * Files a resolved path under its parent objects in the render tree; false when its key is already
 * taken by something else (a TYPEOF of the same relationship, a field and a relationship of one name).
 */
function addValue(roots: RenderNode[], ref: FieldRef, key: string): boolean {
  let level = roots;
  for (const hop of ref.hops) {
    const existing = level.find((candidate) => candidate.key === hop.relationshipName);
    if (existing !== undefined && existing.kind !== 'parent') return false;
    let node = existing;
    if (node === undefined) {
      node = { kind: 'parent', key: hop.relationshipName, hop, children: [] };
      level.push(node);
    }
    level = node.children;
  }
  if (level.some((candidate) => candidate.key === key)) return false;
  level.push({ kind: 'value', key, get: finalGetter(ref) });
  return true;
}

/** Reads the path's last field from the record that owns it (the root, or the last parent). */
function finalGetter(ref: FieldRef): Getter {
  const last = ref.hops[ref.hops.length - 1];
  if (last === undefined) return (record) => ref.get(record);
  const byTarget = new Map<SchemaIndex, (record: StoredRecord) => StoredValue>();
  for (const target of last.targets) {
    const own = target.field(ref.name);
    if (ref.name === 'Type' && last.targets.length > 1) byTarget.set(target, () => target.schema.name);
    else if (own !== undefined) byTarget.set(target, fieldGetter(target, own));
  }
  return (record, index) => byTarget.get(index)?.(record) ?? null;
}

function fieldsGroup(index: SchemaIndex, group: string): readonly FieldSchema[] {
  const all = index.schema.fields;
  if (group === 'CUSTOM') return all.filter((field) => field.custom);
  if (group === 'STANDARD') return all.filter((field) => !field.custom);
  return all;
}

/** `TYPEOF What WHEN Account THEN Phone, Name ... ELSE Name END`: fields chosen by the parent's type. */
function compileTypeOf(scope: QueryScope, typeOf: FieldTypeOf, columns: Column<StoredRecord>[]): RenderNode {
  const engine: Engine = scope.engine;
  const hops = scope.resolveRelationship(typeOf.field);
  const hop = hops[hops.length - 1];
  if (hop === undefined || hops.length !== 1) {
    throw scope.errorAt(typeOf.field, 'MALFORMED_QUERY', `unexpected token: '${typeOf.field}'`);
  }
  const branches = new Map<SchemaIndex, RenderNode[]>();
  const columnGetters = new Map<string, Map<SchemaIndex, Getter>>();
  const addBranch = (target: SchemaIndex, fieldList: readonly string[], strict: boolean): void => {
    const nodes: RenderNode[] = [];
    const targetScope = new QueryScope(engine, target, scope.start);
    for (const name of fieldList) {
      let ref: FieldRef;
      try {
        ref = targetScope.resolveField(name);
      } catch (error) {
        if (strict) throw error;
        continue;
      }
      if (!addValue(nodes, ref, ref.name)) {
        throw scope.errorAt(name, 'INVALID_FIELD', `duplicate field selected: ${name}`);
      }
      const byTarget = columnGetters.get(ref.path) ?? new Map<SchemaIndex, Getter>();
      byTarget.set(target, (record) => ref.get(record));
      columnGetters.set(ref.path, byTarget);
    }
    branches.set(target, nodes);
  };
  for (const condition of typeOf.conditions) {
    if (condition.type !== 'WHEN') continue;
    const target = hop.targets.find(
      (candidate) => candidate.schema.name.toLowerCase() === condition.objectType?.toLowerCase(),
    );
    if (target === undefined) {
      const name = condition.objectType ?? '';
      throw scope.errorAt(name, 'INVALID_TYPE', unsupportedTypeText(name));
    }
    addBranch(target, condition.fieldList, true);
  }
  const fallback = typeOf.conditions.find((condition) => condition.type === 'ELSE');
  if (fallback !== undefined) {
    for (const target of hop.targets) if (!branches.has(target)) addBranch(target, fallback.fieldList, false);
  }
  for (const [path, byTarget] of columnGetters) {
    columns.push({
      name: `${hop.relationshipName}.${path}`,
      get: (record) => {
        const parent = engine.parent(record, hop.referenceField, hop.targets);
        return parent === null ? null : (byTarget.get(parent.index)?.(parent.record, parent.index) ?? null);
      },
    });
  }
  return { kind: 'typeof', key: hop.relationshipName, hop, branches };
}
