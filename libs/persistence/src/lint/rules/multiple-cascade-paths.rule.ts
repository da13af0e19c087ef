import type { EntityMetadata } from 'typeorm';
import type { SchemaLintProblem } from '../schema-lint-problem';

// SQL Server counts every referential action except NO ACTION/RESTRICT as a cascade path.
const CASCADING = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT']);

interface Edge {
  /** The referencing (child) table, which holds the foreign key. */
  to: string;
  child: EntityMetadata;
  columns: string;
}

type Action = 'DELETE' | 'UPDATE';

function cascadeGraph(metadatas: EntityMetadata[], action: Action): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const child of metadatas) {
    for (const fk of child.foreignKeys) {
      const referential = action === 'DELETE' ? fk.onDelete : fk.onUpdate;
      if (!referential || !CASCADING.has(referential.toUpperCase())) continue;
      const from = fk.referencedEntityMetadata.tablePath;
      const edges = graph.get(from) ?? [];
      edges.push({ to: child.tablePath, child, columns: fk.columnNames.join(', ') });
      graph.set(from, edges);
    }
  }
  return graph;
}

const step = (edge: Edge): string => `${edge.to}(${edge.columns})`;

/**
 * SQL Server rejects a foreign key whose cascading action would reach a table by a second path
 * or close a cycle ("may cause cycles or multiple cascade paths"), which PostgreSQL accepts.
 * Walks the cascade graph from every table; a table reached twice is not expanded again.
 */
export function multipleCascadePaths(metadatas: EntityMetadata[]): SchemaLintProblem[] {
  const problems: SchemaLintProblem[] = [];
  const reported = new Set<string>();
  const report = (key: string, entity: EntityMetadata, message: string): void => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ rule: 'multiple-cascade-paths', entity: entity.name, message });
  };
  const fix = (action: Action) =>
    `make one of these foreign keys ON ${action} NO ACTION (and ${action === 'DELETE' ? 'delete' : 'update'} ` +
    `those rows in code), or drop the redundant foreign key.`;

  for (const action of ['DELETE', 'UPDATE'] as const) {
    const graph = cascadeGraph(metadatas, action);
    for (const start of graph.keys()) {
      const firstPath = new Map<string, string[]>();
      const visit = (table: string, path: string[], tables: string[]): void => {
        for (const edge of graph.get(table) ?? []) {
          const next = [...path, step(edge)];
          if (tables.includes(edge.to)) {
            const cycle = [...tables.slice(tables.indexOf(edge.to)), edge.to];
            report(
              `${action} cycle ${[...new Set(cycle)].sort().join(',')}`,
              edge.child,
              `ON ${action} cascading foreign keys form a cycle through table ${edge.to}: ${next.join(' → ')}. ` +
                `SQL Server rejects cycles of cascading actions: ${fix(action)}`,
            );
            continue;
          }
          const seen = firstPath.get(edge.to);
          if (seen) {
            report(
              `${action} ${start}->${edge.to}`,
              edge.child,
              `table ${edge.to} is reached from table ${start} by more than one ON ${action} cascade path: ` +
                `${seen.join(' → ')} and ${next.join(' → ')}. SQL Server rejects multiple cascade paths: ${fix(action)}`,
            );
            continue;
          }
          firstPath.set(edge.to, next);
          visit(edge.to, next, [...tables, edge.to]);
        }
      };
      visit(start, [start], [start]);
    }
  }
  return problems;
}
