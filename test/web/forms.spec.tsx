/** @jest-environment jsdom */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../apps/web/src/api/client';
import { Field } from '../../apps/web/src/components/field';
import { formFieldFor, FormButtons, FormProblem, useApiForm } from '../../apps/web/src/forms/api-form';
import { Link } from '../../apps/web/src/router';
import { renderPage } from './render';

interface GoalsForm {
  title: string;
  goals: Array<{ text: string }>;
}

/** A form as the pages write them: react-hook-form through useApiForm, fields through <Field>. */
function GoalsFormView({ save }: { save: (values: GoalsForm) => Promise<unknown> }) {
  const { form, problem, submit, errorOf } = useApiForm<GoalsForm>({
    defaultValues: { title: 'Plan', goals: [{ text: 'Bostad' }, { text: 'Arbete' }] },
  });
  return (
    <>
      <form onSubmit={submit(save)} noValidate>
        <Field label="Rubrik" error={errorOf('title')}>
          <input {...form.register('title')} />
        </Field>
        {[0, 1].map((i) => (
          <Field key={i} label={`Mål ${i + 1}`} error={errorOf(`goals.${i}.text`)}>
            <input {...form.register(`goals.${i}.text`)} />
          </Field>
        ))}
        <FormProblem problem={problem} />
        <FormButtons busy={form.formState.isSubmitting} />
      </form>
      <Link to="/elsewhere">Annan sida</Link>
    </>
  );
}

describe('forms wired to the API', () => {
  afterEach(() => window.history.pushState(null, '', '/'));

  it('finds the form field an API input path points at, from the longest match', () => {
    const values = { title: 'x', goals: [{ text: 'a' }, { text: 'b' }] };
    expect(formFieldFor('input.goals.1.text', values)).toBe('goals.1.text');
    expect(formFieldFor('input.content.title', values)).toBe('title');
    expect(formFieldFor('input.personId', values)).toBeNull();
  });

  it('puts a refused field’s message next to it and moves focus there, in Swedish', async () => {
    const save = jest
      .fn()
      .mockRejectedValue(
        new ApiError('invalid', 'refused', [
          { field: 'input.goals.1.text', constraint: 'maxLength', params: { max: 200 } },
        ]),
      );
    renderPage(<GoalsFormView save={save} />, {});
    fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
    const second = screen.getByLabelText('Mål 2');
    await waitFor(() => expect(second).toHaveFocus());
    expect(second).toHaveAttribute('aria-invalid', 'true');
    expect(second).toHaveAccessibleDescription('Högst 200 tecken.');
    expect(screen.getByLabelText('Mål 1')).not.toHaveAttribute('aria-invalid');
  });

  it('shows and focuses a refusal that names no field', async () => {
    const save = jest.fn().mockRejectedValue(new ApiError('conflict', 'changed meanwhile'));
    renderPage(<GoalsFormView save={save} />, {});
    fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Någon annan har ändrat');
    expect(alert.parentElement).toHaveFocus();
  });

  it('asks before a link leaves unsaved edits, and stays when the user says no', async () => {
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
    renderPage(<GoalsFormView save={jest.fn().mockResolvedValue({})} />, {}, { path: '/form' });
    fireEvent.click(screen.getByRole('link', { name: 'Annan sida' }));
    expect(confirm).not.toHaveBeenCalled();
    expect(window.location.pathname).toBe('/elsewhere');

    window.history.pushState(null, '', '/form');
    fireEvent.input(screen.getByLabelText('Rubrik'), { target: { value: 'Ny rubrik' } });
    await waitFor(() => expect(screen.getByLabelText('Rubrik')).toHaveValue('Ny rubrik'));
    fireEvent.click(screen.getByRole('link', { name: 'Annan sida' }));
    await waitFor(() =>
      expect(confirm).toHaveBeenCalledWith('Du har ändringar som inte är sparade. Vill du lämna utan att spara?'),
    );
    expect(window.location.pathname).toBe('/form');

    // Saved, the same link leaves without asking.
    confirm.mockClear();
    fireEvent.click(screen.getByRole('button', { name: 'Spara' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Spara' })).not.toBeDisabled());
    await waitFor(() => {
      fireEvent.click(screen.getByRole('link', { name: 'Annan sida' }));
      expect(window.location.pathname).toBe('/elsewhere');
    });
    expect(confirm).not.toHaveBeenCalled();
    confirm.mockRestore();
  });
});
