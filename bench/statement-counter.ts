// Loaded into the benchmarked server with `--import` (bench/run.ts, MariaDB/MySQL only): counts
// the SQL statements the server sends through mysql2 and answers the count on 127.0.0.1 at
// BENCH_COUNTER_PORT, so the bench can report round trips per request of this server alone, even
// when other clients share the database server. Nothing in src/ knows about it.
import { createServer } from 'node:http';
import mysql from 'mysql2';

let statements = 0;
const connection = mysql.Connection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const method of ['query', 'execute']) {
  const original = connection[method];
  connection[method] = function counted(this: unknown, ...args: unknown[]) {
    statements++;
    return original.apply(this, args);
  };
}
createServer((_request, response) => response.end(String(statements))).listen(
  Number(process.env.BENCH_COUNTER_PORT),
  '127.0.0.1',
);
