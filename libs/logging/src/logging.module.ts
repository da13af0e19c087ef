import type { AppConfig } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { buildLoggerOptions } from './logger-options';
import { httpSerializers } from './http-serializers';

@Module({})
export class LoggingModule {
  static forRoot(service: string, config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...buildLoggerOptions(service, config.logLevel),
            genReqId: (req) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
            // Health probes every few seconds would drown the useful lines.
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
            serializers: httpSerializers,
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
