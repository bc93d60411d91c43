import { defineAdapter, verify } from '@polku/adapter-kit';
import { schoolCallbackSchema } from './callback-schema';
import { postReferral } from './client';
import { configureSchool, schoolSettings } from './config';
import { toSchoolReferral } from './from-event';
import type { SchoolCallback } from './school-api';
import { toCallbackAction } from './to-event';

/** A municipal school's student-welfare system (oppilashuolto), reached over HTTP. */
export const educationSchool = defineAdapter({
  id: 'education.school',
  settings: schoolSettings,
  configure: configureSchool,
  serves: (party, config) => config.organisations.has(party.organisationId),
  deliver: (delivery, { config, signal }) => postReferral(config, toSchoolReferral(delivery), signal),
  callbacks: (config) => ({
    bodySchema: schoolCallbackSchema,
    verify: (request) => verify({ secret: config.secret, body: request.rawBody, headers: request.headers, now: request.receivedAt }),
    toAction: (body: SchoolCallback) => toCallbackAction(body),
  }),
});

export { schoolSettings, type SchoolConfig } from './config';
export type { SchoolCallback, SchoolReceipt, SchoolReferral } from './school-api';
export { toSchoolReferral } from './from-event';
export { toCallbackAction } from './to-event';
