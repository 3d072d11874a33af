/** @jest-environment jsdom */
import { screen } from '@testing-library/react';
import { lazyPage } from '../../apps/web/src/components/lazy-page';
import { renderPage } from './render';

// The browser side (a page fetched while offline, and on retry) is in test/e2e/web-loading.e2e.spec.ts.
describe('a page loaded on first use', () => {
  const quiet = jest.spyOn(console, 'error');
  beforeEach(() => quiet.mockImplementation(() => undefined));
  afterAll(() => quiet.mockRestore());

  it('shows the page once its code is here, with its props', async () => {
    const Page = lazyPage(async () => ({ greeting }: { greeting: string }) => <h1>{greeting}</h1>);
    renderPage(<Page greeting="Hej" />, {});
    expect(await screen.findByRole('heading', { level: 1, name: 'Hej' })).toBeInTheDocument();
  });

  it('says the server could not be reached when the code cannot be fetched, with a retry', async () => {
    const Page = lazyPage<object>(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    renderPage(<Page />, {});
    expect(await screen.findByRole('alert')).toHaveTextContent('Ingen kontakt med servern');
    expect(screen.getByRole('button', { name: 'Försök igen' })).toBeInTheDocument();
  });

  it('says the page could not be shown when it fails to render, instead of a blank screen', async () => {
    const Broken = lazyPage<object>(async () => () => {
      throw new Error('a bug');
    });
    renderPage(<Broken />, {});
    expect(await screen.findByRole('alert')).toHaveTextContent('Sidan kunde inte visas på grund av ett fel.');
  });
});
