import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import helmet from 'helmet';

/** Hosts that may frame the officers' tab: Teams on the web, desktop and mobile, and Microsoft 365. */
export const TEAMS_FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
];

const csp = (frameAncestors: string[], connect: string[] = []) =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Adaptive Cards and Chart.js set inline styles on the elements they create.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'", ...connect],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors,
      },
    },
    frameguard: false,
    crossOriginEmbedderPolicy: false,
  });

/** The web chat at / (when enabled), the officers' tab at /tab and the curators' page at /tab/curate, from the built folder. */
export function webPagesRouter(options: {
  publicDir: string;
  webchatEnabled: boolean;
  zaloSiteVerification?: string;
}): Router {
  const router = express.Router();
  const page = (name: string) => readFileSync(join(options.publicDir, name), 'utf8');
  const meta = options.zaloSiteVerification
    ? `<meta name="zalo-platform-site-verification" content="${options.zaloSiteVerification}" />`
    : '';
  const chatCsp = csp(["'none'"]);
  // teams-js reads its list of valid host domains from Microsoft's CDN.
  const tabCsp = csp(TEAMS_FRAME_ANCESTORS, ['https://res.cdn.office.net']);
  if (options.webchatEnabled) {
    const index = page('index.html').replace('</head>', `${meta}</head>`);
    router.get('/', chatCsp, (_req, res) => void res.type('html').send(index));
    for (const asset of ['chat.js', 'chat.css', 'chat.js.map'])
      router.get(`/${asset}`, chatCsp, (_req, res) => res.sendFile(join(options.publicDir, asset)));
  }
  const tab = page('tab.html');
  router.get('/tab', tabCsp, (_req, res) => void res.type('html').send(tab));
  // The curators' page: unanswered questions, drafts, the check, publishing and versions.
  const curate = page('curate.html');
  router.get('/tab/curate', tabCsp, (_req, res) => void res.type('html').send(curate));
  for (const asset of ['tab.js', 'tab.css', 'tab.js.map', 'curate.js', 'curate.css', 'curate.js.map'])
    router.get(`/${asset}`, tabCsp, (_req, res) => res.sendFile(join(options.publicDir, asset)));
  router.use(
    '/chunks',
    tabCsp,
    express.static(join(options.publicDir, 'chunks'), { index: false, fallthrough: false }),
  );
  return router;
}
