import { z } from 'zod';
import {
  apiError,
  chairSummary,
  createdChair,
  pairedDevice,
  sessionView,
  type NewSessionBody,
} from '../server/protocol/api.ts';
import { planView, treatmentView, type NewTreatmentBody } from '../server/protocol/plan.ts';
import { ROLES, type Role } from '../server/auth/roles.ts';
import { pinnedFetch } from './pinned-fetch.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const person = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), disabledAt: z.number().nullable() });

/** The few HTTP calls of protocol v1 that provisioning needs, with answers checked against the schemas. */
export class StippleApi {
  readonly #fetch: (url: URL, init: RequestInit) => Promise<Response>;

  constructor(
    private readonly baseUrl: string,
    private readonly adminToken: string,
    /** The clinic CA (PEM) to trust, and nothing else, for an https:// server. */
    ca?: string,
  ) {
    this.#fetch = ca ? pinnedFetch(ca) : fetch;
  }

  chairs = () => this.#call('GET', '/api/chairs', undefined, z.array(chairSummary));
  createChair = (name: string) => this.#call('POST', '/api/chairs', { name }, createdChair);
  pairDevice = (chairId: string, name: string) => this.#call('POST', '/api/devices', { chairId, name }, pairedDevice);
  devices = () => this.#call('GET', '/api/devices', undefined, z.array(z.object({ id: z.string(), chairId: z.string() })));
  startSession = (body: NewSessionBody) => this.#call('POST', '/api/sessions', body, sessionView);
  endSession = (id: string) => this.#call('POST', `/api/sessions/${id}/end`, undefined, sessionView);
  session = (id: string) => this.#call('GET', `/api/sessions/${id}`, undefined, sessionView);
  treatments = (patientRef: string) =>
    this.#call('GET', `/api/treatments?patientRef=${encodeURIComponent(patientRef)}`, undefined, z.array(treatmentView));
  createTreatment = (body: Partial<NewTreatmentBody> & Pick<NewTreatmentBody, 'patientRef' | 'sessions'>) =>
    this.#call('POST', '/api/treatments', body, treatmentView);
  plan = (id: string) => this.#call('GET', `/api/plans/${id}`, undefined, planView);
  people = () => this.#call('GET', '/api/people', undefined, z.array(person));
  addPerson = (body: { name: string; role: Role; secret: string }) => this.#call('POST', '/api/people', body, person);
  disablePerson = (id: string) => this.#call('POST', `/api/people/${id}/disable`, undefined, person);

  async #call<S extends z.ZodType>(method: string, path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const response = await this.#fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json();
    if (!response.ok) {
      const error = apiError.safeParse(json);
      const { code, message } = error.success ? error.data.error : { code: 'unknown', message: response.statusText };
      throw new ApiRequestError(response.status, code, `${method} ${path}: ${response.status} ${message}`);
    }
    return schema.parse(json);
  }
}
