/** The webhook formats a tenant can choose (column `webhooks.format`). */
export const webhookFormats = ['generic', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof webhookFormats)[number];
export const webhookEvents = ['opened', 'escalated', 'reopened'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export interface Notification {
  /** The delivery id: the same on every attempt, so a receiver can drop repeats. */
  readonly deliveryId: string;
  readonly event: string;
  readonly occurredAt: number;
  readonly incident: Record<string, unknown>;
}

const verbs: Record<string, string> = { opened: 'opened', escalated: 'escalated', reopened: 'reopened' };
const colors: Record<string, string> = { critical: 'B60205', high: 'D93F0B', medium: 'FBCA04', low: '0E8A16', info: '1D76DB' };

function headline(n: Notification): string {
  const i = n.incident;
  const severity = String(i['severity']);
  const change = n.event === 'escalated' && i['previous_severity'] ? ` (${String(i['previous_severity'])} → ${severity})` : '';
  return `[${severity.toUpperCase()}] Incident ${verbs[n.event] ?? n.event}${change}: ${String(i['rule_name'])}`;
}

function details(n: Notification): string {
  const i = n.incident;
  const group = Object.entries((i['group_values'] as Record<string, unknown> | null) ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return `${String(i['alert_count'])} alert(s)${group ? ` for ${group}` : ''}; incident ${String(i['id'])} (revision ${String(i['revision'])})`;
}

/**
 * The body for a format. `generic` is the whole notification for programs; `slack` is an
 * incoming-webhook message (`text`, which Slack and Mattermost render and Teams Workflows
 * accept); `teams` is an Office 365 connector MessageCard.
 */
export function buildPayload(format: WebhookFormat, n: Notification): object {
  switch (format) {
    case 'generic':
      return { type: `incident.${n.event}`, delivery_id: n.deliveryId, occurred_at: new Date(n.occurredAt).toISOString(), incident: n.incident };
    case 'slack':
      return { text: `*${headline(n)}*\n${details(n)}` };
    case 'teams':
      return {
        '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: headline(n), themeColor: colors[String(n.incident['severity'])] ?? '808080',
        title: headline(n), text: details(n),
      };
  }
}
