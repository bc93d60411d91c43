import { defineAdapter, verify } from '@polku/adapter-kit';
import { schoolCallbackSchema } from './callback-schema';
import { deliverToSchool } from './client';
import { configureWebhook, EDUCATION_SCHOOL, webhookSettings, type WebhookSystem } from './config';
import type { SchoolCallback } from './school-api';
import { toCallbackAction } from './to-event';

/**
 * An adapter for a system speaking this package's signed-webhook API (README.md): the school
 * system here, and any other system that takes the same webhook (e.g. `ngo.webhook`).
 */
export const signedWebhookAdapter = (system: WebhookSystem) => defineAdapter({
  id: system.id,
  settings: webhookSettings(system),
  configure: (values) => configureWebhook(system, values),
  serves: (party, config) => config.organisations.has(party.organisationId),
  deliver: (delivery, { config, signal }) => deliverToSchool(config, delivery, signal),
  callbacks: (config) => ({
    bodySchema: schoolCallbackSchema,
    verify: (request) => verify({ secret: config.secret, body: request.rawBody, headers: request.headers, now: request.receivedAt }),
    toAction: (body: SchoolCallback) => toCallbackAction(body),
  }),
});

/** A municipal school's student-welfare system (oppilashuolto), reached over HTTP. */
export const educationSchool = signedWebhookAdapter(EDUCATION_SCHOOL);

export { schoolSettings, webhookSettings, EDUCATION_SCHOOL, type SchoolConfig, type WebhookSystem } from './config';
export type { SchoolCallback, SchoolReceipt, SchoolReferral } from './school-api';
export { toSchoolReferral } from './from-event';
export { toCallbackAction } from './to-event';
