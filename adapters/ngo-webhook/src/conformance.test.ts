import { randomBytes } from 'node:crypto';
import { runConformance } from '@polku/adapter-kit/conformance';
import { startStub } from '@polku/adapter-education-school/stub';
import { ngoWebhook } from './index';

runConformance({
  name: ngoWebhook.id,
  stub: () => startStub({ secret: randomBytes(32) }),
  adapter: (stub, { timeoutMs, referralApiUrl, apiKey }) =>
    ngoWebhook.bind({
      POLKU_NGO_WEBHOOK_URL: stub.url,
      POLKU_NGO_WEBHOOK_SECRET: stub.secret,
      POLKU_NGO_WEBHOOK_ORGANISATIONS: ['keski-suomen-nuorisotuki'],
      POLKU_NGO_WEBHOOK_TIMEOUT_MS: timeoutMs,
      POLKU_NGO_WEBHOOK_KEYS: [`keski-suomen-nuorisotuki=${apiKey}`],
      POLKU_REFERRAL_API_URL: referralApiUrl,
    }),
  served: { organisationId: 'keski-suomen-nuorisotuki', sector: 'ngo' },
  notServed: { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' },
});
