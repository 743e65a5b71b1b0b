// The port that decides whether a webhook URL is a target the service may call (an adapter resolves
// the host and checks every address; see src/payment/webhooks/webhook-target-policy.ts).

export type WebhookTargetVerdict = { ok: true } | { ok: false; reason: string };

export type CheckWebhookTarget = (url: string) => Promise<WebhookTargetVerdict>;
