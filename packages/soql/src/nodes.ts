/**
 * The SOQL node tree: a closed discriminated union (on `kind`) that the builder produces and
 * `compileSoql` consumes. Nodes are plain frozen data, so a tree can be built by hand, stored,
 * compared or compiled again. The compiler validates every identifier and literal in the tree, so a
 * hand-built node cannot smuggle text past the checks the builder applies.
 */

/** A field or relationship path such as `Name` or `Account.Owner.Name`. */
export interface FieldNode {
  readonly kind: 'field';
  readonly path: string;
}

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

/** `COUNT()`, `COUNT(Id)`, `SUM(Amount) total`... `field` is absent only for `COUNT()`. */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly fn: AggregateFunction;
  readonly field?: FieldNode;
  readonly alias?: string;
}

/** A child-relationship subquery in the select list: `(SELECT Id FROM Contacts WHERE ...)`. */
export interface SubqueryNode {
  readonly kind: 'subquery';
  readonly relationship: string;
  readonly select: readonly (FieldNode | AggregateNode)[];
  readonly where?: ConditionNode;
  readonly orderBy: readonly OrderByNode[];
  readonly limit?: number;
  readonly offset?: number;
}

export type SelectItemNode = FieldNode | AggregateNode | SubqueryNode;

export interface OrderByNode {
  readonly kind: 'orderBy';
  readonly target: FieldNode | AggregateNode;
  readonly direction: 'ASC' | 'DESC';
  readonly nulls?: 'FIRST' | 'LAST';
}

/** `WITH SECURITY_ENFORCED`, `WITH USER_MODE` or `WITH SYSTEM_MODE`. */
export type AccessClause = 'SECURITY_ENFORCED' | 'USER_MODE' | 'SYSTEM_MODE';

/** `FOR VIEW`, `FOR REFERENCE` or `FOR UPDATE`. */
export type ForClause = 'VIEW' | 'REFERENCE' | 'UPDATE';

export interface QueryNode {
  readonly kind: 'query';
  readonly object: string;
  /** With no field or aggregate in it, `Id` is selected. */
  readonly select: readonly SelectItemNode[];
  readonly scope?: string;
  readonly where?: ConditionNode;
  readonly access?: AccessClause;
  readonly groupBy: readonly FieldNode[];
  readonly having?: ConditionNode;
  readonly orderBy: readonly OrderByNode[];
  readonly limit?: number;
  readonly offset?: number;
  readonly for?: ForClause;
}

// ---- conditions ----

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';
export type SetOperator = 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES';

/** `Name = 'Acme'`, `Amount >= 1000`, `Name LIKE 'A%'`; in HAVING the left side may be an aggregate. */
export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly left: FieldNode | AggregateNode;
  readonly operator: ComparisonOperator;
  readonly value: ValueNode;
}

/** `Id IN ('a', 'b')`, `Tags__c INCLUDES ('x;y')`. `values` is never empty (see `ConstantNode`). */
export interface SetComparisonNode {
  readonly kind: 'set';
  readonly left: FieldNode | AggregateNode;
  readonly operator: SetOperator;
  readonly values: readonly ValueNode[];
}

/** `AccountId IN (SELECT AccountId FROM Opportunity WHERE ...)`. */
export interface SemiJoinNode {
  readonly kind: 'semiJoin';
  readonly left: FieldNode;
  readonly operator: 'IN' | 'NOT IN';
  readonly query: QueryNode;
}

export interface AndNode {
  readonly kind: 'and';
  readonly conditions: readonly ConditionNode[];
}

export interface OrNode {
  readonly kind: 'or';
  readonly conditions: readonly ConditionNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly condition: ConditionNode;
}

/**
 * A condition with a fixed answer, produced by empty lists: `$in: []` matches no row and compiles to
 * `Id = null` (every record has an Id); `$nin: []` matches every row and compiles to `Id != null`.
 * Only valid in WHERE clauses.
 */
export interface ConstantNode {
  readonly kind: 'constant';
  readonly matches: 'none' | 'all';
}

export type ConditionNode =
  | ComparisonNode
  | SetComparisonNode
  | SemiJoinNode
  | AndNode
  | OrNode
  | NotNode
  | ConstantNode;

// ---- values ----

export interface StringNode {
  readonly kind: 'string';
  readonly value: string;
}

/**
 * A LIKE pattern whose `text` is matched literally (its `%` and `_` are escaped), optionally with a
 * `%` wildcard before and/or after it: `SoqlLike.contains('50%')` compiles to `'%50\%%'`.
 */
export interface LikePatternNode {
  readonly kind: 'likePattern';
  readonly text: string;
  readonly anyBefore: boolean;
  readonly anyAfter: boolean;
}

export interface NumberNode {
  readonly kind: 'number';
  readonly value: number;
}

export interface BooleanNode {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface NullNode {
  readonly kind: 'null';
}

/** A date-only literal, `YYYY-MM-DD`. */
export interface DateNode {
  readonly kind: 'date';
  readonly value: string;
}

/** A dateTime literal: `YYYY-MM-DDThh:mm:ssZ` or with a `+hh:mm` / `-hh:mm` offset. */
export interface DateTimeNode {
  readonly kind: 'dateTime';
  readonly value: string;
}

/** A relative date literal (`TODAY`, `THIS_FISCAL_QUARTER`) or a parameterised one (`LAST_N_DAYS:10`). */
export interface DateLiteralNode {
  readonly kind: 'dateLiteral';
  readonly name: string;
  readonly n?: number;
}

export type ValueNode =
  | StringNode
  | LikePatternNode
  | NumberNode
  | BooleanNode
  | NullNode
  | DateNode
  | DateTimeNode
  | DateLiteralNode;

/** Every node kind: the closed union `compileSoql` understands. */
export type SoqlNode = QueryNode | SelectItemNode | OrderByNode | ConditionNode | ValueNode;
