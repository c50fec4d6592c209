// The Marketo analyst views as Glue (Athena) views: `<activities>_named`, `<prefix>_merged_leads` and
// `<leads>_current`, each carrying the SQL text the local DuckDB views run (lambdas/providers/
// marketo-views.ts). A view depends on the tables it reads, so it is created after them.
import { Fn, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct, type IDependable } from 'constructs';
import { ATHENA_TYPE_OF, VIEW_TYPE_OF } from '#curated/curated-column';
import { marketoViewsOf, type AnalystView } from '#providers/marketo-views';
import type { ExportDefinition } from '#shared/export-definition';

export interface AnalystViewsProps {
  readonly database: glue.IDatabase;
  readonly exports: readonly ExportDefinition[];
  /** The tables the views read (created first). */
  readonly tables: readonly IDependable[];
}

export class AnalystViews extends Construct {
  public readonly views: readonly glue.CfnTable[];

  constructor(scope: Construct, id: string, props: AnalystViewsProps) {
    super(scope, id);
    this.views = marketoViewsOf(props.exports).map((view) => {
      const table = this.addView(props, view);
      for (const dependency of props.tables) table.node.addDependency(dependency);
      return table;
    });
  }

  // As the latest views: an Athena view is a VIRTUAL_VIEW table whose original text carries the SQL
  // and column types as base64 JSON (Fn::Base64 at deploy time, when the database name is known).
  private addView(props: AnalystViewsProps, view: AnalystView): glue.CfnTable {
    const stack = Stack.of(this);
    const trinoView = stack.toJsonString({
      originalSql: view.sql,
      catalog: 'awsdatacatalog',
      schema: props.database.databaseName,
      columns: view.columns.map((c) => ({ name: c.name, type: VIEW_TYPE_OF[c.type] })),
    });
    return new glue.CfnTable(this, `View-${view.name}`, {
      catalogId: stack.account,
      databaseName: props.database.databaseName,
      tableInput: {
        name: view.name,
        description: view.description,
        tableType: 'VIRTUAL_VIEW',
        parameters: { presto_view: 'true', comment: 'Presto View' },
        viewOriginalText: Fn.join('', ['/* Presto View: ', Fn.base64(trinoView), ' */']),
        viewExpandedText: '/* Presto View */',
        storageDescriptor: { columns: view.columns.map((c) => ({ name: c.name, type: ATHENA_TYPE_OF[c.type] })) },
      },
    });
  }
}
