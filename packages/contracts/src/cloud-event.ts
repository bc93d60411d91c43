/** A Polku event on the wire: CloudEvents 1.0 structured JSON (schemas/envelope/cloudevent.v1.json). */
export interface CloudEvent<T = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  dataschema: string;
  data: T;
  correlationid?: string;
  causationid?: string;
  traceparent?: string;
  legalbasis?: string;
  consentid?: string;
}
