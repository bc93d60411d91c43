/** One person the stand-in knows. */
export interface StandInPerson {
  username: string;
  name: string;
  /** As the wellbeing area's directory holds them; the console maps them to its roles. */
  groups: string[];
  /** Whether they sign in with a one-time code as well as the password. */
  mfa: boolean;
}

/** Every stand-in person's password. Synthetic, like the people. */
export const DEMO_PASSWORD = 'demo';
/** The stand-in's one-time code, always the same. */
export const ONE_TIME_CODE = '123456';

/** The demo's people: an operator on call, an auditor, and an operator whose sign-in has no second factor. */
export const DEMO_PEOPLE: StandInPerson[] = [
  { username: 'paivystaja', name: 'Päivi Päivystäjä', groups: ['polku-operators'], mfa: true },
  { username: 'tarkastaja', name: 'Tarmo Tarkastaja', groups: ['polku-auditors'], mfa: true },
  { username: 'ilman-mfa', name: 'Ilkka Ilman', groups: ['polku-operators'], mfa: false },
  { username: 'ulkopuolinen', name: 'Ulla Ulkopuolinen', groups: ['hr-staff'], mfa: true },
];
