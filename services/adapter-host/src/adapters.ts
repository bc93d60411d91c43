import type { AdapterModule } from '@polku/adapter-kit';
import { educationSchool } from '@polku/adapter-education-school';
import { ngoWebhook } from '@polku/adapter-ngo-webhook';

/** Every adapter the host runs: adding one is a new folder under adapters/ and one line here. */
export const ADAPTERS: readonly AdapterModule[] = [
  educationSchool,
  ngoWebhook,
];
