/** @jest-environment jsdom */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { LoginPage } from '../../apps/web/src/pages/login-page';
import { renderPage, staff } from './render';

/** The login page asks the API how staff sign in here, and offers that way only. */
describe('login page', () => {
  afterEach(() => window.history.pushState(null, '', '/'));

  it('offers sign-in with the organisation when the API says AUTH_MODE=oidc, and no password form', async () => {
    renderPage(<LoginPage />, { AuthMode: { authMode: 'OIDC' } });
    const link = await screen.findByRole('link', { name: 'Logga in med din organisation' });
    expect(link).toHaveAttribute('href', '/auth/login');
    expect(screen.queryByLabelText('Lösenord')).not.toBeInTheDocument();
  });

  it('says when sign-in through the organisation failed', async () => {
    renderPage(<LoginPage />, { AuthMode: { authMode: 'OIDC' } }, { path: '/?signin=failed' });
    expect(await screen.findByRole('alert')).toHaveTextContent('Inloggningen via din organisation misslyckades');
  });

  it('signs in with a password through signIn (no token in the answer) when the API says AUTH_MODE=local', async () => {
    const { api } = renderPage(<LoginPage />, {
      AuthMode: { authMode: 'LOCAL' },
      SignIn: { signIn: { expiresAt: '2026-12-07T12:00:00Z', staff } },
    });
    fireEvent.change(await screen.findByLabelText('Användarnamn'), { target: { value: ' nurse ' } });
    fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
    await waitFor(() => expect(api.calls.map((c) => c.operation)).toContain('SignIn'));
    expect(api.calls.find((c) => c.operation === 'SignIn')!.variables).toEqual({
      input: { username: 'nurse', password: 'secret' },
    });
    expect(screen.queryByRole('link', { name: 'Logga in med din organisation' })).not.toBeInTheDocument();
  });
});
