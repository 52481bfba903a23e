import type { Page } from 'playwright-core';
import { execute } from '../../helpers/graphql.js';
import { CreateUserDocument, UsersDocument } from '../../generated/graphql.js';
import { linkFromInbox } from '../../integration/people/support.js';
import { describeInBrowser, signInForm } from '../browser.js';
import { GATED, consoleHarness } from '../harness.js';

/**
 * Issues 12 and 13: invitation and password-reset e-mails link to the console's pages, which set the
 * password through the public API (acceptInvitation, resetPassword) — the link read from the outbox as
 * its recipient gets it, opened in the browser. The token leaves the address as soon as the page has it.
 */
describeInBrowser('the console in a real browser: invitation and password-reset links', () => {
  const h = consoleHarness();
  const PASSWORD = 'chosen-in-the-browser';

  /** Opens an e-mail's link, and waits for the page to have taken the token out of the address. */
  const openLink = async (page: Page, link: URL, heading: string) => {
    expect(link.origin).toBe(h.origin);
    await page.goto(link.href);
    await page.getByRole('heading', { name: heading }).waitFor();
    await page.waitForURL((url) => url.search === '');
    expect(page.url()).toBe(`${h.origin}${link.pathname}`);
  };
  const setPassword = async (page: Page, password: string, repeated = password) => {
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password', { exact: true }).fill(repeated);
  };

  let invitation: URL | undefined;

  it('an invitation: the link opens the page, a weak or mistyped password is refused before sending, then the user is signed in with their role', async () => {
    const { server } = h;
    const email = `olga-${process.pid}@console.test`;
    h.admin(await execute(server.url, CreateUserDocument, { input: { email, name: 'Olga', role: 'OPERATOR' } }, server.adminHeaders));
    invitation = await linkFromInbox(server, email, 'user_invitation');

    const { page } = await h.open();
    await openLink(page, invitation, 'Choose your password');
    const submit = page.getByRole('button', { name: 'Set password and sign in' });

    await setPassword(page, 'too-short');
    await page.getByText('The password must have at least 12 characters (9 so far).').waitFor();
    await setPassword(page, PASSWORD, `${PASSWORD}!`);
    await page.getByText('The two passwords differ.').waitFor();
    await submit.click();
    // Refused in the browser: nothing was sent, the invitation is still pending.
    await page.getByText('The two passwords differ.').waitFor();
    const pending = async () =>
      h.admin(await execute(server.url, UsersDocument, undefined, server.adminHeaders)).users.find((user) => user.email === email)
        ?.invitationPending;
    expect(await pending()).toBe(true);

    await setPassword(page, PASSWORD);
    await submit.click();
    // Signed in as Olga (a user is named by their e-mail): an operator may start a run, not edit a workflow.
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await page.getByText(`${email} · `).waitFor();
    expect(await pending()).toBe(false);
    await page.goto(`/workflows/${GATED.name}`);
    await page.getByRole('button', { name: 'Start a run' }).waitFor();
    expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
    // A reload keeps the session, not the link.
    await page.reload();
    await page.getByRole('button', { name: 'Start a run' }).waitFor();
  });

  it('a link used already is refused with what to do next, and the API’s code', async () => {
    if (!invitation) throw new Error('the invitation test did not run');
    const { page } = await h.open();
    await openLink(page, invitation, 'Choose your password');
    await setPassword(page, 'another-password-here');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'This link cannot be used any more' });
    await refusal.getByText('BAD_USER_INPUT').waitFor();
    await refusal.getByText('Forgot password?').waitFor();
    expect(page.url()).toBe(`${h.origin}/accept-invitation`);
  });

  it('a password reset: asked for at sign-in, its link sets a new password; the old one is refused, the new one signs in', async () => {
    const { server } = h;
    const email = `pavel-${process.pid}@console.test`;
    const oldPassword = 'pavel-forgot-this-one';
    h.admin(
      await execute(
        server.url,
        CreateUserDocument,
        { input: { email, name: 'Pavel', role: 'VIEWER', password: oldPassword } },
        server.adminHeaders,
      ),
    );

    const { page } = await h.open();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    // The form the link leads to: until it is drawn, the sign-in form's own E-mail field is the one on the page.
    const forgot = page.locator('form', { has: page.getByRole('button', { name: 'E-mail me a link' }) });
    await forgot.getByLabel('E-mail').fill(email);
    await forgot.getByRole('button', { name: 'E-mail me a link' }).click();
    await page.getByRole('status').getByText(`If ${email} is the e-mail of an account`).waitFor();

    await openLink(page, await linkFromInbox(server, email, 'password_reset'), 'Choose a new password');
    await setPassword(page, 'pavel-remembers-this');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('status').getByText('Your password has been reset').waitFor();
    expect(page.url()).toBe(`${h.origin}/sign-in`);

    const signIn = signInForm(page);
    await signIn.getByLabel('E-mail').fill(email);
    await signIn.getByLabel('Password').fill(oldPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('UNAUTHENTICATED').waitFor();
    await signIn.getByLabel('Password').fill('pavel-remembers-this');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Executions' }).waitFor();
    await page.getByText(`${email} · `).waitFor();
  });
});
