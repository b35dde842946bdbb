import { from } from '@forcekit/soql';
import { measureOps } from '../measure.js';
import type { MeasureOptions, Scenario, ScenarioResult } from '../scenario.js';

const conditions = {
  Name: { $like: 'A%' },
  Type: { $in: ['Customer', 'Partner'] },
  AnnualRevenue: { $gte: 1000000 },
  $or: [{ BillingCountry: 'US' }, { BillingCountry: 'CA' }],
};
const fields = ['Id', 'Name', 'Owner.Name', 'CreatedDate'];
const sort = '-CreatedDate Name';
const limit = 100;

/** The slice of jsforce's API this scenario uses (loaded lazily, typed here rather than from jsforce). */
interface JsforceQuery {
  sort(spec: string): JsforceQuery;
  limit(count: number): JsforceQuery;
  toSOQL(): Promise<string>;
}
interface JsforceModule {
  Connection: new (
    options: object,
  ) => {
    sobject(name: string): { find(conditions: object, fields: string[]): JsforceQuery };
  };
}

export const soqlCompile: Scenario = {
  name: 'soql-compile',
  description: "Build and compile from('Account').find({...}).sort(...).limit(...) to SOQL text, no network",
  async run(options: MeasureOptions): Promise<ScenarioResult> {
    const forcekit = () => from('Account').find(conditions, fields).sort(sort).limit(limit).toSOQL();

    // A non-literal specifier keeps jsforce's (large) type declarations out of the type-check.
    const specifier = 'jsforce';
    const jsforce = (await import(specifier)) as JsforceModule;
    const connection = new jsforce.Connection({});
    // jsforce builds SOQL through a Query whose toSOQL() is async: it would describe the object when
    // fields contain '*'. With explicit fields it makes no request, so no network is involved.
    const viaJsforce = () =>
      connection.sobject('Account').find(conditions, fields).sort(sort).limit(limit).toSOQL();

    const forcekitSoql = forcekit();
    const jsforceSoql = await viaJsforce();
    const contenders = await measureOps(
      [
        { contender: 'forcekit', operation: forcekit },
        { contender: 'jsforce-3.10.16', operation: viaJsforce },
      ],
      options,
    );
    return {
      contenders,
      notes: [
        `forcekit: ${forcekitSoql}`,
        `jsforce:  ${jsforceSoql}`,
        'forcekit compiles synchronously; jsforce toSOQL() returns a promise, awaited per operation (no network: explicit fields).',
      ],
    };
  },
};
