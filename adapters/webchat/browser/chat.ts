import * as AdaptiveCards from 'adaptivecards';

/** One reply as POST /api/webchat returns it. */
interface Reply {
  type: string;
  text: string;
  suggestedActions: { actions: { title: string; value: unknown }[] };
  attachments: { contentType: string; content?: unknown }[];
}

const messages = document.getElementById('messages') as HTMLOListElement;
const form = document.getElementById('composer') as HTMLFormElement;
const input = document.getElementById('input') as HTMLTextAreaElement;
const typing = document.getElementById('typing') as HTMLParagraphElement;
const suggestions = document.getElementById('suggestions') as HTMLDivElement;
const restart = document.getElementById('restart') as HTMLButtonElement;

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
/**
 * What this tab has shown, kept in sessionStorage (gone when the tab closes, so a shared computer
 * does not keep an owner's answers): a reload shows the conversation it is in and the current
 * question's buttons, instead of a welcome while the server still waits for a form answer.
 */
interface Shown {
  conversationId: string;
  lines: { role: 'bot' | 'user'; text: string }[];
  actions: { title: string; value: unknown }[];
}
const SHOWN_KEY = 'kc.shown';
const MAX_SHOWN = 60;
const restored = ((): Shown | undefined => {
  try {
    const shown = JSON.parse(sessionStorage.getItem(SHOWN_KEY) ?? 'null') as Shown | null;
    return shown && shown.conversationId === localStorage.getItem('kc.conversationId') ? shown : undefined;
  } catch {
    return undefined;
  }
})();
// A tab with nothing to show starts a new conversation: its welcome is then true (a paused draft
// is still the user's, and "tiếp tục" takes it up).
let conversationId = restored ? restored.conversationId : newId('web');
let shown: Shown = restored ?? { conversationId, lines: [], actions: [] };
const remember = () => {
  shown.lines = shown.lines.slice(-MAX_SHOWN);
  try {
    sessionStorage.setItem(SHOWN_KEY, JSON.stringify(shown));
  } catch {
    // Storage full or refused: a reload then starts afresh, which is safe.
  }
};
const userId = localStorage.getItem('kc.userId') ?? newId('user');
localStorage.setItem('kc.conversationId', conversationId);
localStorage.setItem('kc.userId', userId);

function add(role: 'bot' | 'user', text: string, record = true): HTMLLIElement {
  if (record) {
    shown.lines.push({ role, text });
    remember();
  }
  const item = document.createElement('li');
  item.className = `msg ${role}`;
  item.textContent = text;
  item.setAttribute('aria-label', `${role === 'bot' ? 'Trợ lý' : 'Bạn'}: ${text}`);
  messages.append(item);
  item.scrollIntoView({ block: 'end' });
  return item;
}

function renderCard(content: unknown): HTMLElement | undefined {
  const card = new AdaptiveCards.AdaptiveCard();
  card.onExecuteAction = (action) => {
    if (action instanceof AdaptiveCards.SubmitAction) {
      const data = action.data as { text?: string } | undefined;
      void send(data?.text ?? action.title ?? '', data && !data.text ? data : undefined);
    } else if (action instanceof AdaptiveCards.OpenUrlAction && action.url) {
      window.open(action.url, '_blank', 'noopener');
    }
  };
  card.parse(content);
  return card.render() ?? undefined;
}

function showSuggestions(actions: { title: string; value: unknown }[]): void {
  shown.actions = actions;
  remember();
  suggestions.replaceChildren();
  for (const action of actions) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action.title;
    button.addEventListener('click', () => void send(String(action.value)));
    suggestions.append(button);
  }
}

async function send(text: string, value?: Record<string, unknown>): Promise<void> {
  if (!value && text.trim() === '') return;
  if (text) add('user', text);
  showSuggestions([]);
  typing.hidden = false;
  input.disabled = true;
  try {
    const post = () =>
      fetch('/api/webchat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(value ? { conversationId, userId, value } : { conversationId, userId, text }),
      });
    let res = await post();
    if (res.status === 403) {
      // The stored conversation belongs to another user id (another tab changed kc.userId): the
      // message goes to a new conversation of this user instead.
      conversationId = newId('web');
      localStorage.setItem('kc.conversationId', conversationId);
      shown = { conversationId, lines: shown.lines, actions: [] };
      remember();
      res = await post();
    }
    if (!res.ok) {
      // The server's own words where it gives them (a store that failed, a refused request).
      const failure = (await res.json().catch(() => ({}))) as { message?: unknown };
      if (typeof failure.message !== 'string') throw new Error(String(res.status));
      add('bot', failure.message);
      return;
    }
    const { activities } = (await res.json()) as { activities: Reply[] };
    for (const reply of activities) {
      if (reply.text) add('bot', reply.text);
      for (const attachment of reply.attachments) {
        if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
        const rendered = renderCard(attachment.content);
        if (rendered) {
          const item = document.createElement('li');
          item.className = 'msg bot card';
          item.append(rendered);
          messages.append(item);
        }
      }
    }
    showSuggestions(activities.at(-1)?.suggestedActions.actions ?? []);
  } catch {
    add('bot', 'Dạ, xin lỗi, tôi chưa gửi được tin nhắn. Bạn kiểm tra kết nối rồi thử lại nhé.');
  } finally {
    typing.hidden = true;
    input.disabled = false;
    input.focus();
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = '';
  void send(text);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
const WELCOME =
  'Dạ, xin chào! Tôi là Trợ lý Khuyến công. Bạn hãy gõ câu hỏi về các lĩnh vực hỗ trợ, ai được hỗ trợ, mức hỗ trợ, hạn đăng ký — có dấu hay không dấu đều được — hoặc bấm "Điền bản đăng ký".';
const STARTERS = [
  { title: 'Sáu lĩnh vực hỗ trợ', value: 'Sáu lĩnh vực hỗ trợ khuyến công' },
  { title: 'Ai được hỗ trợ?', value: 'Đối tượng được hỗ trợ khuyến công' },
  { title: 'Điền bản đăng ký', value: 'điền bản đăng ký' },
];

function welcome(): void {
  // Shown here, not asked of the server: a reload must not answer a form question for the user.
  add('bot', WELCOME);
  showSuggestions(STARTERS);
}

// "Bắt đầu lại" goes to the bot: in the middle of a form it asks whether to discard the draft or keep it.
restart.addEventListener('click', () => void send('bắt đầu lại'));

if (restored) {
  for (const line of restored.lines) add(line.role, line.text, false);
  showSuggestions(restored.actions);
} else {
  localStorage.setItem('kc.conversationId', conversationId);
  remember();
  welcome();
}
input.focus();
