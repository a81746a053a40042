/**
 * Consumer mailbox providers. A lead writing from one of these gives no company domain,
 * which in B2B funnels usually means a weaker buying signal. The fitted spec stores its
 * own copy, so editing this list only affects specs fitted afterwards.
 */
export const freeMailDomains: readonly string[] = [
  'aol.com',
  'gmail.com',
  'googlemail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'hotmail.co.uk',
  'hotmail.com',
  'hotmail.fr',
  'icloud.com',
  'live.com',
  'mac.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'outlook.com',
  'proton.me',
  'protonmail.com',
  'qq.com',
  'rediffmail.com',
  'web.de',
  'yahoo.co.in',
  'yahoo.co.uk',
  'yahoo.com',
  'yahoo.fr',
  'yandex.ru',
  'zoho.com',
  '163.com',
  '126.com',
];

/** The lower-case domain of an email address, or undefined when `text` is not one. */
export function emailDomain(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const at = t.lastIndexOf('@');
  if (at < 1) return undefined;
  const domain = t.slice(at + 1);
  return domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.') ? domain : undefined;
}
