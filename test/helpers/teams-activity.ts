let n = 0;

/** A Teams message activity as the Bot Connector posts it, from a channel conversation of `tenant`. */
export function teamsMessage(
  options: { serviceUrl: string; conversationId: string; tenant: string; from?: Record<string, unknown> },
  fields: Record<string, unknown>,
): Record<string, unknown> {
  n += 1;
  return {
    type: 'message',
    id: `in-${n}`,
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    timestamp: new Date().toISOString(),
    from: options.from ?? { id: `user-${options.tenant}`, name: 'Người dùng', aadObjectId: `aad-${options.tenant}` },
    recipient: { id: 'bot-1', name: 'Trợ lý Khuyến công' },
    conversation: { id: options.conversationId, conversationType: 'channel', tenantId: options.tenant },
    channelData: { tenant: { id: options.tenant } },
    locale: 'vi-VN',
    ...fields,
  };
}
