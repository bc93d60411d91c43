import { signedWebhookAdapter, type WebhookSystem } from '@polku/adapter-education-school';

/** An NGO's signed webhook receiver: the same signed-webhook API as the school system (see README.md). */
export const NGO_WEBHOOK: WebhookSystem = {
  id: 'ngo.webhook',
  prefix: 'POLKU_NGO_WEBHOOK',
  defaultUrl: 'http://127.0.0.1:8091',
  defaultOrganisations: 'mll-keski-suomi,keski-suomen-setlementti,keski-suomen-nuorisotuki',
};

export const ngoWebhook = signedWebhookAdapter(NGO_WEBHOOK);
