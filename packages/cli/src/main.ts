import { parseArgs } from 'node:util';
import { createDevContext, mintDevToken, preparePlatform, runPipeline, stackCommand } from '@vigil/dev-stack';
import { dlqCommand } from './commands/dlq.ts';
import { outboxCommand } from './commands/outbox.ts';
import { statusCommand } from './commands/status.ts';
import { rulesCommand } from './commands/rules.ts';
import { sendCommand, sendUsage } from './commands/send.ts';
import { endpointUsage } from './endpoints.ts';
import { createLocalCliContext } from './local-defaults.ts';

const usage = `usage: vigil <command>

  run                                   start the stack, all services and a demo feed (Ctrl-C stops)
  stack up|down|status                  the local stack: Kafka, Apicurio, OpenSearch (+ Postgres, Redis checks)
  prepare                               stack up plus dev identity provider, migrations, topics, schemas, templates
  token --tenant T --role R [--ttl S]   print a development JWT (roles: sensor, analyst, engineer, admin)
  dlq list|show|replay ...              inspect and replay dead letters (admin token: --token or VIGIL_TOKEN)
  status                                each stage: lag, stuck partitions, DLQ count, outbox rows, restarts
  outbox list|retry ...                 dead correlation outbox rows: list them, put them back in line (admin token)
  rules list|show|import|export|enable|disable|history|diff|simulate
                                        Sigma rules of a tenant (--tenant T locally, or --url/--token)
  ${sendUsage}
                                        post alert files (JSON or NDJSON) through the gateway; summary of accepted/rejected

run, stack, prepare and token work on the local development stack (packages/dev-stack);
the other commands are operator commands and can be pointed at any deployment:
${endpointUsage}
`;

const log = (line: string) => console.log(line);

async function main(argv: string[]): Promise<number> {
  // The dev context is only a description of paths and ports; nothing starts until a command asks.
  const dev = createDevContext(process.env);
  const ctx = createLocalCliContext(process.env);
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      await runPipeline(dev, log);
      return 0;
    case 'stack':
      return stackCommand(dev, rest[0], log);
    case 'prepare':
      await preparePlatform(dev, log);
      return 0;
    case 'token': {
      const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, role: { type: 'string' }, ttl: { type: 'string' } } });
      if (!values.tenant || !values.role) {
        console.error(usage);
        return 2;
      }
      console.log(await mintDevToken(dev, { tenant: values.tenant, role: values.role, ttl: values.ttl }));
      return 0;
    }
    case 'dlq':
      return dlqCommand(ctx, rest, process.env['VIGIL_TOKEN'], log);
    case 'status':
      return statusCommand(ctx, rest, log);
    case 'outbox':
      return outboxCommand(ctx, rest, process.env['VIGIL_TOKEN'], log);
    case 'rules':
      return rulesCommand(ctx, rest, process.env['VIGIL_TOKEN'], log);
    case 'send':
      return sendCommand(ctx, rest, process.env['VIGIL_TOKEN'], log);
    default:
      console.error(usage);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`vigil: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
