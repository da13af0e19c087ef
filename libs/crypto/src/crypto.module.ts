import { APP_CONFIG, factoryProvider } from '@app/config';
import { Global, Module } from '@nestjs/common';
import { BlindIndex } from './blind-index';
import { FieldCipher } from './field-cipher';
import { KeyRing } from './key-ring';

/** Field encryption and blind indexes from the configured key ring. */
@Global()
@Module({
  providers: [
    factoryProvider(
      FieldCipher,
      [APP_CONFIG],
      (config) => new FieldCipher(new KeyRing(config.encryption)),
    ),
    factoryProvider(
      BlindIndex,
      [APP_CONFIG],
      (config) => new BlindIndex(new KeyRing(config.encryption)),
    ),
  ],
  exports: [FieldCipher, BlindIndex],
})
export class CryptoModule {}
