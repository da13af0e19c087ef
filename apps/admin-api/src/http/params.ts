import { UUID, ValidationFailed } from '@app/admin';
import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/** Route ids are UUIDs: anything else is a 400 naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata?: ArgumentMetadata): string {
    if (typeof value !== 'string' || !UUID.test(value))
      throw new ValidationFailed([{ field: metadata?.data ?? 'id', message: 'expected a UUID' }]);
    return value.toLowerCase();
  }
}
