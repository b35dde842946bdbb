/**
 * Compile-time checking for typed queries. Given a record schema (`interface Account { Id: string;
 * Owner: User; Contacts: Contact[] }`), field paths, operators and values are checked and result rows
 * narrow to what was selected. The schema conventions:
 * - scalar fields are `string`, `number`, `boolean` or `Date` (string literal unions for picklists);
 * - a parent relationship is a property whose type is another record interface (`Owner: User`);
 * - a child relationship is an array of records (`Contacts: Contact[]`);
 * - a multi-select picklist is `MultiPicklist` (it enables `$includes` / `$excludes`).
 *
 * Paths are checked lazily: each path a query names is walked through the schema, segment by
 * segment, instead of enumerating every path of the schema up front. Real schemas (dozens of lookups
 * per object, objects that refer to each other) have millions of paths a few levels deep; walking only
 * the written ones keeps type-checking cost proportional to the query, not to the schema.
 *
 * Untyped use (`from('Account')`, no schema) accepts any field name and returns `UntypedRecord`s.
 */
import type { SoqlDateValue } from './date-literals.js';
import type { AggregateFunction, LikePatternNode, QueryNode } from './nodes.js';

declare const multiPicklistBrand: unique symbol;

/**
 * A multi-select picklist field in a record schema: a `;`-separated string on the wire, typed so that
 * `$includes` / `$excludes` are offered for it. `V` documents the allowed values.
 */
export type MultiPicklist<V extends string = string> = string & { readonly [multiPicklistBrand]: V };

/** The record type of an untyped query: any field, unknown values. */
export interface UntypedRecord {
  [field: string]: unknown;
}

type IsUntyped<T> = string extends keyof T ? true : false;

type Scalar = string | number | boolean | bigint | Date;

/** How many parent relationships a typed field path may follow; Salesforce allows five. */
export type MaxRelationshipHops = 5;
type FewerHops = [never, 0, 1, 2, 3, 4];

/** A property type that is a parent relationship: a record, not a scalar and not a child list. */
type IsParent<V> = [V] extends [Scalar]
  ? false
  : [V] extends [readonly unknown[]]
    ? false
    : [V] extends [object]
      ? true
      : false;
type IsChildList<V> = [V] extends [readonly (infer C)[]] ? ([C] extends [Scalar] ? false : true) : false;

type PathType<T, P extends string, Hops extends number> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? [Hops] extends [0]
      ? never
      : IsParent<NonNullable<T[Head]>> extends true
        ? PathType<NonNullable<T[Head]>, Rest, FewerHops[Hops]>
        : never
    : never
  : P extends keyof T
    ? IsParent<NonNullable<T[P]>> extends true
      ? never
      : IsChildList<NonNullable<T[P]>> extends true
        ? never
        : T[P]
    : never;

/**
 * The declared type of field path `P` on `T` (`FieldType<Account, 'Owner.Name'>` is `string`), or
 * `never` when `P` is not a field path of `T`. `unknown` for untyped records.
 */
export type FieldType<T, P extends string> =
  IsUntyped<T> extends true ? unknown : PathType<T, P, MaxRelationshipHops>;

/** Shown in type errors for a path the schema does not have. */
export interface UnknownField<P> {
  readonly 'unknown field': P;
}

/** `T`'s own scalar fields (no relationship paths). */
export type DirectField<T> = {
  [K in keyof T & string]-?: IsParent<NonNullable<T[K]>> extends true
    ? never
    : IsChildList<NonNullable<T[K]>> extends true
      ? never
      : K;
}[keyof T & string];

/** `T`'s parent relationships (`Owner`, `Account`...). */
export type ParentRelationshipName<T> = {
  [K in keyof T & string]-?: IsParent<NonNullable<T[K]>> extends true ? K : never;
}[keyof T & string];

/** The names of `T`'s child relationships (array-typed properties); any string for untyped records. */
export type ChildRelationshipName<T> =
  IsUntyped<T> extends true
    ? string
    : { [K in keyof T & string]-?: IsChildList<NonNullable<T[K]>> extends true ? K : never }[keyof T &
        string];

/** The record type of child relationship `K` of `T`. */
export type ChildRecord<T, K> =
  IsUntyped<T> extends true
    ? UntypedRecord
    : K extends keyof T
      ? NonNullable<T[K]> extends readonly (infer C extends object)[]
        ? C
        : never
      : never;

// ---- values and operators ----

/** Values any untyped field accepts. */
export type SoqlValue = string | number | boolean | null | Date | SoqlDateValue;

type MultiPicklistLike = { readonly [multiPicklistBrand]: string };

/** The values a field of (non-null) type `V` accepts. String fields take dates too (date fields often are strings). */
type ValueFor<V> = [V] extends [MultiPicklistLike]
  ? string
  : [V] extends [string]
    ? string extends V
      ? string | Date | SoqlDateValue
      : V
    : [V] extends [number]
      ? number
      : [V] extends [boolean]
        ? boolean
        : [V] extends [Date]
          ? Date | SoqlDateValue
          : SoqlValue;

/** A query whose single selected field feeds `$in` / `$nin` (a semi-join). */
export interface SemiJoinQuery {
  toNode(): QueryNode;
}

interface EqualityOperators<X> {
  $eq?: X | null | undefined;
  $ne?: X | null | undefined;
  $in?: readonly (X | null)[] | SemiJoinQuery | undefined;
  $nin?: readonly (X | null)[] | SemiJoinQuery | undefined;
  /** `true`: the field is not null; `false`: it is null. */
  $exists?: boolean | undefined;
}

interface RangeOperators<X> {
  $gt?: X | undefined;
  $gte?: X | undefined;
  $lt?: X | undefined;
  $lte?: X | undefined;
}

interface LikeOperators {
  /** A raw LIKE pattern (`%` and `_` are wildcards) or a `SoqlLike` pattern. */
  $like?: string | LikePatternNode | undefined;
  $nlike?: string | LikePatternNode | undefined;
}

interface MultiPicklistOperators {
  $includes?: readonly string[] | undefined;
  $excludes?: readonly string[] | undefined;
}

interface NotOperator<O> {
  $not?: O | undefined;
}

type StringOperators<X> = EqualityOperators<X> &
  RangeOperators<X> &
  LikeOperators &
  NotOperator<StringOperators<X>>;
type OrderedOperators<X> = EqualityOperators<X> & RangeOperators<X> & NotOperator<OrderedOperators<X>>;
type BooleanOperators = EqualityOperators<boolean> & NotOperator<BooleanOperators>;
type PicklistOperators = EqualityOperators<string> & MultiPicklistOperators & NotOperator<PicklistOperators>;
type AnyOperators = EqualityOperators<SoqlValue> &
  RangeOperators<SoqlValue> &
  LikeOperators &
  MultiPicklistOperators &
  NotOperator<AnyOperators>;

type OperatorsFor<V> = [V] extends [MultiPicklistLike]
  ? PicklistOperators
  : [V] extends [string]
    ? StringOperators<ValueFor<V>>
    : [V] extends [number]
      ? OrderedOperators<number>
      : [V] extends [Date]
        ? OrderedOperators<ValueFor<V>>
        : [V] extends [boolean]
          ? BooleanOperators
          : AnyOperators;

/**
 * What a field accepts in a conditions object: a value (equality), an array (`IN`), or an operators
 * object. Operators are the ones that make sense for the field's type: `$like` on strings,
 * `$includes` on multi-select picklists, ranges on strings, numbers and dates.
 */
export type FieldCondition<Declared> =
  | ValueFor<NonNullable<Declared>>
  | null
  | readonly (ValueFor<NonNullable<Declared>> | null)[]
  | OperatorsFor<NonNullable<Declared>>;

interface LogicalConditions<C> {
  $and?: readonly C[] | undefined;
  $or?: readonly C[] | undefined;
  $not?: C | undefined;
}

/** Conditions on an untyped record: any field name, any operator. */
export interface UntypedConditions extends LogicalConditions<UntypedConditions> {
  [field: string]: FieldCondition<unknown> | readonly UntypedConditions[] | UntypedConditions | undefined;
}

type DirectFieldConditions<T> = { [K in DirectField<T>]?: FieldCondition<T[K]> | undefined };
type RelationshipPathConditions<T> = {
  [P in `${ParentRelationshipName<T>}.${string}`]?: FieldCondition<unknown> | undefined;
};

/**
 * A conditions object for records of `T` as a plain type, for annotating variables and for the
 * operands of `$and` / `$or` / `$not`: direct fields are checked with their operators and values;
 * relationship paths only by their first segment. `where()` checks its own argument strictly.
 */
export type Conditions<T> =
  IsUntyped<T> extends true
    ? UntypedConditions
    : DirectFieldConditions<T> & RelationshipPathConditions<T> & LogicalConditions<Conditions<T>>;

// A key that is not a literal (a `string` or `Owner.${string}` key of a variable typed `Conditions<T>`)
// cannot be walked; it is accepted as it is.
type IsLiteral<P extends string> = Record<never, never> extends Record<P, 1> ? false : true;

type ConditionAt<T, P extends string> =
  IsLiteral<P> extends false
    ? FieldCondition<unknown> | undefined
    : [FieldType<T, P>] extends [never]
      ? UnknownField<P>
      : FieldCondition<FieldType<T, P>> | undefined;

/**
 * The strict form `where()` and `find()` check their argument with: every key of the conditions
 * literal `C` is walked through the schema, and its value checked against the field's type.
 */
export type CheckedConditions<T, C> =
  IsUntyped<T> extends true
    ? UntypedConditions
    : {
        [K in keyof C]: K extends '$and' | '$or'
          ? readonly Conditions<T>[] | undefined
          : K extends '$not'
            ? Conditions<T> | undefined
            : ConditionAt<T, K & string>;
      };

/** Aggregate function names as accepted in strings (`SUM(Amount)` or `sum(Amount)`). */
export type AggregateFunctionName = AggregateFunction | Lowercase<AggregateFunction>;

/** An aggregate call without alias: `COUNT()`, `SUM(Amount)`. */
export type AggregateCall = `${AggregateFunctionName}(${string})`;

/** An aggregate selection, optionally aliased: `SUM(Amount) total`. */
export type AggregateExpression = AggregateCall | `${AggregateCall} ${string}`;

/** HAVING conditions as a plain type: grouped fields and aggregate calls (`{ 'SUM(Amount)': { $gt: 1000 } }`). */
export type HavingConditions<T> =
  IsUntyped<T> extends true
    ? UntypedConditions
    : DirectFieldConditions<T> &
        RelationshipPathConditions<T> & {
          [K in AggregateCall]?: FieldCondition<number> | undefined;
        } & LogicalConditions<HavingConditions<T>>;

/** An aggregate call whose argument is not a field of `T` (`never` when it is fine). */
type BadAggregate<T, I extends string> = I extends `${AggregateFunctionName}(${infer Inner})${string}`
  ? Trim<Inner> extends ''
    ? never
    : [FieldType<T, Trim<Inner>>] extends [never]
      ? I
      : never
  : never;

/** The items of a list that name no field of `T`. Non-literal strings cannot be checked and pass. */
type UnknownItems<T, I extends string> = I extends AggregatePattern
  ? BadAggregate<T, I>
  : IsLiteral<I> extends false
    ? never
    : [FieldType<T, I>] extends [never]
      ? I
      : never;

/** The strict form `having()` checks its argument with. */
export type CheckedHaving<T, C> =
  IsUntyped<T> extends true
    ? UntypedConditions
    : {
        [K in keyof C]: K extends '$and' | '$or'
          ? readonly HavingConditions<T>[] | undefined
          : K extends '$not'
            ? HavingConditions<T> | undefined
            : K extends AggregatePattern
              ? [BadAggregate<T, K & string>] extends [never]
                ? FieldCondition<number> | undefined
                : UnknownField<K>
              : ConditionAt<T, K & string>;
      };

// ---- select, sort, group ----

// `string & Record<never, never>` keeps editor completion of the direct fields while accepting any
// string; each string is then checked by walking it through the schema.
type FieldSuggestion<T> = DirectField<T> | (string & Record<never, never>);

/** One entry of a select list: a field path or an aggregate expression (`'SUM(Amount) total'`). */
export type SelectItem<T> = FieldSuggestion<T> | AggregateExpression;

/** A select list: an array of items, a comma-separated string, or a projection object `{ Id: 1 }`. */
export type SelectInput<T> =
  | readonly SelectItem<T>[]
  | string
  | { readonly [item: string]: 1 | true | undefined };

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;

type SplitList<S extends string> = S extends `${infer A},${infer B}` ? Trim<A> | SplitList<B> : Trim<S>;

/** The items a select input names. */
export type SelectedItems<F> = F extends readonly (infer I extends string)[]
  ? I
  : F extends string
    ? Exclude<SplitList<F>, ''>
    : F extends object
      ? keyof F & string
      : never;

/** Shown in type errors for list entries the schema does not have. */
export interface UnknownFields<P> {
  readonly 'unknown fields': P;
}

type Checked<T, Items extends string> =
  IsUntyped<T> extends true
    ? unknown
    : [UnknownItems<T, Items>] extends [never]
      ? unknown
      : UnknownFields<UnknownItems<T, Items>>;

/** `unknown` (no constraint) when every selected item exists on `T`, else a type naming the unknown ones. */
export type ValidSelect<T, F> = Checked<T, SelectedItems<F>>;

type DirectionWord = 'asc' | 'desc' | 'ascending' | 'descending';

/** A sort direction: `1`/`-1` or a word, lower or upper case. */
export type SortDirection = 1 | -1 | DirectionWord | Uppercase<DirectionWord>;
export type NullsPlacement = 'first' | 'last' | 'FIRST' | 'LAST';

/** A sort spec: `'-CreatedDate Name'`, `{ CreatedDate: -1 }` or `[['CreatedDate', 'desc', 'last']]`. */
export type SortInput<T> =
  | string
  | { readonly [key: string]: SortDirection | undefined }
  | readonly (
      | FieldSuggestion<T>
      | readonly [FieldSuggestion<T>, SortDirection]
      | readonly [FieldSuggestion<T>, SortDirection, NullsPlacement]
    )[];

export interface SortOptions {
  /** `NULLS FIRST` / `NULLS LAST` for every field of this `sort()` call that sets none. */
  nulls?: NullsPlacement | undefined;
}

type Words<S extends string> = S extends `${infer A} ${infer B}`
  ? Words<A> | Words<B>
  : S extends `${infer A},${infer B}`
    ? Words<A> | Words<B>
    : S;

type SortWordField<W extends string> = W extends `-${infer F}` | `+${infer F}`
  ? F
  : Lowercase<W> extends DirectionWord | ''
    ? never
    : W;

type SortedKeys<X> = X extends string
  ? SortWordField<Words<X>>
  : X extends readonly (infer E)[]
    ? E extends string
      ? SortWordField<Words<E>>
      : E extends readonly [infer K extends string, ...unknown[]]
        ? K
        : never
    : X extends object
      ? keyof X & string
      : never;

/** `unknown` when every sort key exists on `T`, else a type naming the unknown ones. */
export type ValidSort<T, X> = Checked<T, SortedKeys<X>>;

/** GROUP BY: a field path, a comma-separated list or an array of paths. */
export type GroupByInput<T> = FieldSuggestion<T> | readonly FieldSuggestion<T>[];

/** `unknown` when every GROUP BY field exists on `T`, else a type naming the unknown ones. */
export type ValidGroupBy<T, G> = Checked<T, G extends string ? Exclude<SplitList<G>, ''> : SelectedItems<G>>;

/** Options of a child subquery (`include`). */
export interface IncludeOptions<C> {
  sort?: SortInput<C> | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Known `USING SCOPE` values; any identifier is accepted. */
export type SoqlScope =
  | 'delegated'
  | 'everything'
  | 'mine'
  | 'mine_and_my_groups'
  | 'my_territory'
  | 'my_team_territory'
  | 'team'
  | (string & Record<never, never>);

// ---- result rows ----

/** What a query has selected so far, tracked in the builder's second type parameter. */
export interface Selection {
  /** Selected field paths. */
  fields: string;
  /** Selected aggregate expressions. */
  aggregates: string;
  /** Included child relationships, as the row properties they add. */
  children: unknown;
}

export interface EmptySelection {
  fields: never;
  aggregates: never;
  children: unknown;
}

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
type Rest<P extends string, K extends string> = P extends `${K}.${infer R}` ? R : never;

type PickPaths<T, P extends string> = PickKeys<T, Extract<keyof T, Head<P>>, P>;

type PickKeys<T, K extends keyof T, P extends string> = {
  [Q in K]: Q extends P ? T[Q] : Related<T[Q], Rest<P, Q & string>>;
};

// A parent relationship keeps the schema's nullability: `Owner: User | null` gives `{...} | null`.
type Related<V, P extends string> = [V] extends [NonNullable<V>]
  ? PickPaths<V, P>
  : PickPaths<NonNullable<V>, P> | Exclude<V, NonNullable<V>>;

/** The value of an aggregate column: a number, or a string for MIN/MAX of dates and text. */
export type AggregateValue = number | string | null;

type AggregateColumns<A extends string> = [A] extends [never]
  ? unknown
  : { [I in A as I extends `${string}) ${infer Alias}` ? Trim<Alias> : never]: AggregateValue } & ([
      Exclude<A, `${string}) ${string}`>,
    ] extends [never]
      ? unknown
      : { [column: `expr${number}`]: AggregateValue });

type FieldColumns<T, S extends Selection> = [S['fields']] extends [never]
  ? [S['aggregates']] extends [never]
    ? PickPaths<T, 'Id'>
    : unknown
  : PickPaths<T, S['fields']>;

type Simplify<X> = { [K in keyof X]: X[K] };

/**
 * The shape of one result row: the selected fields (nested for relationship paths), aggregate
 * columns by alias (`exprN` otherwise) and included child relationships. No `select` means `Id`.
 */
export type QueryRow<T, S extends Selection> =
  IsUntyped<T> extends true
    ? UntypedRecord
    : Simplify<FieldColumns<T, S> & AggregateColumns<S['aggregates']> & S['children']>;

/** A child subquery's result inside a row: a nested query result, or `null` when there are no children. */
export interface ChildQueryResult<R> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: R[];
}

type AggregatePattern = `${string}(${string}`;

export type AddSelect<S extends Selection, F> = [F] extends [never]
  ? S
  : {
      fields: S['fields'] | Exclude<SelectedItems<F>, AggregatePattern>;
      aggregates: S['aggregates'] | Extract<SelectedItems<F>, AggregatePattern>;
      children: S['children'];
    };

export type AddChild<S extends Selection, K extends string, R> = {
  fields: S['fields'];
  aggregates: S['aggregates'];
  children: S['children'] & { [P in K]: ChildQueryResult<R> | null };
};
