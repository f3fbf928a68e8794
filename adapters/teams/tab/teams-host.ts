/** The Teams host of the officers' pages (the registrations tab, the curators' page). */

/** Teams, if the page is inside it (initialize raced against 3 s), and the SSO token; otherwise standalone. */
export async function connectToTeams(): Promise<{ inTeams: boolean; token?: string }> {
  // Teams hosts the tab in a frame (or a webview with a parent); a top-level page is standalone.
  if (window.parent === window && !navigator.userAgent.includes('Teams')) return { inTeams: false };
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 3000));
  try {
    // Loaded only inside a host: the library fetches Teams' domain list as soon as it loads.
    const { app, authentication } = await import('@microsoft/teams-js');
    const inTeams = await Promise.race([app.initialize().then(() => true), timeout]);
    if (!inTeams) return { inTeams: false };
    const context = await app.getContext();
    applyTheme(context.app.theme);
    document.documentElement.lang = context.app.locale?.slice(0, 2) || 'vi';
    app.registerOnThemeChangeHandler(applyTheme);
    return { inTeams: true, token: await authentication.getAuthToken() };
  } catch {
    return { inTeams: false };
  }
}

function applyTheme(theme: string | undefined): void {
  document.body.classList.toggle('dark', theme === 'dark' || theme === 'contrast');
}
