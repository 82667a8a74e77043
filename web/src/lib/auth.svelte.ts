import { z } from 'zod';
import { api } from './api';

const meView = z.object({ signedIn: z.boolean(), name: z.string().optional(), role: z.string().optional() });
type Me = z.infer<typeof meView>;

/**
 * Who this browser is signed in as. The layout asks before it shows any page, so that a signed-out
 * browser goes to sign-in before a page calls the API or opens the live feed, which the server
 * would refuse (and the console would log).
 */
class Auth {
  /** null: not asked since the browser was last on the sign-in page. */
  me = $state.raw<Me | null>(null);

  async check(): Promise<Me> {
    this.me = await api('GET', '/api/auth/me', meView);
    return this.me;
  }

  /** On the sign-in page: whoever signs in next is asked about afresh. */
  forget(): void {
    this.me = null;
  }
}

export const auth = new Auth();
