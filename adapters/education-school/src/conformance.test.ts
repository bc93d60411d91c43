import { randomBytes } from 'node:crypto';
import { runConformance } from '@polku/adapter-kit/conformance';
import { startStub } from '../stub/index';
import { educationSchool } from './index';

runConformance({
  name: educationSchool.id,
  stub: () => startStub({ secret: randomBytes(32) }),
  adapter: (stub, { timeoutMs, referralApiUrl, apiKey }) =>
    educationSchool.bind({
      POLKU_EDUCATION_SCHOOL_URL: stub.url,
      POLKU_EDUCATION_SCHOOL_SECRET: stub.secret,
      POLKU_EDUCATION_SCHOOL_ORGANISATIONS: ['jyvaskyla-education'],
      POLKU_EDUCATION_SCHOOL_TIMEOUT_MS: timeoutMs,
      POLKU_EDUCATION_SCHOOL_KEYS: [`jyvaskyla-education=${apiKey}`],
      POLKU_REFERRAL_API_URL: referralApiUrl,
    }),
  served: { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' },
  notServed: { organisationId: 'mll-keski-suomi', serviceId: 'mll-family-support' },
});
