const page = (title: string, body: string) => `<!doctype html>
<html lang="fi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title></head>
<body><main>
<p><strong>STAND-IN</strong> identity provider for tests and the demo, not a real one.</p>
${body}
</main></body></html>`;

/** The sign-in form. `uid` is the provider's own interaction id (letters, digits, `-`, `_`). */
export function loginPage(uid: string, refused = false): string {
  return page('Kirjaudu / Sign in', `<h1>Kirjaudu / Sign in</h1>
${refused ? '<p role="alert">Tunnus, salasana tai kertakäyttökoodi ei kelpaa. / Wrong username, password or one-time code.</p>' : ''}
<form method="post" action="/interaction/${uid}/login">
<p><label for="username">Käyttäjätunnus / Username</label><br><input id="username" name="username" autocomplete="username" required></p>
<p><label for="password">Salasana / Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><label for="code">Kertakäyttökoodi / One-time code</label><br><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"></p>
<p><button type="submit">Kirjaudu / Sign in</button></p>
</form>`);
}

/** The sign-out confirmation; `form` is the provider's own hidden form (its id is `op.logoutForm`). */
export function logoutPage(form: string): string {
  return page('Kirjaudu ulos / Sign out', `<h1>Kirjaudu ulos / Sign out</h1>
${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Kirjaudu ulos / Sign out</button></p>`);
}
