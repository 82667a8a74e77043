import type { z } from 'zod';
import { api, formError } from './api';

/** What a form's fields say: the setting to send, or the fields a person must fix first. */
export type Parsed<T> = { value: T; errors: Record<string, string> };

/**
 * A clinic setting edited in a form: loaded from `path`, shown in the units people think in
 * (`toForm`), checked and turned back into the setting (`fromForm`), and saved, with the server's
 * refusals kept per field for the form to show beside each one.
 */
export class SettingsForm<T, F> {
  form = $state<F | null>(null);
  fields = $state<Record<string, string>>({});
  message = $state('');
  saved = $state(false);

  constructor(
    private readonly path: string,
    private readonly schema: z.ZodType<T>,
    private readonly defaults: T,
    private readonly toForm: (value: T) => F,
    private readonly fromForm: (form: F) => Parsed<T>,
  ) {}

  /** Loads the setting; until the server answers the form is not shown. */
  async load(): Promise<void> {
    this.form = this.toForm(await api('GET', this.path, this.schema));
  }

  readonly save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (!this.form) return;
    this.message = '';
    this.saved = false;
    const { value, errors } = this.fromForm(this.form);
    this.fields = errors;
    if (Object.keys(errors).length > 0) return;
    try {
      this.form = this.toForm(await api('PUT', this.path, this.schema, value));
      this.saved = true;
    } catch (e) {
      ({ fields: this.fields, message: this.message } = formError(e));
    }
  };

  readonly restoreDefaults = (): void => {
    this.form = this.toForm(this.defaults);
    this.fields = {};
    this.message = '';
    this.saved = false;
  };
}
