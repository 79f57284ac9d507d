import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { DomainError, hasPermission } from '@civic/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, statusForKind, toDomainError } from '../common/http-error.filter.js';
import type { PrincipalService } from '../identity/principal.service.js';
import { ACCESS_COOKIE } from '../identity/session-cookies.js';
import type { JobProducer } from './job-producer.service.js';

export const BULL_BOARD_PATH = '/admin/queues';

type BoardLanguage = 'zh-CN' | 'en';

/** The board's own words, per console language (its locale names its bundled translations). */
const BOARD_TEXT: Record<BoardLanguage, { lng: string; title: string; back: string }> = {
  'zh-CN': { lng: 'zh-CN', title: '任务队列', back: '返回控制台' },
  en: { lng: 'en-US', title: 'Job queues', back: 'Back to the console' },
};

/** The console's language: `?lng=` as the console's link sends it, else the browser's first Chinese or English preference, else Chinese. */
export function boardLanguage(query: unknown, acceptLanguage: string | undefined): BoardLanguage {
  const asked = (query as { lng?: unknown } | undefined)?.lng;
  if (asked === 'en' || asked === 'zh-CN') return asked;
  for (const tag of (acceptLanguage ?? '').split(',')) {
    const lower = tag.trim().toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const UI_CONFIG = /(<script id="__UI_CONFIG__" type="application\/json">)([\s\S]*?)(<\/script>)/;

/** The board's page with its configuration (language, title, the way back) in `language`. A page without one is returned as is. */
export function localizeBoardPage(html: string, language: BoardLanguage, consoleUrl: string): string {
  const text = BOARD_TEXT[language];
  return html
    .replace(UI_CONFIG, (_whole, open: string, json: string, close: string) => {
      const config = { ...(JSON.parse(json) as Record<string, unknown>), boardTitle: text.title, locale: { lng: text.lng }, miscLinks: [{ text: text.back, url: consoleUrl }] };
      return `${open}${JSON.stringify(config).replace(/</g, '\\u003c')}${close}`;
    })
    .replace(/<title>[^<]*<\/title>/, `<title>${text.title}</title>`)
    .replace(/<html lang="[^"]*"/, `<html lang="${language}"`);
}

/**
 * Mounts Bull Board for platform operators. Browsers reach it by navigation, so besides
 * the Authorization header it accepts the httpOnly access cookie scoped to /admin.
 */
export async function mountBullBoard(fastify: FastifyInstance, jobs: JobProducer, principals: PrincipalService, links: { consoleUrl: string }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: jobs.queues().map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    // In the platform's language by default; each page is then put in the console's (localizeBoardPage).
    options: {
      uiConfig: {
        boardTitle: BOARD_TEXT['zh-CN'].title,
        locale: { lng: BOARD_TEXT['zh-CN'].lng },
        miscLinks: [{ text: BOARD_TEXT['zh-CN'].back, url: links.consoleUrl }],
        hideDocsLink: true,
      },
    },
  });
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const cookie = request.cookies?.[ACCESS_COOKIE];
          const principal = cookie ? await principals.fromAccessToken(cookie) : await principals.fromHeaders(request.headers);
          if (!principal) throw new DomainError('auth.unauthenticated', 'Sign in as a platform operator first.');
          if (principal.kind !== 'user' || !hasPermission(principal.permissions, ['queues:admin'])) {
            throw new DomainError('auth.forbidden', 'Only platform operators can see the queues.');
          }
        } catch (error) {
          const domainError = toDomainError(error);
          return reply.status(statusForKind(domainError.kind)).send(errorBody(domainError));
        }
      });
      // The board's pages (its own routes answer HTML only for them) in the console's language.
      scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
        return localizeBoardPage(payload, boardLanguage(request.query, request.headers['accept-language']), links.consoleUrl);
      });
      await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
    },
  );
}
