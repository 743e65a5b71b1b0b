// The webhook operations of the Payment API's driving adapter.
import type { PaymentHandlers } from '../../../api/payment/server.gen.ts';
import type { WebhookCompleto } from '../../../api/payment/schema.gen.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { Webhook } from '../domain/webhook.ts';
import type { WebhookService } from '../domain/webhook-service.ts';
import { ownerOf } from './owner-of.ts';
import { givenFilters, pageRequestFrom, paginacaoOf } from './pagination.ts';

type WebhookHandlers = Pick<
  PaymentHandlers<RequestContext>,
  'configureWebhook' | 'getWebhook' | 'deleteWebhook' | 'listWebhooks'
>;

export function createWebhookHandlers(webhooks: WebhookService): WebhookHandlers {
  return {
    async configureWebhook({ params, body }, context) {
      await webhooks.configure(ownerOf(context), params.chave, body.webhookUrl);
      return { status: 200 };
    },

    async getWebhook({ params }, context) {
      return { status: 200, body: toWebhookDto(await webhooks.get(ownerOf(context), params.chave)) };
    },

    async deleteWebhook({ params }, context) {
      await webhooks.remove(ownerOf(context), params.chave);
      return { status: 204 };
    },

    async listWebhooks({ query }, context) {
      const page = pageRequestFrom(query);
      const found = await webhooks.list(
        ownerOf(context),
        {
          from: query.inicio === undefined ? undefined : new Date(query.inicio),
          to: query.fim === undefined ? undefined : new Date(query.fim),
        },
        page,
      );
      return {
        status: 200,
        body: {
          parametros: {
            ...givenFilters({ inicio: query.inicio, fim: query.fim }),
            paginacao: paginacaoOf(page, found.totalItems),
          },
          webhooks: found.items.map(toWebhookDto),
        },
      };
    },
  };
}

function toWebhookDto(webhook: Webhook): WebhookCompleto {
  return { webhookUrl: webhook.url, chave: webhook.key, criacao: webhook.configuredAt.toISOString() };
}
