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

/**
 * Mounts Bull Board for platform operators. Browsers reach it by navigation, so besides
 * the Authorization header it accepts the httpOnly access cookie scoped to /admin.
 */
export async function mountBullBoard(fastify: FastifyInstance, jobs: JobProducer, principals: PrincipalService, links: { consoleUrl: string }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: jobs.queues().map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    // In the platform's language (its operators read Chinese first), with the way back to the console.
    options: {
      uiConfig: {
        boardTitle: '任务队列 Job queues',
        locale: { lng: 'zh-CN' },
        miscLinks: [{ text: '返回控制台 Back to the console', url: links.consoleUrl }],
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
      await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
    },
  );
}
